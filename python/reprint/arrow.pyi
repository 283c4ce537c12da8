from typing import Any, Optional

import pyarrow

def compare_pairs(
    batch: pyarrow.RecordBatch,
    *,
    comparison: bool = ...,
    min_passage_words: Optional[int] = ...,
    min_pair_similarity: Optional[float] = ...,
    min_gap_similarity: Optional[float] = ...,
    min_merge_containment: Optional[float] = ...,
    near_verbatim: Optional[float] = ...,
    reject_templates: Optional[bool] = ...,
    min_probability: Optional[float] = ...,
) -> pyarrow.RecordBatch: ...
