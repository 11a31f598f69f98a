"""stemma on Spark: dedup and scan of corpora larger than one machine, on the same Rust core.

The Spark side only moves data: documents are numbered in input order, sketched by the Rust
core inside ``mapPartitions`` (exact hash, LSH band keys, signature), candidate pairs come
from shuffles (dedup: every document of a group is paired with the group's first document, as
the single-machine engine does; scan: key groups yield pairs, pairs become candidates, pools
choose, by the core's rules, one call per chunk of a partition), and clusters are connected
components computed in Spark by iterative min-label propagation. Results are the ones
``stemma dedup`` / ``stemma scan --semantic off`` give on the same input in the same order —
the same files, byte for byte (docs/benchmarks.md, "Python and Spark").

Executors need the ``stemma`` wheel installed (see docs/python.md).
"""

from __future__ import annotations

import json
from typing import Any, Iterable, Iterator

from pyspark.sql import DataFrame, SparkSession, Window
from pyspark.sql import functions as F
from pyspark.sql import types as T

_U64 = 1 << 64
_I64_MAX = (1 << 63) - 1

# Documents sketched per call into the Rust core inside a partition.
_SKETCH_BATCH = 1024


def _signed(x: int) -> int:
    """A u64 as the i64 with the same bits (Spark has no unsigned longs)."""
    return x - _U64 if x > _I64_MAX else x


def session(master: str | None = None, app: str = "stemma") -> SparkSession:
    """The active Spark session, or a new one on ``master`` (default ``local[2]``).

    Python workers run this interpreter unless ``PYSPARK_PYTHON`` says otherwise (they need
    the ``stemma`` module)."""
    import os
    import sys

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    b = SparkSession.builder.appName(app)
    if master:
        b = b.master(master)
    elif SparkSession.getActiveSession() is None:
        b = b.master("local[2]")
    return (
        b.config("spark.sql.shuffle.partitions", "4")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )


def _numbered(df: DataFrame, cols: list[str]) -> DataFrame:
    """``df`` with a column ``_n``: the row's number in the DataFrame's order (from 0)."""
    spark = df.sparkSession
    schema = T.StructType(
        list(df.schema.fields) + [T.StructField("_n", T.LongType(), False)]
    )
    rdd = df.rdd.zipWithIndex().map(lambda r: tuple(r[0]) + (r[1],))
    return spark.createDataFrame(rdd, schema)


def connected_components(edges: DataFrame, max_iter: int = 100) -> DataFrame:
    """Connected components of an undirected graph given as ``(a, b)`` long pairs:
    ``(node, label)`` for every node of an edge, ``label`` = the smallest node of its
    component. Iterative min-label propagation (each round, a node takes the smallest label
    among itself and its neighbours), in Spark; the number of rounds is the graph's diameter.
    """
    both = (
        edges.select(F.col("a").alias("src"), F.col("b").alias("dst"))
        .union(edges.select(F.col("b").alias("src"), F.col("a").alias("dst")))
        .distinct()
        .localCheckpoint()
    )
    labels = both.select(F.col("src").alias("node")).distinct()
    labels = labels.withColumn("label", F.col("node")).localCheckpoint()
    for _ in range(max_iter):
        offered = (
            both.join(labels, both.src == labels.node)
            .groupBy("dst")
            .agg(F.min("label").alias("offer"))
        )
        new = (
            labels.join(offered, labels.node == offered.dst, "left")
            .select(
                "node",
                F.least(F.col("label"), F.coalesce(F.col("offer"), F.col("label"))).alias(
                    "label"
                ),
            )
            .localCheckpoint()
        )
        changed = (
            new.alias("x")
            .join(labels.alias("y"), "node")
            .filter(F.col("x.label") < F.col("y.label"))
            .limit(1)
            .count()
        )
        labels = new
        if changed == 0:
            return labels
    raise RuntimeError(f"connected components did not converge in {max_iter} rounds")


_SKETCH_SCHEMA = T.StructType(
    [
        T.StructField("_n", T.LongType(), False),
        T.StructField("h", T.LongType(), False),
        T.StructField("has_words", T.BooleanType(), False),
        T.StructField("keys", T.ArrayType(T.LongType(), False), False),
        T.StructField("sig", T.ArrayType(T.LongType(), False), False),
        T.StructField("len", T.LongType(), False),
        T.StructField("date", T.LongType(), True),
    ]
)


def _sketch_partition(opts: dict[str, Any]):
    def run(rows: Iterator[Any]) -> Iterator[tuple]:
        import stemma

        sk = stemma.DedupSketcher(**opts)
        batch: list[Any] = []

        def flush() -> Iterator[tuple]:
            texts = [r[1] for r in batch]
            for r, (h, words, keys, sig) in zip(batch, sk.sketch(texts)):
                d = r[2]
                date = stemma.parse_date(str(d)) if d is not None else None
                yield (
                    r[0],
                    _signed(h),
                    words,
                    [_signed(k) for k in keys],
                    list(sig),
                    len(r[1].encode("utf-8")),
                    date,
                )

        for r in rows:
            batch.append(r)
            if len(batch) >= _SKETCH_BATCH:
                yield from flush()
                batch = []
        if batch:
            yield from flush()

    return run


