from os import PathLike
from typing import Any, Iterable, Iterator, Mapping, Optional, Union

_Text = Union[str, bytes]
_Path = Union[str, "PathLike[str]"]
_Inputs = Union[_Path, Iterable[_Path], Iterable[Mapping[str, Any]]]

def version() -> str: ...
def compare(
    a: _Text,
    b: _Text,
    *,
    date_a: Optional[str] = ...,
    date_b: Optional[str] = ...,
    id_a: str = ...,
    id_b: str = ...,
    background: Optional[_Path] = ...,
    min_passage_words: Optional[int] = ...,
    min_pair_similarity: Optional[float] = ...,
    min_gap_similarity: Optional[float] = ...,
    min_merge_containment: Optional[float] = ...,
    near_verbatim: Optional[float] = ...,
    reject_templates: Optional[bool] = ...,
) -> dict[str, Any]: ...

class Comparer:
    def __init__(
        self,
        *,
        min_passage_words: Optional[int] = ...,
        min_pair_similarity: Optional[float] = ...,
        min_gap_similarity: Optional[float] = ...,
        min_merge_containment: Optional[float] = ...,
        near_verbatim: Optional[float] = ...,
        reject_templates: Optional[bool] = ...,
    ) -> None: ...
    def compare(
        self,
        a: _Text,
        b: _Text,
        *,
        date_a: Optional[str] = ...,
        date_b: Optional[str] = ...,
        id_a: str = ...,
        id_b: str = ...,
        background: Optional[_Path] = ...,
    ) -> dict[str, Any]: ...

class ScanResult:
    pairs: list[dict[str, Any]]
    clusters: list[dict[str, Any]]
    summary: dict[str, Any]

def scan_all(records_or_paths: _Inputs, out: Optional[_Path] = ..., **settings: Any) -> ScanResult: ...
def scan(records_or_paths: _Inputs, out: Optional[_Path] = ..., **settings: Any) -> Iterator[dict[str, Any]]: ...
