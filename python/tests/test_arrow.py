"""Tests of reprint.arrow: batches of pairs in, verdicts out, equal to reprint.compare."""
import json

import pytest

pa = pytest.importorskip("pyarrow")

import reprint
import reprint.arrow
from test_reprint import FIXTURES


def text(name):
    return (FIXTURES / name).read_text()


def pairs_batch(string=None):
    string = string or pa.string()
    src, rew = text("harbour_source.txt"), text("harbour_rewrite.txt")
    cols = {
        "id_a": ["p1", "p2", "p3", "p4"],
        "text_a": [src, text("glacier.txt"), src, None],
        "id_b": ["q1", "q2", "q3", "q4"],
        "text_b": [rew, text("council_budget.txt"), rew, rew],
        "date_a": ["2024-03-01", None, "2024-02-30", None],
        "date_b": ["2024-03-04", None, None, None],
    }
    return pa.RecordBatch.from_pydict({k: pa.array(v, type=string) for k, v in cols.items()})


def test_verdicts_equal_reprint_compare():
    batch = pairs_batch()
    out = reprint.arrow.compare_pairs(batch, comparison=True)
    assert isinstance(out, pa.RecordBatch)
    assert out.schema.names == ["id_a", "id_b", "label", "score", "source", "confidence",
                                "error", "comparison"]
    rows = out.to_pylist()
    assert [r["id_a"] for r in rows] == ["p1", "p2", "p3", "p4"]
    for r, (a, b, da, db) in zip(rows[:2], [
        (text("harbour_source.txt"), text("harbour_rewrite.txt"), "2024-03-01", "2024-03-04"),
        (text("glacier.txt"), text("council_budget.txt"), None, None),
    ]):
        expected = reprint.compare(a, b, date_a=da, date_b=db, id_a=r["id_a"], id_b=r["id_b"])
        assert r["error"] is None
        assert json.loads(r["comparison"]) == expected
        assert r["label"] == expected["verdict"]["label"]
        assert r["score"] == expected["verdict"]["score"]
        assert r["source"] == expected["direction"]["source"]
        assert r["confidence"] == expected["direction"]["confidence"]
    assert rows[0]["label"] == "derived" and rows[0]["source"] == "a"
    assert rows[1]["label"] not in ("derived", "partial")


def test_a_bad_pair_gets_an_error_and_the_batch_goes_on():
    rows = reprint.arrow.compare_pairs(pairs_batch()).to_pylist()
    assert "date_a" in rows[2]["error"] and rows[2]["label"] is None
    assert rows[3]["error"] == "text_a is null" and rows[3]["score"] is None
    assert rows[0]["error"] is None and rows[0]["label"] == "derived"
    binary = pa.RecordBatch.from_pydict({"id_a": ["c"], "text_a": ["\x00\x01\x02" * 50],
                                         "id_b": ["d"], "text_b": [text("glacier.txt")]})
    assert "binary" in reprint.arrow.compare_pairs(binary).to_pylist()[0]["error"]
    # Without comparison=True there is no comparison column.
    assert "comparison" not in reprint.arrow.compare_pairs(pairs_batch()).schema.names


def test_large_strings_settings_and_optional_dates():
    small = reprint.arrow.compare_pairs(pairs_batch()).to_pylist()
    large = reprint.arrow.compare_pairs(pairs_batch(pa.large_string())).to_pylist()
    assert large == small
    no_dates = pairs_batch().drop_columns(["date_a", "date_b"])
    rows = reprint.arrow.compare_pairs(no_dates).to_pylist()
    expected = reprint.compare(text("harbour_source.txt"), text("harbour_rewrite.txt"))
    assert rows[0]["source"] == expected["direction"]["source"]
    assert rows[2]["error"] is None  # the bad date is gone with its column
    strict = reprint.arrow.compare_pairs(pairs_batch(), min_passage_words=8).to_pylist()
    assert strict[0]["score"] == reprint.Comparer(min_passage_words=8).compare(
        text("harbour_source.txt"), text("harbour_rewrite.txt"),
        date_a="2024-03-01", date_b="2024-03-04")["verdict"]["score"]


def test_an_empty_batch_gives_an_empty_batch():
    empty = pairs_batch().slice(0, 0)
    out = reprint.arrow.compare_pairs(empty)
    assert out.num_rows == 0 and out.schema.names[:3] == ["id_a", "id_b", "label"]


def test_errors():
    with pytest.raises(ValueError, match='no column "text_b"'):
        reprint.arrow.compare_pairs(pairs_batch().drop_columns(["text_b"]))
    bad = pa.RecordBatch.from_pydict({"id_a": ["a"], "text_a": [1], "id_b": ["b"],
                                      "text_b": ["x"]})
    with pytest.raises(ValueError, match='"text_a" must be string'):
        reprint.arrow.compare_pairs(bad)
    with pytest.raises(TypeError, match="unexpected setting"):
        reprint.arrow.compare_pairs(pairs_batch(), bogus=1)
    with pytest.raises(TypeError, match="RecordBatch"):
        reprint.arrow.compare_pairs("not a batch")