def dedup(
    df: DataFrame,
    id_col: str = "id",
    text_col: str = "text",
    threshold: float = 0.8,
    num_perm: int = 128,
    ngram: int = 5,
    keep: str = "first",
    *,
    date_col: str | None = None,
    bands: int | None = None,
    rows: int | None = None,
    weights: tuple[float, float] | None = None,
    verify: bool = False,
    seed: int = 1,
    scheme: str = "oph",
) -> tuple[DataFrame, DataFrame]:
    """Near-duplicate removal on Spark, with the meanings of :func:`stemma.dedup`.

    Documents are numbered in ``df``'s order (the order ``stemma dedup`` would read them).
    Returns ``(kept_df, removed_df)``: ``kept_df`` holds the kept rows (``df``'s columns, in
    order); ``removed_df`` holds the removed rows' columns plus ``cluster`` (0-based, clusters
    ordered by their first document), ``kept_id``, ``exact``, ``estimated_jaccard`` and
    ``true_jaccard`` (with ``verify``), as ``stemma dedup --removed`` writes them.
    """
    import stemma

    if keep not in ("first", "longest", "earliest"):
        raise ValueError(f'keep: expected "first", "longest" or "earliest", got {keep!r}')
    for c in [id_col, text_col] + ([date_col] if date_col else []):
        if c not in df.columns:
            raise ValueError(f"column {c!r} not in the DataFrame (columns: {df.columns})")
    opts = dict(
        threshold=threshold,
        num_perm=num_perm,
        ngram=ngram,
        bands=bands,
        rows=rows,
        weights=weights,
        verify=verify,
        seed=seed,
        scheme=scheme,
    )
    stemma.DedupSketcher(**opts)  # checks the settings here, not in an executor
    docs = _numbered(df, df.columns).localCheckpoint()
    date_expr = F.col(date_col).cast("string") if date_col else F.lit(None).cast("string")
    slim = docs.select("_n", F.col(text_col).alias("_text"), date_expr.alias("_date"))
    sk = (
        slim.rdd.map(tuple)
        .mapPartitions(_sketch_partition(opts))
        .toDF(_SKETCH_SCHEMA)
        .localCheckpoint()
    )
    # Exact duplicates: each document with its group's first.
    first_h = Window.partitionBy("h")
    exact = (
        sk.select("_n", "h", F.min("_n").over(first_h).alias("r"))
        .filter(F.col("_n") != F.col("r"))
        .select(F.col("r").alias("a"), F.col("_n").alias("b"))
    )
    # LSH buckets: each member with the bucket's first; pairs of equal text are exact anyway.
    bucket = Window.partitionBy("band", "key")
    lsh = (
        sk.filter("has_words")
        .select("_n", F.posexplode("keys").alias("band", "key"))
        .select("_n", F.min("_n").over(bucket).alias("r"))
        .filter(F.col("_n") != F.col("r"))
        .select(F.col("r").alias("a"), F.col("_n").alias("b"))
        .distinct()
    )
    h = sk.select("_n", "h")
    lsh = (
        lsh.join(h.withColumnRenamed("_n", "a").withColumnRenamed("h", "ha"), "a")
        .join(h.withColumnRenamed("_n", "b").withColumnRenamed("h", "hb"), "b")
        .filter(F.col("ha") != F.col("hb"))
        .select("a", "b")
    )
    texts = docs.select("_n", F.col(text_col).alias("_text"))
    if verify:
        lsh = _verified(lsh, texts, threshold, ngram)
    edges = exact.union(lsh)
    comp = connected_components(edges)
    members = comp.join(sk, comp.node == sk._n).select(
        "_n", "label", "len", "date", "h", "sig"
    )
    w = Window.partitionBy("label")
    if keep == "first":
        order = [F.col("_n")]
    elif keep == "longest":
        order = [F.col("len").desc(), F.col("_n")]
    else:
        order = [F.col("date").isNull(), F.col("date"), F.col("_n")]
    ranked = members.withColumn("_rank", F.row_number().over(w.orderBy(*order)))
    kept_of = ranked.filter("_rank = 1").select(
        "label",
        F.col("_n").alias("_kept_n"),
        F.col("h").alias("_kept_h"),
        F.col("sig").alias("_kept_sig"),
    )
    cluster_no = kept_of.select(
        "label", (F.dense_rank().over(Window.orderBy("label")) - 1).alias("cluster")
    )
    rem = (
        ranked.filter("_rank > 1")
        .join(kept_of, "label")
        .join(cluster_no, "label")
        .withColumn("exact", F.col("h") == F.col("_kept_h"))
    )
    kept_ids = docs.select(F.col("_n").alias("_kept_n"), F.col(id_col).alias("kept_id"))
    rem = rem.join(kept_ids, "_kept_n")
    rem_rows = rem.select("_n", "_kept_n", "cluster", "exact", "sig", "_kept_sig")
    scored = _scored_removals(rem_rows, texts, verify, ngram)
    removed_df = (
        docs.join(scored, "_n")
        .join(rem.select("_n", "kept_id"), "_n")
        .orderBy("_n")
    )
    kept_df = docs.join(scored.select("_n"), "_n", "left_anti").orderBy("_n").drop("_n")
    removed_df = removed_df.select(
        *df.columns,
        "cluster",
        "kept_id",
        "exact",
        "estimated_jaccard",
        "true_jaccard",
    )
    return kept_df, removed_df


def _verified(pairs: DataFrame, texts: DataFrame, threshold: float, ngram: int) -> DataFrame:
    """The pairs whose exact shingle Jaccard reaches ``threshold`` (computed in executors)."""
    joined = (
        pairs.join(texts.withColumnRenamed("_n", "a").withColumnRenamed("_text", "ta"), "a")
        .join(texts.withColumnRenamed("_n", "b").withColumnRenamed("_text", "tb"), "b")
        .select("a", "b", "ta", "tb")
    )

    def keep(rows: Iterable[Any]) -> Iterator[tuple[int, int]]:
        import stemma

        for a, b, ta, tb in rows:
            if stemma.shingle_jaccard(ta, tb, ngram) >= threshold:
                yield (a, b)

    schema = T.StructType(
        [T.StructField("a", T.LongType(), False), T.StructField("b", T.LongType(), False)]
    )
    return joined.rdd.map(tuple).mapPartitions(keep).toDF(schema)


