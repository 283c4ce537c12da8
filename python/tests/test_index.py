"""Tests of reprint.Index: equality with `reprint index` / `reprint query` on the example
corpus, the mapping behaviour, the writer's lock, and errors."""
import json
import subprocess
import threading
from pathlib import Path

import pytest

import reprint
from test_reprint import NEWS, ROOT, cli

FACT_CHECK = Path("examples/index/fact-check.txt")
TOMORROW = ROOT / "examples" / "index" / "tomorrow.jsonl"


def records(path):
    rows = [json.loads(l) for l in path.read_text().splitlines() if l.strip()]
    return [{k: r[k] for k in ("id", "text", "series", "date") if k in r} for r in rows]


def run(*args):
    out = subprocess.run([cli(), *map(str, args)], check=True, capture_output=True, cwd=ROOT)
    return out.stdout.decode()


def cli_query(ix, *args):
    return json.loads(run("query", ix, FACT_CHECK, "--json", *args))


def py_query(ix, **kw):
    return ix.query((ROOT / FACT_CHECK).read_bytes(), id=str(FACT_CHECK), **kw)


@pytest.fixture
def built(tmp_path):
    """The example corpus indexed by Python, then closed (its lock released)."""
    path = tmp_path / "ix"
    with reprint.Index(path) as ix:
        got = ix.add(records(NEWS))
    return path, got


def test_add_reports_counts(built):
    path, got = built
    n = len(records(NEWS))
    assert got == {"added": n, "documents": n, "warnings": []}


def test_query_equals_the_cli_on_the_same_index(built):
    path, _ = built
    ix = reprint.Index(path, create=False)
    for kw, args in [
        ({}, []),
        ({"date": "2026-03-09"}, ["--date", "2026-03-09"]),
        ({"top": 1}, ["--top", "1"]),
        ({"emit": "derived,partial,related,unrelated"}, ["--emit", "derived,partial,related,unrelated"]),
        ({"emit": ["derived"]}, ["--emit", "derived"]),
    ]:
        mine = py_query(ix, **kw)
        assert mine == cli_query(path, *args), kw
    got = py_query(ix, date="2026-03-09")
    assert got["query"] == {"id": str(FACT_CHECK), "bytes": len((ROOT / FACT_CHECK).read_bytes())}
    assert len(got["matches"]) == 3
    assert all(m["direction"]["source"] == "match" for m in got["matches"])
    assert len(py_query(ix, top=1)["matches"]) == 1
    # str and bytes of the same text are the same query.
    assert ix.query((ROOT / FACT_CHECK).read_text()) == ix.query((ROOT / FACT_CHECK).read_bytes())


def test_an_index_built_by_the_cli_answers_python_as_it_answers_the_cli(tmp_path):
    path = tmp_path / "cli-ix"
    run("index", "add", "--quiet", path, NEWS)
    with reprint.Index(path, create=False) as ix:
        assert py_query(ix) == cli_query(path)
        assert len(ix) == len(records(NEWS))


def test_stats_equal_the_cli(built):
    path, _ = built
    with reprint.Index(path) as ix:
        mine = ix.stats()
    assert mine == json.loads(run("index", "stats", path, "--json"))
    assert mine["documents"] == len(records(NEWS))
    assert set(mine) == {"documents", "bytes", "deleted", "disk_bytes", "segments"}


def test_get_len_contains_ids_remove(built):
    path, _ = built
    recs = records(NEWS)
    with reprint.Index(path) as ix:
        assert len(ix) == len(recs)
        assert ix.ids() == [r["id"] for r in recs]
        first = recs[0]
        doc = ix.get(first["id"])
        assert doc["id"] == first["id"] and doc["text"] == first["text"]
        assert doc["series"] == first.get("series") and doc["date"] == first.get("date")
        assert doc["seq"] == 0
        assert ix.get("no-such-id") is None
        assert first["id"] in ix and "no-such-id" not in ix and 42 not in ix
        assert ix.remove([first["id"], "no-such-id"]) == 1
        assert first["id"] not in ix and len(ix) == len(recs) - 1
        assert ix.remove(recs[1]["id"]) == 1  # one id as a string
        assert len(ix) == len(recs) - 2
    # The CLI sees the removals (they were committed).
    assert json.loads(run("index", "stats", path, "--json"))["documents"] == len(recs) - 2


def test_a_record_with_an_indexed_id_replaces_it(built):
    path, _ = built
    with reprint.Index(path) as ix:
        n = len(ix)
        rid = records(NEWS)[0]["id"]
        got = ix.add([{"id": rid, "text": "A new text about the harbour ferry timetable."}])
        assert got["added"] == 1 and got["documents"] == n == len(ix)
        assert ix.get(rid)["text"].startswith("A new text")


