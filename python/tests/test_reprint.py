"""Tests of the Python package: the API, its errors, and equality with the CLI.

The CLI binary is taken from $REPRINT_BIN (python/test.sh builds it and sets it). Texts are
the repo's own fixtures (written for the tests) and, when ../shared/seeds is beside the repo,
the real seed pair.
"""
import json
import os
import subprocess
import threading
import time
from pathlib import Path

import pytest

import reprint

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "crates" / "reprint" / "tests" / "fixtures"
NEWS = ROOT / "examples" / "scan" / "news.jsonl"
SEEDS = ROOT.parent / "shared" / "seeds"


def cli():
    path = os.environ.get("REPRINT_BIN")
    if not path or not Path(path).is_file():
        pytest.fail("set REPRINT_BIN to the reprint CLI binary (python/test.sh does)")
    return path


def cli_compare(a, b):
    out = subprocess.run([cli(), "compare", str(a), str(b), "--json"], check=True,
                         capture_output=True, cwd=ROOT)
    return json.loads(out.stdout)


def py_compare(a, b):
    # The CLI reads the files as bytes and names each document by the path it was given.
    return reprint.compare(Path(ROOT / a).read_bytes(), Path(ROOT / b).read_bytes(),
                           id_a=str(a), id_b=str(b))


def test_compare_equals_the_cli_on_the_shipped_pair():
    a = Path("crates/reprint/tests/fixtures/harbour_source.txt")
    b = Path("crates/reprint/tests/fixtures/harbour_rewrite.txt")
    got = py_compare(a, b)
    assert got == cli_compare(a, b)
    assert got["verdict"]["label"] == "derived"


def test_compare_equals_the_cli_on_the_seed_pair():
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not beside the repo")
    a, b = sorted(SEEDS.glob("*.txt"))[1], sorted(SEEDS.glob("*.txt"))[0]
    a, b = Path(os.path.relpath(a, ROOT)), Path(os.path.relpath(b, ROOT))
    got = py_compare(a, b)
    assert got == cli_compare(a, b)
    assert got["verdict"]["label"] == "derived"
    kinds = {c["kind"] for c in got["changes"]}
    assert "time_changed" in kinds


def test_comparer_reuses_settings_and_dates_name_the_source():
    src = (FIXTURES / "harbour_source.txt").read_text()
    rew = (FIXTURES / "harbour_rewrite.txt").read_text()
    c = reprint.Comparer(min_passage_words=8)
    r = c.compare(src, rew, date_a="2024-03-01", date_b="2024-03-04")
    assert r["verdict"]["label"] == "derived"
    assert r["direction"]["source"] == "a"
    assert r["direction"]["basis"] == "dates"
    r = c.compare(src, rew, date_a="2024-03-04", date_b="2024-03-01")
    assert r["direction"]["source"] == "b"
    # str and the same text as bytes give the same comparison.
    assert reprint.compare(src, rew) == reprint.compare(src.encode(), rew.encode())


def test_min_probability_matches_the_cli():
    a = Path("crates/reprint/tests/fixtures/harbour_source.txt")
    b = Path("crates/reprint/tests/fixtures/harbour_rewrite.txt")
    p = py_compare(a, b)["verdict"]["probability"]
    above = round(min(p + 0.01, 1.0), 3)
    got = reprint.compare(Path(ROOT / a).read_bytes(), Path(ROOT / b).read_bytes(),
                          id_a=str(a), id_b=str(b), min_probability=above)
    out = subprocess.run([cli(), "compare", str(a), str(b), "--json", "--min-probability",
                          str(above)], check=True, capture_output=True, cwd=ROOT)
    assert got == json.loads(out.stdout)
    assert got["verdict"]["label"] == "related"
    with pytest.raises(ValueError, match="min_probability"):
        reprint.compare("a b c", "a b c", min_probability=2.0)


def test_same_series_lets_dates_weigh_as_in_the_cli():
    a = Path("crates/reprint/tests/fixtures/harbour_source.txt")
    b = Path("crates/reprint/tests/fixtures/harbour_rewrite.txt")
    dates = dict(date_a="2020-03-01", date_b="2026-03-01")
    ta, tb = (ROOT / a).read_bytes(), (ROOT / b).read_bytes()
    for flag in ([], ["--same-series"]):
        got = reprint.compare(ta, tb, id_a=str(a), id_b=str(b), same_series=bool(flag), **dates)
        out = subprocess.run([cli(), "compare", str(a), str(b), "--json", "--date-a",
                              dates["date_a"], "--date-b", dates["date_b"], *flag],
                             check=True, capture_output=True, cwd=ROOT)
        assert got == json.loads(out.stdout)
    other = reprint.compare(ta, tb, **dates)["verdict"]
    same = reprint.Comparer().compare(ta, tb, same_series=True, **dates)["verdict"]
    assert other["label"] == "derived"
    assert same["label"] == "related" and same["probability"] < other["probability"]