def _scored_removals(
    rem: DataFrame, texts: DataFrame, verify: bool, ngram: int
) -> DataFrame:
    """Removed documents with their estimated (and, with ``verify``, true) Jaccard with the
    kept one, computed by the Rust core in executors."""
    if verify:
        rem = (
            rem.join(texts.withColumnRenamed("_text", "_t"), "_n")
            .join(
                texts.withColumnRenamed("_n", "_kept_n").withColumnRenamed("_text", "_kt"),
                "_kept_n",
            )
        )
    else:
        rem = rem.withColumn("_t", F.lit(None).cast("string")).withColumn(
            "_kt", F.lit(None).cast("string")
        )
    rows = rem.select("_n", "_kept_n", "cluster", "exact", "sig", "_kept_sig", "_t", "_kt")

    def score(it: Iterable[Any]) -> Iterator[tuple]:
        import stemma

        for n, k, cluster, exact, sig, ksig, t, kt in it:
            est = 1.0 if exact else stemma.jaccard(list(sig), list(ksig))
            true = None
            if verify:
                true = 1.0 if exact else stemma.shingle_jaccard(t, kt, ngram)
            yield (n, k, cluster, exact, est, true)

    schema = T.StructType(
        [
            T.StructField("_n", T.LongType(), False),
            T.StructField("_kept_n", T.LongType(), False),
            T.StructField("cluster", T.LongType(), False),
            T.StructField("exact", T.BooleanType(), False),
            T.StructField("estimated_jaccard", T.DoubleType(), False),
            T.StructField("true_jaccard", T.DoubleType(), True),
        ]
    )
    return rows.rdd.map(tuple).mapPartitions(score).toDF(schema)


# ---------------------------------------------------------------------------------------
# Scan: candidates as shuffles, the pools and verification by the Rust core in executors.

_SCAN_SKETCH_SCHEMA = T.StructType(
    [
        T.StructField("_n", T.LongType(), False),
        T.StructField("exact", T.LongType(), True),
        T.StructField("lsh", T.ArrayType(T.LongType(), False), False),
        T.StructField("passage", T.ArrayType(T.LongType(), False), False),
        T.StructField("nkeys", T.LongType(), False),
        T.StructField("nbands", T.LongType(), False),
        T.StructField("date", T.LongType(), True),
    ]
)


def _scan_sketch_partition(rows: Iterator[Any]) -> Iterator[tuple]:
    from stemma import _stemma

    sk = _stemma.ScanSketcher()
    batch: list[Any] = []

    def flush() -> Iterator[tuple]:
        for r, (exact, lsh, passage) in zip(batch, sk.sketch([r[1] for r in batch])):
            d = r[2]
            date = _stemma.parse_date(str(d)) if d is not None else None
            yield (r[0], exact, lsh, passage, len(passage), len(lsh), date)

    for r in rows:
        batch.append(r)
        if len(batch) >= _SKETCH_BATCH:
            yield from flush()
            batch = []
    if batch:
        yield from flush()


#: Rows handed to the Rust core per call inside a partition (key groups, key-sharing pairs,
#: pools, components): a partition is read in chunks of this many rows, each chunk one call.
_ROW_BATCH = 20_000

#: Candidate pairs verified per call inside a partition (each row holds both texts).
_VERIFY_BATCH = 256


def _chunks(rows: Iterable[Any], n: int) -> Iterator[list[Any]]:
    """``rows`` in lists of at most ``n``."""
    batch: list[Any] = []
    for r in rows:
        batch.append(r)
        if len(batch) >= n:
            yield batch
            batch = []
    if batch:
        yield batch


#: The last scan's candidate pairs and documents (for ``--write-candidates``).
_LAST_CANDIDATES: tuple[DataFrame, DataFrame] | None = None

#: Wall seconds of the last scan's stages on the driver, for measuring how the cost grows:
#: ``sketch`` (documents to keys, in the executors), ``keys`` (the shuffle of keys into
#: groups, the pairs each group yields and their merge by pair), ``propose`` (the candidate
#: each key-sharing pair makes), ``clusters`` (connected components of similar documents),
#: ``pools`` (each document's choice among its candidates), ``verify``, ``families``.
STAGE_SECONDS: dict[str, float] = {}


def _timed(name: str, df: DataFrame) -> DataFrame:
    """``df`` materialized (a local checkpoint), its time added to ``STAGE_SECONDS[name]``
    (counted from the end of the previous stage)."""
    import time

    out = df.localCheckpoint()
    now = time.perf_counter()
    last = STAGE_SECONDS.pop("_last", now)
    STAGE_SECONDS[name] = STAGE_SECONDS.get(name, 0.0) + now - last
    STAGE_SECONDS["_last"] = now
    return out


def _group_pairs_partition(groups: Iterable[Any]) -> Iterator[tuple]:
    """Key groups ``(lsh, key, docs)`` → ``(a, b, bands, keys)``: the pairs each group
    yields, merged by pair within each chunk (one call into the core per chunk)."""
    from stemma import _stemma

    for batch in _chunks(groups, _ROW_BATCH):
        yield from _stemma.group_pairs(batch)


def _propose_partition(rows: Iterable[Any]) -> Iterator[tuple]:
    from stemma import _stemma

    for batch in _chunks(rows, _ROW_BATCH):
        yield from _stemma.propose_batch(batch)


