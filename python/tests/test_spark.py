"""reprint.spark against the CLI: the same pairs (ids and labels, and the whole lines) and the
same clusters, on the example corpus and (when REPRINT_GEN10K names a generated corpus, as
python/spark_test.sh makes it with reprint-bench gen) on 10k generated articles. Needs
pyspark and Java (python/spark_test.sh installs them when missing)."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("pyspark")
pytest.importorskip("pyarrow")

ROOT = Path(__file__).resolve().parents[2]


def cli_scan(corpus, out):
    bin_ = os.environ.get("REPRINT_BIN")
    if not bin_ or not Path(bin_).is_file():
        pytest.fail("set REPRINT_BIN to the reprint CLI binary (python/test.sh does)")
    subprocess.run([bin_, "scan", str(corpus), "--out", str(out)], check=True,
                   capture_output=True)


def spark_scan(corpus, out):
    subprocess.run([sys.executable, "-m", "reprint.spark", "scan", str(corpus), "--out", str(out),
                    "--master", "local[2]"], check=True, capture_output=True)


def lines(path):
    return [json.loads(x) for x in Path(path).read_text().splitlines() if x.strip()]


def assert_same(corpus, tmp_path):
    cli_scan(corpus, tmp_path / "cli")
    spark_scan(corpus, tmp_path / "spark")
    a, b = lines(tmp_path / "cli/pairs.jsonl"), lines(tmp_path / "spark/pairs.jsonl")
    key = lambda p: (p["a"]["id"], p["b"]["id"], p["label"])  # noqa: E731
    only_cli = sorted(set(map(key, a)) - set(map(key, b)))
    only_spark = sorted(set(map(key, b)) - set(map(key, a)))
    assert not only_cli and not only_spark, (len(only_cli), len(only_spark), only_cli[:5], only_spark[:5])
    assert a == b  # whole lines, in the CLI's order
    assert lines(tmp_path / "cli/clusters.jsonl") == lines(tmp_path / "spark/clusters.jsonl")
    assert a, "the corpus must give pairs, or the test compares nothing"


def test_example_corpus_equals_cli(tmp_path):
    assert_same(ROOT / "examples/scan/news.jsonl", tmp_path)


def test_generated_10k_equals_cli(tmp_path):
    corpus = os.environ.get("REPRINT_GEN10K")
    if not corpus:
        pytest.skip("REPRINT_GEN10K not set (python/spark_test.sh sets it when ../shared/data exists)")
    assert_same(Path(corpus), tmp_path)


def test_bad_record_is_named(tmp_path):
    pytest.importorskip("pyspark")
    from pyspark.sql import SparkSession
    import reprint.spark
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    spark = SparkSession.builder.master("local[1]").getOrCreate()
    try:
        df = spark.createDataFrame([("x1", None)], "id string, text string")
        with pytest.raises(ValueError, match="x1"):
            reprint.spark.scan(df)
    finally:
        spark.stop()
