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


def cli_scan(corpus, out, opts=(), ok=(0,)):
    bin_ = os.environ.get("REPRINT_BIN")
    if not bin_ or not Path(bin_).is_file():
        pytest.fail("set REPRINT_BIN to the reprint CLI binary (python/test.sh does)")
    inputs = [str(c) for c in corpus] if isinstance(corpus, list) else [str(corpus)]
    r = subprocess.run([bin_, "scan", *inputs, "--out", str(out), *opts], capture_output=True)
    assert r.returncode in ok, r.stderr.decode()


def spark_scan(corpus, out, opts=(), ok=(0,)):
    inputs = [str(c) for c in corpus] if isinstance(corpus, list) else [str(corpus)]
    r = subprocess.run([sys.executable, "-m", "reprint.spark", "scan", *inputs, "--out", str(out),
                        "--master", "local[2]", *opts], capture_output=True)
    assert r.returncode in ok, r.stderr.decode()[-3000:]


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


def test_reader_edge_cases_equal_cli(tmp_path):
    """A byte-order mark (kept on the first line only), blank lines, "\r\n", a malformed
    line, a duplicate id, a missing text and an over-long line: the same documents, pairs and
    skipped records (line numbers, ids, reasons) as the CLI. Two files: numbering per file."""
    news = (ROOT / "examples/scan/news.jsonl").read_text().splitlines()
    long_text = "word " * 40000  # 200 kB: over --max-doc-bytes 65536's 196,608-byte line limit
    first = ["\ufeff" + news[0], "", news[1] + "\r", "not json", news[2],
             '{"id": "no-text"}', "\ufeff" + news[3], json.dumps({"id": "long", "text": long_text}),
             news[1], news[4]]
    (tmp_path / "one.jsonl").write_text("\n".join(first) + "\n", encoding="utf-8")
    (tmp_path / "two.jsonl").write_text("\n".join(news[5:]) + "\n", encoding="utf-8")
    inputs = [tmp_path / "one.jsonl", tmp_path / "two.jsonl"]
    opts = ["--max-doc-bytes", "65536"]
    cli_scan(inputs, tmp_path / "cli", opts, ok=(3,))
    spark_scan(inputs, tmp_path / "spark", opts, ok=(3,))
    a = json.loads((tmp_path / "cli/summary.json").read_text())
    b = json.loads((tmp_path / "spark/summary.json").read_text())
    assert a["documents"] == b["documents"] == 8
    # The CLI lists a read batch's over-long lines before its other skips; Spark, by line.
    by_line = lambda r: (r["source"], r["line"])  # noqa: E731
    assert sorted(a["skipped_records"], key=by_line) == b["skipped_records"]
    assert lines(tmp_path / "cli/pairs.jsonl") == lines(tmp_path / "spark/pairs.jsonl")
    assert lines(tmp_path / "cli/clusters.jsonl") == lines(tmp_path / "spark/clusters.jsonl")


def test_example_corpus_equals_cli(tmp_path):
    assert_same(ROOT / "examples/scan/news.jsonl", tmp_path)


def test_recurring_notices_equal_cli(tmp_path):
    """A notice one wire sends word for word on three days: its issues on different days are
    `template` in Spark as in the CLI (the whole lines, templates written too)."""
    corpus = ROOT / "crates/reprint/tests/fixtures/recurring_notice.jsonl"
    opts = ["--emit", "derived,partial,template"]
    cli_scan(corpus, tmp_path / "cli", opts)
    spark_scan(corpus, tmp_path / "spark", opts)
    a, b = lines(tmp_path / "cli/pairs.jsonl"), lines(tmp_path / "spark/pairs.jsonl")
    assert a == b
    recurring = [p for p in a if p["label"] == "template"
                 and "recurring notice" in p["comparison"]["verdict"]["reasons"][-1]]
    assert len(recurring) == 5, [(p["a"]["id"], p["b"]["id"], p["label"]) for p in a]


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