def _select_partition(bands: int):
    def run(pools: Iterable[Any]) -> Iterator[tuple]:
        from stemma import _stemma

        for batch in _chunks(pools, _ROW_BATCH):
            yield from _stemma.select_batch(bands, batch)

    return run


def scan_candidates(sk: DataFrame) -> DataFrame:
    """Candidate pairs ``(a, b, signals)`` of sketched documents (``_SCAN_SKETCH_SCHEMA``),
    with the caps and pools of ``stemma scan``. Spark does the shuffles (keys into groups,
    pairs by pair, offers by choosing document) and the connected components of clusters;
    every rule is the core's, called once per chunk of a partition."""
    from stemma import _stemma

    info = _stemma.ScanSketcher()
    spark = sk.sparkSession
    # Exact groups: each copy pairs with its group's first document (its representative)
    # and with nothing else of the group.
    grp = sk.select(
        "_n",
        F.when(
            F.col("exact").isNotNull(), F.min("_n").over(Window.partitionBy("exact"))
        ).otherwise(F.col("_n")).alias("g"),
    ).localCheckpoint()
    collapsed = grp.filter(F.col("g") != F.col("_n")).select(
        F.col("g").alias("a"), F.col("_n").alias("b")
    )
    # Documents explode into their LSH band keys and passage keys (an index each, keyed by
    # the key as `CandidateFinder`'s are); each group, in reading order, yields the pairs the
    # index would (`shard::group_pairs`: first `bucket_cap` members of an LSH bucket, passage
    # keys ignored beyond `passage_df_cap`), merged by pair.
    keys = sk.select("_n", F.lit(True).alias("is_lsh"), F.explode("lsh").alias("key")).union(
        sk.select("_n", F.lit(False).alias("is_lsh"), F.explode("passage").alias("key"))
    )
    groups = (
        keys.groupBy("is_lsh", "key")
        .agg(F.sort_array(F.collect_list("_n")).alias("docs"))
        .filter(F.size("docs") > 1)
    )
    gp_schema = T.StructType(
        [
            T.StructField("a", T.LongType(), False),
            T.StructField("b", T.LongType(), False),
            T.StructField("bands", T.LongType(), False),
            T.StructField("keys", T.ArrayType(T.LongType(), False), False),
        ]
    )
    shared = _timed(
        "keys",
        groups.rdd.mapPartitions(_group_pairs_partition)
        .toDF(gp_schema)
        .groupBy("a", "b")
        .agg(
            F.sum("bands").alias("bands"),
            F.array_sort(F.flatten(F.collect_list("keys"))).alias("keys"),
        )
        # Most pairs share one passage key and no band: `propose` refuses them (fewer than
        # `min_shared_keys`, 2 by default), so they are dropped here, before Python sees them.
        .filter((F.col("bands") > 0) | (F.size("keys") >= 2)),
    )
    side = sk.join(grp, "_n").select("_n", "g", "nkeys", "nbands", "date")
    a = side.select(*(F.col(c).alias(c + "_a") for c in side.columns))
    b = side.select(*(F.col(c).alias(c + "_b") for c in side.columns))
    rows = (
        shared.join(a, shared.a == a._n_a)
        .join(b, shared.b == b._n_b)
        .filter(F.col("g_a") != F.col("g_b"))
        .select(
            "a", "b", "bands", "keys", "nkeys_a", "nkeys_b", "nbands_b", "date_a", "date_b",
        )
    )
    prop_schema = T.StructType(
        [
            T.StructField("a", T.LongType(), False),
            T.StructField("b", T.LongType(), False),
            T.StructField("signals", T.IntegerType(), False),
            T.StructField("shared_keys", T.LongType(), False),
            T.StructField("shared_bands", T.LongType(), False),
            T.StructField("score", T.DoubleType(), False),
            T.StructField("link", T.BooleanType(), False),
            T.StructField("chooser", T.LongType(), False),
            T.StructField("keys", T.ArrayType(T.LongType(), False), False),
        ]
    )
    proposed = _timed(
        "propose", rows.rdd.mapPartitions(_propose_partition).toDF(prop_schema)
    )
    # Clusters of mutually similar documents: components of the links and exact groups.
    links = proposed.filter("link").select("a", "b").union(collapsed)
    clusters = _timed("clusters", connected_components(links))
    other = F.when(F.col("chooser") == F.col("a"), F.col("b")).otherwise(F.col("a"))
    offers = (
        proposed.withColumn("other", other)
        .join(sk.select(F.col("_n").alias("other"), F.col("date").alias("other_date")), "other")
        .join(
            clusters.select(F.col("node").alias("other"), F.col("label").alias("cl")),
            "other",
            "left",
        )
        .withColumn("cl", F.coalesce("cl", "other"))
        .join(sk.select(F.col("_n").alias("chooser"), F.col("nkeys").alias("ck")), "chooser")
    )
    pools = offers.groupBy("chooser").agg(
        F.first("ck").alias("ck"),
        F.collect_list(
            F.struct(
                "a", "b", "signals", "shared_keys", "shared_bands", "score", "keys",
                "other_date", "cl",
            )
        ).alias("offers"),
    )
    pair_schema = T.StructType(
        [
            T.StructField("a", T.LongType(), False),
            T.StructField("b", T.LongType(), False),
            T.StructField("signals", T.IntegerType(), False),
        ]
    )
    chosen = pools.rdd.mapPartitions(_select_partition(info.bands)).toDF(pair_schema)
    exact_bit = 1  # Signal::Exact
    copies = collapsed.select("a", "b", F.lit(exact_bit).alias("signals"))
    return _timed("pools", chosen.union(copies))


