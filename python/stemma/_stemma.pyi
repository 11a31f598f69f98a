"""Type stubs of the Rust extension ``stemma._stemma`` (see the functions' docstrings)."""

import os
import pathlib
from typing import Any, Iterable, Literal, Mapping

__version__: str

def compare(
    a: str,
    b: str,
    *,
    date_a: str | int | None = None,
    date_b: str | int | None = None,
    semantic: bool | None = None,
    model: str | os.PathLike[str] | None = None,
) -> dict[str, Any]: ...
def dedup(
    records: Iterable[Mapping[str, Any] | str],
    threshold: float = 0.8,
    num_perm: int = 128,
    ngram: int = 5,
    keep: str = "first",
    *,
    bands: int | None = None,
    rows: int | None = None,
    weights: tuple[float, float] | None = None,
    verify: bool = False,
    seed: int = 1,
    scheme: str = "oph",
    id_field: str = "id",
    text_field: str = "text",
    date_field: str = "date",
) -> dict[str, Any]: ...
def scan(
    records: Iterable[Mapping[str, Any] | str],
    *,
    relations: list[str] | None = None,
    signals: list[str] | None = None,
    num_perm: int | None = None,
    lsh_threshold: float | None = None,
    lsh_bands: int | None = None,
    lsh_rows: int | None = None,
    ngram: int | None = None,
    passage_anchors: int | None = None,
    passage_sample: int | None = None,
    min_shared_keys: int | None = None,
    min_shared_fraction: float | None = None,
    max_candidates: int | None = None,
    max_per_cluster: int | None = None,
    min_score: float | None = None,
    redundancy: float | None = None,
    collapse_exact: bool | None = None,
    passage_df_cap: int | None = None,
    batch_size: int | None = None,
    text_memory_budget: int | None = None,
    prepared_cache: int | None = None,
    verify_chunk: int | None = None,
    semantic: bool | None = None,
    model: str | os.PathLike[str] | None = None,
    detail: Literal["full", "compact"] | None = None,
    id_field: str = "id",
    text_field: str = "text",
    date_field: str = "date",
    source_field: str = "source",
    title_field: str = "title",
) -> dict[str, list[dict[str, Any]]]: ...

class Scanner:
    """Documents one at a time (stemma_scan::IncrementalScanner); options as for scan()."""

    def __init__(
        self,
        *,
        relations: list[str] | None = None,
        signals: list[str] | None = None,
        num_perm: int | None = None,
        lsh_threshold: float | None = None,
        lsh_bands: int | None = None,
        lsh_rows: int | None = None,
        ngram: int | None = None,
        passage_anchors: int | None = None,
        passage_sample: int | None = None,
        min_shared_keys: int | None = None,
        min_shared_fraction: float | None = None,
        max_candidates: int | None = None,
        max_per_cluster: int | None = None,
        min_score: float | None = None,
        redundancy: float | None = None,
        collapse_exact: bool | None = None,
        passage_df_cap: int | None = None,
        batch_size: int | None = None,
        text_memory_budget: int | None = None,
        prepared_cache: int | None = None,
        verify_chunk: int | None = None,
        semantic: bool | None = None,
        model: str | os.PathLike[str] | None = None,
        detail: Literal["full", "compact"] | None = None,
    ) -> None: ...
    def add(
        self,
        id: str | int,
        text: str,
        date: str | int | None = None,
        source: str | None = None,
        title: str | None = None,
    ) -> list[dict[str, Any]]: ...
    def pairs(self) -> list[dict[str, Any]]: ...
    def families(self) -> list[dict[str, Any]]: ...
    @property
    def semantic(self) -> bool: ...
    def __len__(self) -> int: ...

def semantic_model(model: str | os.PathLike[str] | None = None) -> pathlib.Path | None: ...
def pair_line(
    id_a: str,
    id_b: str,
    signals: int,
    text_a: str,
    text_b: str,
    date_a: int | None = None,
    date_b: int | None = None,
    *,
    semantic: bool | None = None,
    model: str | os.PathLike[str] | None = None,
    detail: str = "full",
) -> tuple[str, float, str | None, float, str]: ...
def minhash(
    text: str, num_perm: int = 128, ngram: int = 5, seed: int = 1, scheme: str = "oph"
) -> list[int]: ...
def shingles(text: str, ngram: int = 5) -> list[int]: ...
def jaccard(a: list[int], b: list[int]) -> float: ...
def shingle_jaccard(a: str, b: str, ngram: int = 5) -> float: ...
def parse_date(s: str) -> int | None: ...
def relations() -> list[str]: ...

class DedupSketcher:
    def __init__(
        self,
        threshold: float = 0.8,
        num_perm: int = 128,
        ngram: int = 5,
        *,
        bands: int | None = None,
        rows: int | None = None,
        weights: tuple[float, float] | None = None,
        verify: bool = False,
        seed: int = 1,
        scheme: str = "oph",
    ) -> None: ...
    @property
    def bands(self) -> int: ...
    @property
    def rows(self) -> int: ...
    def sketch(self, texts: list[str]) -> list[tuple[int, bool, list[int], list[int]]]: ...

class ScanSketcher:
    def __init__(self) -> None: ...
    @property
    def bucket_cap(self) -> int: ...
    @property
    def passage_df_cap(self) -> int: ...
    @property
    def bands(self) -> int: ...
    def sketch(self, texts: list[str]) -> list[tuple[int | None, list[int], list[int]]]: ...

def group_pairs(groups: list[tuple[bool, int, list[int]]]) -> list[tuple[int, int, int, list[int]]]: ...
def propose_batch(
    rows: list[tuple[int, int, int, list[int], int, int, int, int | None, int | None]],
) -> list[tuple[int, int, int, int, int, float, bool, int, list[int]]]: ...
def select_batch(
    bands: int,
    pools: list[tuple[int, int, list[tuple[int, int, int, int, int, float, list[int], int | None, int]]]],
) -> list[tuple[int, int, int]]: ...
def pair_lines(
    rows: list[tuple[str, str, int, str, str, int | None, int | None]],
    *,
    semantic: bool | None = None,
    model: str | None = None,
    detail: str = "full",
) -> list[tuple[str, float, str | None, float, str]]: ...
def family_lines(
    components: list[
        tuple[list[str], list[int | None], list[tuple[int, int, str, float, str | None, float]], list[int]]
    ],
) -> list[tuple[list[tuple[int, int]], list[str]]]: ...
def signals_of(bits: int) -> list[str]: ...