def test_unrelated_texts_are_not_reuse():
    a = (FIXTURES / "glacier.txt").read_text()
    b = (FIXTURES / "council_budget.txt").read_text()
    assert reprint.compare(a, b)["verdict"]["label"] not in ("derived", "partial")


def test_errors_name_the_problem():
    with pytest.raises(TypeError, match="bogus"):
        reprint.compare("a b c", "a b c", bogus=1)
    with pytest.raises(ValueError, match="near_verbatim"):
        reprint.Comparer(near_verbatim=3.0)
    with pytest.raises(ValueError, match="date_a"):
        reprint.compare("some text here", "some text here", date_a="2024-02-30")
    with pytest.raises(ValueError, match="binary"):
        reprint.compare(b"\x00\x01\x02" * 50, "some text here")
    with pytest.raises(TypeError, match="str or bytes"):
        reprint.compare(42, "some text here")
    with pytest.raises(OSError, match="No such file"):
        list(reprint.scan("/nonexistent/reprint-test.jsonl"))
    with pytest.raises(ValueError, match="record 1"):
        reprint.scan_all([{"id": "x", "text": "one"}, {"id": "y"}])
    with pytest.raises(ValueError, match="either paths or records"):
        reprint.scan_all([str(NEWS), {"id": "x", "text": "one"}])
    with pytest.raises(TypeError, match="unexpected setting"):
        reprint.scan_all(str(NEWS), ngrams=3)
    with pytest.raises(ValueError, match="max_df"):
        reprint.scan_all(str(NEWS), max_df=1)


def cli_scan(tmp_path, *args):
    out = tmp_path / "cli"
    subprocess.run([cli(), "scan", "--quiet", *map(str, args), "--out", str(out)],
                   check=True, cwd=ROOT)
    return out


def lines(path):
    return [json.loads(l) for l in path.read_text().splitlines() if l.strip()]


def test_scan_of_a_file_equals_the_cli(tmp_path):
    out = cli_scan(tmp_path, NEWS)
    pairs = list(reprint.scan(str(NEWS)))
    assert pairs, "the example corpus holds reuse"
    assert pairs == lines(out / "pairs.jsonl")
    # With `out`, the same three files as the CLI's (the summary differs only in timings).
    mine = tmp_path / "py"
    res = reprint.scan_all(NEWS, out=mine)
    assert (mine / "pairs.jsonl").read_text() == (out / "pairs.jsonl").read_text()
    assert (mine / "clusters.jsonl").read_text() == (out / "clusters.jsonl").read_text()
    assert not (mine / "INCOMPLETE").exists()
    summary = json.loads((mine / "summary.json").read_text())
    assert summary["documents"] == res.summary["documents"] == json.loads(
        (out / "summary.json").read_text())["documents"]
    assert res.pairs == pairs and res.clusters == lines(out / "clusters.jsonl")


def test_scan_of_records_equals_the_scan_of_their_file(tmp_path):
    records = [json.loads(l) for l in NEWS.read_text().splitlines() if l.strip()]
    from_records = reprint.scan_all(
        [{k: r[k] for k in ("id", "text", "series", "date") if k in r} for r in records])
    from_file = reprint.scan_all(str(NEWS))
    key = lambda p: (p["a"]["id"], p["b"]["id"], p["label"])
    assert sorted(map(key, from_records.pairs)) == sorted(map(key, from_file.pairs))
    assert from_records.summary["documents"] == len(records)


def test_scan_settings_reach_the_engine():
    everything = reprint.scan_all(str(NEWS), emit="derived,partial,template,boilerplate,related")
    default = reprint.scan_all(str(NEWS))
    assert len(everything.pairs) >= len(default.pairs)
    assert {p["label"] for p in default.pairs} <= {"derived", "partial"}
    only_derived = reprint.scan_all(str(NEWS), emit=["derived"])
    assert {p["label"] for p in only_derived.pairs} <= {"derived"}


def test_long_calls_release_the_gil():
    # A long comparison in a thread; Python code in this thread must keep running meanwhile.
    base = (FIXTURES / "harbour_source.txt").read_text()
    big_a = "\n\n".join(base.replace("harbour", f"harbour{i}") for i in range(1000))
    big_b = "\n\n".join(base.replace("harbour", f"harbour{i}") for i in range(999, -1, -1))
    span = []

    def work():
        t0 = time.monotonic()
        reprint.compare(big_a, big_b)
        span.extend([t0, time.monotonic()])

    t = threading.Thread(target=work)
    ticks = []
    t.start()
    while t.is_alive():
        ticks.append(time.monotonic())
        time.sleep(0.001)
    t.join()
    start, end = span
    if end - start < 0.05:
        pytest.skip(f"the comparison took {end - start:.3f} s: too short to tell")
    during = [x for x in ticks if start < x < end]
    # Holding the GIL would leave this thread no tick while the comparison runs.
    assert len(during) >= 10, (len(during), end - start)