_DEFAULT_RELATIONS = ("duplicate", "near-duplicate", "rewrite", "partial")

#: Relations that derive one document from another (`Relation::is_derivation`): the pairs
#: families are built from.
_DERIVATION = ("duplicate", "near-duplicate", "rewrite", "partial")

#: Java regex for what Rust's `str::trim` removes (the Unicode White_Space property).
_TRIM = r"^\p{IsWhite_Space}+|\p{IsWhite_Space}+$"


def _titled(text_col: str, title_col: str | None) -> Any:
    """The text a scan reads: a record's headline, when present and not blank, as its first
    paragraph (``title.trim() + "\\n\\n" + text``, as ``stemma scan`` reads a JSONL record)."""
    if title_col is None:
        return F.col(text_col)
    t = F.regexp_replace(F.col(title_col).cast("string"), _TRIM, "")
    return F.when(F.length(t) > 0, F.concat(t, F.lit("\n\n"), F.col(text_col))).otherwise(
        F.col(text_col)
    )


def scan(
    df: DataFrame,
    id_col: str = "id",
    text_col: str = "text",
    date_col: str | None = None,
    *,
    title_col: str | None = "title",
    relations: Iterable[str] = _DEFAULT_RELATIONS,
    semantic: bool | None = None,
    model: str | None = None,
) -> tuple[DataFrame, DataFrame]:
    """Every reuse relation in ``df`` on Spark, with the engine of :func:`stemma.scan`.

    Returns ``(pairs_df, families_df)`` with the schemas of ``pairs.jsonl`` and
    ``families.jsonl`` (pairs ordered by the later document, then the earlier one; families
    by their number). A headline in ``title_col`` (used when the column exists; ``None``:
    never) is read as the text's first paragraph, as ``stemma scan`` reads a record's
    ``title``. ``semantic`` and ``model`` mean what they mean for :func:`stemma.compare`, in
    each executor (the model file must be at the same path on every executor, or found
    there through ``$STEMMA_MODEL`` or the cache folder).
    """
    out = _scan(
        df, id_col, text_col, date_col, title_col=title_col, relations=relations,
        semantic=semantic, model=model,
    )
    return out.pairs, out.families


class _ScanResult:
    """What :func:`_scan` computed: ``pairs`` and ``families`` (the DataFrames
    :func:`scan` returns), ``verified`` (pairs with their pairs.jsonl lines in ``json``) and
    ``family_lines`` (``id``, ``json``: the families.jsonl lines, the CLI's bytes)."""

    def __init__(
        self, pairs: DataFrame, families: DataFrame, verified: DataFrame, family_lines: DataFrame
    ) -> None:
        self.pairs = pairs
        self.families = families
        self.verified = verified
        self.family_lines = family_lines


def _verify_partition(keep: set[str], semantic: bool | None, model: str | None):
    def run(rows: Iterable[Any]) -> Iterator[tuple]:
        from stemma import _stemma

        for batch in _chunks(rows, _VERIFY_BATCH):
            # Each pair's pairs.jsonl line is built by the Rust core (stemma_scan::output),
            # the same typed line `stemma scan` writes.
            out = _stemma.pair_lines(
                [tuple(r[2:]) for r in batch], semantic=semantic, model=model
            )
            for r, (rel, score, source, conf, line) in zip(batch, out):
                if rel in keep:
                    yield (r[0], r[1], rel, float(score), source, float(conf), line)

    return run


def _scan(
    df: DataFrame,
    id_col: str,
    text_col: str,
    date_col: str | None,
    *,
    title_col: str | None = "title",
    relations: Iterable[str],
    semantic: bool | None,
    model: str | None,
) -> _ScanResult:
    """:func:`scan`, also returning the verified pairs with their pairs.jsonl lines and the
    families.jsonl lines (the CLI's bytes), for the command line."""
    for c in [id_col, text_col] + ([date_col] if date_col else []):
        if c not in df.columns:
            raise ValueError(f"column {c!r} not in the DataFrame (columns: {df.columns})")
    if title_col is not None and title_col not in df.columns:
        if title_col != "title":
            raise ValueError(
                f"column {title_col!r} not in the DataFrame (columns: {df.columns})"
            )
        title_col = None
    keep = set(relations)
    known = set(_DEFAULT_RELATIONS) | {"same-story"}
    if not keep or not keep <= known:
        raise ValueError(f"relations: expected a non-empty subset of {sorted(known)}")
    # Fail on the driver, not in every task, when the model asked for is missing.
    from stemma import _stemma as _core

    if semantic is not False and model is not None and _core.semantic_model(model) is None:
        raise FileNotFoundError(f"model: {model}: no such file")
    if semantic is True and _core.semantic_model(model) is None:
        raise FileNotFoundError("semantic=True but no model found on the driver")
    import time

    spark = df.sparkSession
    STAGE_SECONDS.clear()
    STAGE_SECONDS["_last"] = time.perf_counter()
    docs = _numbered(df, df.columns).withColumn("_text", _titled(text_col, title_col))
    docs = docs.localCheckpoint()
    date_expr = F.col(date_col).cast("string") if date_col else F.lit(None).cast("string")
    slim = docs.select("_n", "_text", date_expr.alias("_date"))
    sk = _timed(
        "sketch", slim.rdd.map(tuple).mapPartitions(_scan_sketch_partition).toDF(_SCAN_SKETCH_SCHEMA)
    )
    cand = scan_candidates(sk)
    side = docs.select("_n", F.col(id_col).cast("string").alias("id"), F.col("_text").alias("t"))
    side = side.join(sk.select("_n", "date"), "_n")
    a = side.select(*(F.col(c).alias(c + "_a") for c in side.columns))
    b = side.select(*(F.col(c).alias(c + "_b") for c in side.columns))
    work = cand.join(a, cand.a == a._n_a).join(b, cand.b == b._n_b).select(
        "a", "b", "id_a", "id_b", "signals", "t_a", "t_b", "date_a", "date_b"
    )
    v_schema = T.StructType(
        [
            T.StructField("a", T.LongType(), False),
            T.StructField("b", T.LongType(), False),
            T.StructField("relation", T.StringType(), False),
            T.StructField("score", T.DoubleType(), False),
            T.StructField("source", T.StringType(), True),
            T.StructField("confidence", T.DoubleType(), False),
            T.StructField("json", T.StringType(), False),
        ]
    )
    verified = _timed(
        "verify",
        work.rdd.mapPartitions(_verify_partition(keep, semantic, model)).toDF(v_schema),
    )
    lines = verified.orderBy("b", "a").select("json")
    pairs_df = spark.read.json(lines.rdd.map(lambda r: r.json))
    family_lines = _timed(
        "families",
        _families(verified, docs.select("_n", F.col(id_col).cast("string").alias("id")), sk),
    )
    families_df = spark.read.schema(_FAMILY_LINE_SCHEMA).json(
        family_lines.orderBy("id").rdd.map(lambda r: r.json)
    )
    STAGE_SECONDS.pop("_last", None)
    global _LAST_CANDIDATES
    _LAST_CANDIDATES = (cand, side)
    return _ScanResult(pairs_df, families_df, verified, family_lines)