def test_later_batches_are_found(tmp_path):
    # The README's third step: the next day's wire is added and found by a query.
    with reprint.Index(tmp_path / "ix") as ix:
        ix.add(str(NEWS))  # a path, read as `index add` reads it
        before = len(ix)
        ix.add([TOMORROW])
        assert len(ix) == before + len(records(TOMORROW))
        text = records(TOMORROW)[0]["text"]
        hits = ix.query(text, emit="derived,partial")
        assert records(TOMORROW)[0]["id"] in [m["id"] for m in hits["matches"]]


def test_bad_records_raise_and_add_nothing(tmp_path):
    with reprint.Index(tmp_path / "ix") as ix:
        good = {"id": "ok", "text": "The council approved the budget on Monday."}
        with pytest.raises(ValueError, match=r'"blank".*empty text'):
            ix.add([good, {"id": "blank", "text": "   "}])
        with pytest.raises(ValueError, match="duplicate id"):
            ix.add([good, dict(good)])
        with pytest.raises(ValueError, match='record 1: no "id"'):
            ix.add([good, {"text": "no id here"}])
        with pytest.raises(ValueError, match=r'record 0 \("x"\): no "text"'):
            ix.add([{"id": "x"}])
        with pytest.raises(ValueError, match="must be a string"):
            ix.add([{"id": "x", "text": 5}])
        with pytest.raises(ValueError, match="over the limit"):
            reprint.Index(tmp_path / "ix2", max_doc_bytes=10).add([good])
        assert len(ix) == 0
        # An invalid date is a warning, as in `index add`: the record is kept, undated.
        got = ix.add([{"id": "d", "text": good["text"], "date": "2024-02-30"}])
        assert got["added"] == 1 and len(got["warnings"]) == 1
        assert "2024-02-30" in got["warnings"][0]["reason"]


def test_errors(tmp_path):
    with pytest.raises(ValueError, match="no reprint index here"):
        reprint.Index(tmp_path / "missing", create=False)
    assert not (tmp_path / "missing").exists()
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "notes.txt").write_text("mine")
    with pytest.raises(ValueError, match="not empty and holds no index"):
        reprint.Index(tmp_path / "busy")
    with pytest.raises(TypeError, match="unexpected setting"):
        reprint.Index(tmp_path / "ix", bogus=1)
    ix = reprint.Index(tmp_path / "ix")
    with pytest.raises(ValueError, match="unknown verdict"):
        ix.query("some text", emit="derivd")
    with pytest.raises(ValueError, match="date"):
        ix.query("some text", date="2024-02-30")
    with pytest.raises(TypeError, match="str or bytes"):
        ix.query(42)
    with pytest.raises(TypeError, match="list of strings"):
        ix.remove(42)
    with pytest.raises(TypeError, match="record dict or a path"):
        ix.add([42])
    with pytest.raises(OSError, match="No such file"):
        ix.add("/nonexistent/reprint-test.jsonl")
    ix.close()
    assert ix.closed
    ix.close()  # twice is fine
    for call in (lambda: len(ix), ix.stats, ix.ids, lambda: ix.query("x"), lambda: ix.get("x"),
                 lambda: ix.add([{"id": "a", "text": "b c"}]), lambda: ix.remove(["a"])):
        with pytest.raises(ValueError, match="closed"):
            call()


def test_one_writer_at_a_time(tmp_path):
    path = tmp_path / "ix"
    first = reprint.Index(path)
    first.add([{"id": "a", "text": "The ferry to the island runs twice a day."}])
    second = reprint.Index(path)
    assert len(second) == 1  # readers are not blocked
    with pytest.raises(ValueError, match="another process is writing"):
        second.add([{"id": "b", "text": "The council met on Monday evening."}])
    # The CLI is refused too, until the first closes.
    refused = subprocess.run([cli(), "index", "remove", str(path), "a"], capture_output=True,
                             cwd=ROOT)
    assert refused.returncode != 0 and b"another process" in refused.stderr
    first.close()
    second.add([{"id": "b", "text": "The council met on Monday evening."}])
    assert len(second) == 2
    second.close()


def test_threads_query_in_parallel(built):
    path, _ = built
    text = (ROOT / FACT_CHECK).read_bytes()
    with reprint.Index(path) as ix:
        expected = ix.query(text)
        results, errors = [], []

        def work():
            try:
                for _ in range(5):
                    results.append(ix.query(text))
            except Exception as e:  # pragma: no cover - reported below
                errors.append(e)

        threads = [threading.Thread(target=work) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert not errors
    assert len(results) == 20 and all(r == expected for r in results)


def test_repr_and_path(tmp_path):
    ix = reprint.Index(tmp_path / "ix")
    assert str(ix.path) == str(tmp_path / "ix")
    assert "ix" in repr(ix) and "closed" not in repr(ix)
    ix.close()
    assert "closed" in repr(ix)
