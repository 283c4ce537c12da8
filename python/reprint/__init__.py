"""reprint: find text reuse in news and explain it.

The same engine as the `reprint` command-line tool, with the same results and the same JSON
schemas:

- ``compare(a, b, ...)`` returns what ``reprint compare --json`` prints;
- ``Comparer(**settings).compare(a, b, ...)`` does the same with settings checked once;
- ``scan(records_or_paths, out=None, **settings)`` yields the lines of ``pairs.jsonl`` as
  ``reprint scan`` writes them (and, with ``out``, writes ``pairs.jsonl``, ``clusters.jsonl``
  and ``summary.json`` there too);
- ``Index(path, **settings)`` is the on-disk index of ``reprint index`` and ``reprint query``:
  ``add``, ``query`` (what ``reprint query --json`` prints for one file), ``remove``,
  ``stats`` (``reprint index stats --json``), ``get``, ``ids``, ``len()``, ``in``, ``close``
  and ``with``.

Errors in the input or the settings raise ``ValueError`` (``TypeError`` for an unknown
setting or a wrong type), problems with files ``OSError``, each with the library's message.
Long calls release the GIL.
"""

import json as _json

from ._reprint import Comparer, Index, compare, version
from ._reprint import _scan

__all__ = ["Comparer", "Index", "ScanResult", "compare", "scan", "scan_all", "version"]


class ScanResult:
    """What a scan produced: ``pairs`` and ``clusters`` (lists of dicts, the lines of
    ``pairs.jsonl`` and ``clusters.jsonl``) and ``summary`` (``summary.json``)."""

    __slots__ = ("pairs", "clusters", "summary")

    def __init__(self, pairs, clusters, summary):
        self.pairs = pairs
        self.clusters = clusters
        self.summary = summary

    def __repr__(self):
        return (
            f"ScanResult({len(self.pairs)} pairs, {len(self.clusters)} clusters, "
            f"{self.summary.get('documents', 0)} documents)"
        )


def scan_all(records_or_paths, out=None, **settings):
    """Scans and returns a :class:`ScanResult` (pairs, clusters and summary).

    ``records_or_paths`` is a path (``str`` or ``os.PathLike``: JSONL, ``.jsonl.gz``, a text
    file or a directory), a list of paths, or an iterable of records (dicts with ``id`` and
    ``text``, optional ``series`` and ``date``). Settings are ``reprint scan``'s options:
    ``ngram``, ``window``, ``max_df``, ``rare_terms``, ``rare_max_df``, ``min_shared``,
    ``min_rare``, ``skip_same_series``, ``date_window``, ``max_doc_bytes``, ``emit`` (a list
    or a comma-separated string), ``detail`` (``"slim"`` or ``"full"``), ``reject_templates``
    and ``min_probability``.
    """
    pairs, clusters, summary = _scan(records_or_paths, out, **settings)
    return ScanResult(
        [_json.loads(p) for p in pairs],
        [_json.loads(c) for c in clusters],
        _json.loads(summary) if summary else {},
    )


def scan(records_or_paths, out=None, **settings):
    """Scans and yields the reported pairs, one dict per ``pairs.jsonl`` line, in the order
    ``reprint scan`` writes them. See :func:`scan_all` for the arguments. The scan runs in
    full before the first pair is yielded; a bad input raises when the generator starts."""
    pairs, _clusters, _summary = _scan(records_or_paths, out, **settings)
    for p in pairs:
        yield _json.loads(p)