#: The schema of a families.jsonl line (`stemma_scan::output::FamilyLine`).
_FAMILY_LINE_SCHEMA = T.StructType(
    [
        T.StructField("id", T.LongType(), False),
        T.StructField("root", T.StringType(), False),
        T.StructField("members", T.ArrayType(T.StringType()), False),
        T.StructField(
            "edges",
            T.ArrayType(
                T.StructType(
                    [
                        T.StructField("basis", T.StringType()),
                        T.StructField("copy", T.StringType()),
                        T.StructField("relation", T.StringType()),
                        T.StructField("score", T.DoubleType()),
                        T.StructField("source", T.StringType()),
                    ]
                )
            ),
            False,
        ),
        T.StructField(
            "links",
            T.ArrayType(
                T.StructType(
                    [
                        T.StructField("doc", T.StringType()),
                        T.StructField("family", T.LongType()),
                        T.StructField("other", T.StringType()),
                        T.StructField("relation", T.StringType()),
                        T.StructField("score", T.DoubleType()),
                    ]
                )
            ),
            False,
        ),
    ]
)


def _component(r: Any, numbers: list[int]) -> tuple:
    """A component row (``mem``: ``(_n, date, id)`` ascending; ``pairs``: ``(b, a, relation,
    score, source, confidence)`` ascending) as ``family_lines`` takes it, numbered within the
    component in reading order."""
    local = {m[0]: i for i, m in enumerate(r.mem)}
    return (
        [m[2] for m in r.mem],
        [m[1] for m in r.mem],
        [(local[p[1]], local[p[0]], p[2], p[3], p[4], p[5]) for p in r.pairs],
        numbers,
    )


def _families(verified: DataFrame, ids: DataFrame, sk: DataFrame) -> DataFrame:
    """families.jsonl lines ``(id, json)``, the families ``stemma scan`` finds in the same
    pairs: connected components of the derivation pairs are computed in Spark; a derivation
    tree never leaves the component of its pairs, so the core's tree rule
    (``stemma_scan::family::families``) runs on each component alone, in an executor (one
    call per chunk of components), with the pairs in the scan's order (later document, then
    earlier). Twice: first for each family's root and size, which number the families across
    components (largest first, ties by the root's reading order, as the core numbers them),
    then for the lines with those numbers."""
    deriv = verified.filter(F.col("relation").isin(*_DERIVATION)).select(
        "a", "b", "relation", "score", "source", "confidence"
    )
    comp = connected_components(deriv.select("a", "b"))
    lab = comp.select(F.col("node").alias("_n"), "label")
    mem = (
        lab.join(sk.select("_n", "date"), "_n")
        .join(ids, "_n")
        .groupBy("label")
        .agg(F.sort_array(F.collect_list(F.struct("_n", "date", "id"))).alias("mem"))
    )
    prs = (
        deriv.join(lab.select(F.col("_n").alias("a"), "label"), "a")
        .groupBy("label")
        .agg(
            F.sort_array(
                F.collect_list(F.struct("b", "a", "relation", "score", "source", "confidence"))
            ).alias("pairs")
        )
    )
    comps = mem.join(prs, "label").localCheckpoint()

    def sizes(rows: Iterable[Any]) -> Iterator[tuple]:
        from stemma import _stemma

        for batch in _chunks(rows, _ROW_BATCH):
            out = _stemma.family_lines([_component(r, []) for r in batch])
            for r, (fams, _) in zip(batch, out):
                for i, (root, size) in enumerate(fams):
                    yield (r.label, i, r.mem[root][0], size)

    meta_schema = T.StructType(
        [
            T.StructField("label", T.LongType(), False),
            T.StructField("idx", T.LongType(), False),
            T.StructField("root", T.LongType(), False),
            T.StructField("size", T.LongType(), False),
        ]
    )
    meta = comps.rdd.mapPartitions(sizes).toDF(meta_schema)
    nums = (
        meta.withColumn(
            "id", F.row_number().over(Window.orderBy(F.col("size").desc(), F.col("root")))
        )
        .groupBy("label")
        .agg(F.sort_array(F.collect_list(F.struct("idx", "id"))).alias("nums"))
    )

    def lines(rows: Iterable[Any]) -> Iterator[tuple]:
        from stemma import _stemma

        for batch in _chunks(rows, _ROW_BATCH):
            out = _stemma.family_lines([_component(r, [x[1] for x in r.nums]) for r in batch])
            for r, (_, ls) in zip(batch, out):
                for x, line in zip(r.nums, ls):
                    yield (x[1], line)

    line_schema = T.StructType(
        [
            T.StructField("id", T.LongType(), False),
            T.StructField("json", T.StringType(), False),
        ]
    )
    return comps.join(nums, "label").rdd.mapPartitions(lines).toDF(line_schema)


