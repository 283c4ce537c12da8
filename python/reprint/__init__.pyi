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
    same_series: bool = ...,
    min_passage_words: Optional[int] = ...,
    min_pair_similarity: Optional[float] = ...,
    min_gap_similarity: Optional[float] = ...,
    min_merge_containment: Optional[float] = ...,
    near_verbatim: Optional[float] = ...,
    reject_templates: Optional[bool] = ...,
    min_probability: Optional[float] = ...,
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
        min_probability: Optional[float] = ...,
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
        same_series: bool = ...,
    ) -> dict[str, Any]: ...

class ScanResult:
    pairs: list[dict[str, Any]]
    clusters: list[dict[str, Any]]
    summary: dict[str, Any]

def scan_all(records_or_paths: _Inputs, out: Optional[_Path] = ..., **settings: Any) -> ScanResult: ...
def scan(records_or_paths: _Inputs, out: Optional[_Path] = ..., **settings: Any) -> Iterator[dict[str, Any]]: ...

class Index:
    """The on-disk index of ``reprint index`` / ``reprint query``.

    One object writes at a time per directory (the writer's lock is taken at the first
    ``add`` or ``remove`` and held until ``close``); any number of objects, threads and
    processes read, each seeing the last commit."""

    def __init__(
        self,
        path: _Path,
        *,
        create: bool = ...,
        ngram: int = ...,
        window: int = ...,
        max_df: int = ...,
        rare_terms: int = ...,
        rare_max_df: int = ...,
        min_shared: int = ...,
        min_rare: int = ...,
        max_doc_bytes: int = ...,
        reject_templates: bool = ...,
    ) -> None: ...
    @property
    def path(self) -> str: ...
    @property
    def closed(self) -> bool: ...
    def add(self, records: _Inputs) -> dict[str, Any]: ...
    def remove(self, ids: Union[str, Iterable[str]]) -> int: ...
    def query(
        self,
        text: _Text,
        *,
        top: Optional[int] = ...,
        date: Optional[str] = ...,
        emit: Optional[Union[str, Iterable[str]]] = ...,
        id: str = ...,
    ) -> dict[str, Any]: ...
    def stats(self) -> dict[str, int]: ...
    def get(self, id: str) -> Optional[dict[str, Any]]: ...
    def ids(self) -> list[str]: ...
    def close(self) -> None: ...
    def __len__(self) -> int: ...
    def __contains__(self, id: object) -> bool: ...
    def __enter__(self) -> "Index": ...
    def __exit__(self, *args: Any) -> bool: ...
