"""Arrow record batches in and out, for Spark's ``mapInArrow`` stages (needs ``pyarrow``).

``compare_pairs(batch, *, comparison=False, **settings)`` is the verification stage: a
``pyarrow.RecordBatch`` of candidate pairs (string columns ``id_a``, ``text_a``, ``id_b``,
``text_b``, optional ``date_a``, ``date_b``) becomes a batch of verdicts, one row per pair in
the same order: ``id_a``, ``id_b``, ``label``, ``score``, ``source`` (``"a"``, ``"b"`` or
``"unknown"``), ``confidence``, ``error`` (why the pair could not be compared, else null)
and, with ``comparison=True``, ``comparison`` (the JSON text ``reprint compare --json``
prints). A bad pair gets an ``error`` and no verdict; the batch goes on. Settings are
``reprint.Comparer``'s. The comparer is the one of ``reprint.compare``; the shared text is
not weighed by corpus frequencies (no ``background``). Runs without the GIL.
"""

from ._reprint import compare_pairs

__all__ = ["compare_pairs"]