# ---------------------------------------------------------------------------------------
# Reading JSONL inputs in order, for the command line (python -m stemma.spark).


def read_jsonl(
    spark: SparkSession,
    paths: list[str],
    id_field: str = "id",
    text_field: str = "text",
    date_field: str = "date",
    source_field: str = "source",
    title_field: str = "title",
) -> tuple[DataFrame, list[dict[str, Any]]]:
    """JSONL files as a DataFrame ``(id, text, date, source, raw, title)`` in input order
    (files in the order given, lines in file order), and the records that could not be read
    (``file``, ``line``, ``reason``), as ``stemma``'s corpus reader reports them. ``title``
    is the headline field (a string or an integer, as the CLI reads it; ``title_field=""``:
    none); :func:`scan` reads it as the text's first paragraph, :func:`dedup` ignores it."""
    sc = spark.sparkContext
    rdds = []
    for fi, p in enumerate(paths):
        rdds.append(sc.textFile(p).zipWithIndex().map(lambda x, fi=fi: (fi, x[1] + 1, x[0])))
    lines = sc.union(rdds) if len(rdds) > 1 else rdds[0]
    names = list(paths)

    def parse(it: Iterable[Any]) -> Iterator[tuple]:
        for fi, line_no, raw in it:
            if not raw.strip():
                continue
            try:
                obj = json.loads(raw)
            except ValueError as e:
                yield ("skip", names[fi], line_no, f"invalid JSON: {e}", None, None, None, None)
                continue
            if not isinstance(obj, dict):
                yield ("skip", names[fi], line_no, "not a JSON object", None, None, None, None)
                continue
            text = obj.get(text_field)
            if not isinstance(text, str) or not text.strip():
                yield (
                    "skip", names[fi], line_no, f"no text in field {text_field!r}",
                    None, None, None, None,
                )
                continue
            rid = obj.get(id_field)
            rid = f"{names[fi]}:{line_no}" if rid is None else str(rid)
            date = obj.get(date_field)
            src = obj.get(source_field)
            title = obj.get(title_field) if title_field else None
            if isinstance(title, float):  # as Rust writes an f64 (no ".0" on whole numbers)
                title = str(int(title)) if title.is_integer() else repr(title)
            elif isinstance(title, bool) or not isinstance(title, (str, int)):
                title = None
            yield (
                "ok",
                rid,
                None,
                text,
                None if date is None else str(date),
                None if src is None else str(src),
                raw,
                None if title is None else str(title),
            )

    parsed = lines.mapPartitions(parse).cache()
    skipped = [
        {"file": r[1], "line": r[2], "reason": r[3]}
        for r in parsed.filter(lambda r: r[0] == "skip").collect()
    ]
    schema = T.StructType(
        [
            T.StructField("id", T.StringType(), False),
            T.StructField("text", T.StringType(), False),
            T.StructField("date", T.StringType(), True),
            T.StructField("source", T.StringType(), True),
            T.StructField("raw", T.StringType(), False),
            T.StructField("title", T.StringType(), True),
        ]
    )
    ok = parsed.filter(lambda r: r[0] == "ok").map(
        lambda r: (r[1], r[3], r[4], r[5], r[6], r[7])
    )
    return spark.createDataFrame(ok, schema), skipped


# ---------------------------------------------------------------------------------------
# The command line: python -m stemma.spark {dedup,scan} INPUT... (the files stemma writes).


def _removed_line(r: Any) -> str:
    """One line of ``--removed``, with the fields in ``stemma dedup``'s order."""
    return json.dumps(
        {
            "removed": r["id"],
            "kept": r["kept_id"],
            "cluster": r["cluster"],
            "exact": r["exact"],
            "estimated_jaccard": r["estimated_jaccard"],
            "true_jaccard": r["true_jaccard"],
        },
        separators=(",", ":"),
        ensure_ascii=False,
    )


def _cmd_dedup(args: Any) -> int:
    import sys

    spark = session(args.master)
    df, skipped = read_jsonl(
        spark, args.inputs, args.id_field, args.text_field, args.date_field, args.source_field
    )
    weights = None
    if args.weights:
        fp, fn = args.weights.split(",")
        weights = (float(fp), float(fn))
    kept, removed = dedup(
        df,
        threshold=args.threshold,
        num_perm=args.num_perm,
        ngram=args.ngram,
        keep=args.keep,
        date_col="date",
        bands=args.bands,
        rows=args.rows,
        weights=weights,
        verify=args.verify,
        seed=args.seed,
        scheme=args.scheme,
    )
    out = open(args.out, "w", encoding="utf-8") if args.out else sys.stdout
    n_kept = 0
    for r in kept.select("raw").toLocalIterator():
        out.write(r["raw"])
        out.write("\n")
        n_kept += 1
    if args.out:
        out.close()
    n_removed = 0
    if args.removed:
        with open(args.removed, "w", encoding="utf-8") as w:
            for r in removed.toLocalIterator():
                w.write(_removed_line(r) + "\n")
                n_removed += 1
    else:
        n_removed = removed.count()
    if not args.quiet:
        print(
            f"stemma.spark dedup: {n_kept + n_removed} documents read, {len(skipped)} skipped; "
            f"{n_removed} removed, {n_kept} kept",
            file=sys.stderr,
        )
        for s in skipped[:50]:
            print(f"  skipped {s['file']}:{s['line']}: {s['reason']}", file=sys.stderr)
    return 3 if skipped else 0


def _cmd_scan(args: Any) -> int:
    import os
    import sys

    spark = session(args.master)
    df, skipped = read_jsonl(
        spark, args.inputs, args.id_field, args.text_field, args.date_field, args.source_field,
        args.title_field,
    )
    semantic = False if args.no_semantic else None
    res = _scan(
        df, "id", "text", "date", title_col="title", relations=_DEFAULT_RELATIONS,
        semantic=semantic, model=args.model,
    )
    verified = res.verified
    os.makedirs(args.out, exist_ok=True)
    n_pairs = 0
    # The lines as the Rust core wrote them (the bytes of `stemma scan`'s pairs.jsonl).
    with open(os.path.join(args.out, "pairs.jsonl"), "w", encoding="utf-8") as w:
        for r in verified.orderBy("b", "a").select("json").toLocalIterator():
            w.write(r.json + "\n")
            n_pairs += 1
    n_fam = 0
    with open(os.path.join(args.out, "families.jsonl"), "w", encoding="utf-8") as w:
        # The lines as the Rust core wrote them (the bytes of `stemma scan`'s families.jsonl).
        for r in res.family_lines.orderBy("id").select("json").toLocalIterator():
            w.write(r.json + "\n")
            n_fam += 1
    if args.write_candidates and _LAST_CANDIDATES is not None:
        cand, side = _LAST_CANDIDATES
        ids = side.select("_n", "id")
        named = (
            cand.join(ids.withColumnRenamed("_n", "a").withColumnRenamed("id", "a_id"), "a")
            .join(ids.withColumnRenamed("_n", "b").withColumnRenamed("id", "b_id"), "b")
            .orderBy("a", "b")
        )
        from stemma import _stemma

        with open(os.path.join(args.out, "candidates.jsonl"), "w", encoding="utf-8") as w:
            for r in named.toLocalIterator():
                line = {"a_id": r.a_id, "b_id": r.b_id, "signals": _stemma.signals_of(r.signals)}
                w.write(json.dumps(line, ensure_ascii=False) + "\n")
    with open(os.path.join(args.out, "skipped.jsonl"), "w", encoding="utf-8") as w:
        for s in skipped:
            w.write(json.dumps(s) + "\n")
    if not args.quiet:
        print(
            f"stemma.spark scan: {len(skipped)} skipped; {n_pairs} pairs, {n_fam} families; "
            f"output: {args.out}",
            file=sys.stderr,
        )
        stages = ", ".join(f"{k} {v:.1f} s" for k, v in STAGE_SECONDS.items())
        print(f"stemma.spark scan: stages: {stages}", file=sys.stderr)
    return 3 if skipped else 0


def main(argv: list[str] | None = None) -> int:
    """``python -m stemma.spark``: run ``dedup`` or ``scan`` on Spark."""
    import argparse

    p = argparse.ArgumentParser(
        prog="python -m stemma.spark",
        description="stemma's dedup and scan on Spark (same core, same output files).",
    )
    sub = p.add_subparsers(dest="command", required=True)

    def common(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("inputs", nargs="+", help="JSONL files (optionally .gz)")
        sp.add_argument("--master", default=None, help="Spark master (default local[2])")
        sp.add_argument("--id-field", default="id")
        sp.add_argument("--text-field", default="text")
        sp.add_argument("--date-field", default="date")
        sp.add_argument("--source-field", default="source")
        sp.add_argument("-q", "--quiet", action="store_true")

    d = sub.add_parser("dedup", help="write the corpus back without its near-duplicates")
    common(d)
    d.add_argument("-o", "--out", help="kept records (JSONL); stdout when absent")
    d.add_argument("--removed", help="one JSONL line per removed document")
    d.add_argument("--threshold", type=float, default=0.8)
    d.add_argument("--num-perm", type=int, default=128)
    d.add_argument("--ngram", type=int, default=5)
    d.add_argument("--bands", type=int)
    d.add_argument("--rows", type=int)
    d.add_argument("--weights", help="FP,FN banding weights")
    d.add_argument("--verify", action="store_true")
    d.add_argument("--keep", choices=["first", "longest", "earliest"], default="first")
    d.add_argument("--seed", type=int, default=1)
    d.add_argument("--scheme", choices=["oph", "perm"], default="oph")
    d.set_defaults(run=_cmd_dedup)

    if "_cmd_scan" in globals():
        s = sub.add_parser("scan", help="every reuse relation: pairs.jsonl, families.jsonl")
        common(s)
        s.add_argument("-o", "--out", required=True, help="output folder")
        s.add_argument(
            "--write-candidates", action="store_true",
            help="also write candidates.jsonl (a_id, b_id, signals of every candidate pair)",
        )
        s.add_argument(
            "--title-field", default="title",
            help="JSONL field holding the headline, read as the text's first paragraph "
            "('' for none), as stemma scan --title-field",
        )
        s.add_argument("--model", help="semantic model file (default: as stemma compare finds it)")
        s.add_argument(
            "--no-semantic", action="store_true", help="score sentences lexically only"
        )
        s.set_defaults(run=globals()["_cmd_scan"])

    args = p.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    import stemma.spark as _self

    raise SystemExit(_self.main())
