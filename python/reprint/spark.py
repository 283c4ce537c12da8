"""``reprint scan`` on Spark (needs ``pyspark`` and ``pyarrow``).

``scan(df, **settings)`` takes a DataFrame with ``id`` and ``text`` (optional ``series``,
``date``, ``extra`` and ``doc``: the input order, else the DataFrame's order) and returns
``(pairs, clusters)``: DataFrames whose ``line`` column holds the ``pairs.jsonl`` and
``clusters.jsonl`` lines ``reprint scan`` writes, in its order (``order``).

The stages are the scan's own Rust code (``reprint._reprint.stage_*``, thin over
``reprint::stages``), called from ``mapInArrow``; Spark does every grouping, join and shuffle
between them:

1. fingerprints (``mapInArrow``): winnowed n-grams, fingerprint keys, content stems, the
   duplicate signature;
2. duplicate families: the scan's linking over every signature, in ONE task (it is
   sequential: a union-find over LSH buckets); members leave the next stage;
3. postings: n-gram fingerprints grouped, the ``max_df`` cut, the df weights, the common
   fingerprints; the rare-term channel (sketch estimate, nominations, exact selection,
   hits); candidate pairs with their evidence;
4. verification (``mapInArrow``): the family pairs, then the candidates (with what small
   families and rejected members stand for), by the scan's verifier, weighed by the
   corpus frequencies computed in 3;
5. clusters: connected components by iterative minimum-label propagation in Spark, then each
   component's root and cascade edges by the scan's code, one component a row.

``python -m reprint.spark scan INPUT... --out DIR [--master local[2]]`` writes
``pairs.jsonl``, ``clusters.jsonl`` and ``summary.json`` as ``reprint scan --out DIR`` does.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time

import pyarrow as pa

from . import _reprint

__all__ = ["scan", "read_jsonl", "main"]

_SETTING_NAMES = (
    "ngram", "window", "max_df", "rare_terms", "rare_max_df", "min_shared", "min_rare",
    "skip_same_series", "date_window", "emit", "max_doc_bytes", "detail", "reject_templates",
    "min_probability",
)
_DEFAULTS = {"max_df": 100, "rare_terms": 10, "rare_max_df": 50, "min_shared": 3, "min_rare": 6}


def _opt(settings, name):
    return settings.get(name, _DEFAULTS.get(name))


def _needs_keep(settings) -> bool:
    return bool(settings.get("skip_same_series")) or settings.get("date_window") is not None


def read_jsonl(spark, paths, names=None, **settings):
    """JSONL files as the scan reads them: ``(docs, skipped)``. ``docs`` has ``doc`` (input
    order), ``id``, ``series``, ``date``, ``text``, ``extra``; ``skipped`` has ``source``
    (the file's name in ``names``, else its path), ``line``, ``id``, ``reason``. A
    duplicate id keeps its first record. No row passes through Python objects: lines are
    read by Spark's text source, parsed by the scan's parser in ``mapInArrow`` and numbered
    from per-block counts."""
    from pyspark.sql import functions as F, Window

    for p in paths:
        if not os.path.isfile(p):
            raise ValueError(f"{p}: not a file (reprint.spark reads JSONL files, plain or .gz)")
    # Lines end at "\n" only, as in the scan's reader (a "\r" stays and is trimmed).
    frames = [spark.read.text(p, lineSep="\n").select(
        F.lit(fi).alias("file"), F.col("_metadata.file_block_start").alias("blk"),
        F.monotonically_increasing_id().alias("mid"), F.col("value").alias("line"))
        for fi, p in enumerate(paths)]
    lines = frames[0]
    for f in frames[1:]:
        lines = lines.unionByName(f)
    # Line numbers: the rows of one block of one file are consecutive in one partition (the
    # files are read apart: a partition holds one file), so a row's number is its block's
    # offset (the lines of the blocks before it, counted per block: a few numbers a file reach
    # the driver) plus its place in the block. Reading a file gives the same partitions and
    # ids every time.
    block = F.concat_ws(":", "file", F.shiftright("mid", 33), "blk")
    blocks = (lines.groupBy("file", "blk", block.alias("key"))
              .agg(F.count("*").alias("n"), F.min("mid").alias("first")).collect())
    shift, acc = [], {}
    for r in sorted(blocks, key=lambda r: (r["file"], r["blk"], r["first"])):
        shift += [F.lit(r["key"]), F.lit(acc.get(r["file"], 0) - r["first"] + 1)]
        acc[r["file"]] = acc.get(r["file"], 0) + r["n"]
    lineno = F.create_map(*shift)[block] + F.col("mid") if shift else F.lit(None).cast("long")
    lines = lines.select("file", lineno.alias("lineno"), "line")
    out_schema = ("file int, lineno long, id string, series string, date string, "
                  "text string, extra string, error string, blank boolean")

    def parse(batches):
        for b in batches:
            r = _reprint.stage_parse(b, **settings)
            cols = [b.column("file"), b.column("lineno")] + r.columns
            yield pa.RecordBatch.from_arrays(cols, names=["file", "lineno"] + r.schema.names)

    numbered = _cut(lines.mapInArrow(parse, out_schema))
    numbered = numbered.filter(~F.col("blank"))
    shown = F.create_map(*[x for i, p in enumerate(names or paths) for x in (F.lit(i), F.lit(p))])
    w = Window.partitionBy("id").orderBy("file", "lineno")
    ok = numbered.filter(F.col("error").isNull()).withColumn("rank", F.row_number().over(w))
    bad = numbered.filter(F.col("error").isNotNull()).select(
        "file", "lineno", "id", F.col("error").alias("reason"))
    dup = ok.filter(F.col("rank") > 1).select("file", "lineno", "id",
                                              F.lit("duplicate id").alias("reason"))
    skipped = _cut(bad.unionByName(dup).select(
        shown[F.col("file")].alias("source"), F.col("lineno").alias("line"), "id", "reason",
        "file"))
    docs = _number(ok.filter(F.col("rank") == 1), "doc", "file", "lineno")
    return docs.select("doc", "id", "series", "date", "text", "extra"), skipped


def _number(df, name, *order):
    """``df`` with ``name``: 0, 1, ... in the order of ``order`` (the DataFrame's own order
    when empty), numbered as ``zipWithIndex`` does: each sorted partition's rows counted
    (one number a partition reaches the driver), then offsets added. The result is cut."""
    from pyspark.sql import functions as F

    s = _cut((df.orderBy(*order) if order else df)
             .withColumn("_mid", F.monotonically_increasing_id()))
    part = F.shiftright("_mid", 33)
    counts = sorted((r[0], r[1]) for r in s.groupBy(part.alias("p")).count().collect())
    offsets, acc = [], 0
    for p, c in counts:
        offsets += [F.lit(p), F.lit(acc)]
        acc += c
    if not offsets:
        return s.withColumn(name, F.lit(None).cast("long")).drop("_mid")
    low = F.col("_mid").bitwiseAND(F.lit((1 << 33) - 1))
    return _cut(s.withColumn(name, F.create_map(*offsets)[part] + low).drop("_mid"))


def _numbered(df):
    """``df`` with a ``doc`` column (its order when absent) and the optional columns."""
    from pyspark.sql import functions as F

    for c in ("series", "date", "extra"):
        if c not in df.columns:
            df = df.withColumn(c, F.lit(None).cast("string"))
    df = df.withColumn("id", F.col("id").cast("string"))
    for c in ("series", "date", "extra"):
        df = df.withColumn(c, F.col(c).cast("string"))
    cols = ["id", "series", "date", "text", "extra"]
    if "doc" in df.columns:
        return df.select(F.col("doc").cast("long"), *cols)
    return _number(df.select(*cols), "doc").select("doc", *cols)


def _cut(df):
    """``df`` computed now and its plan cut: a checkpoint (reliable when the SparkContext has
    a checkpoint directory, else local). Every stage's output is cut, so that later stages'
    plans stay small: planning the whole scan as one plan costs more than running it on a
    small corpus, and each connected-components round would grow the lineage."""
    if df.sparkSession.sparkContext.getCheckpointDir():
        return df.checkpoint(eager=True)
    return df.localCheckpoint(eager=True)


def _one_batch(batches):
    """A partition's batches as one batch (None for an empty partition)."""
    tables = [b for b in batches]
    if not tables:
        return None
    whole = pa.Table.from_batches(tables).combine_chunks().to_batches()
    return whole[0] if whole else pa.RecordBatch.from_pylist([], schema=tables[0].schema)


def scan(df, *, timings=None, **settings):
    """Scans a DataFrame of documents (see the module's doc): ``(pairs, clusters)``.

    ``pairs``: ``a``, ``b`` (document numbers), ``label``, ``score``, ``line`` and
    ``order`` (the position ``reprint scan`` writes it at); ``clusters``: ``cluster``
    (1, 2, ...) and ``line``. ``timings``, a dict, receives seconds per stage (each stage is
    forced to run there, so the numbers are the stages' own)."""
    from pyspark.sql import functions as F

    unknown = set(settings) - set(_SETTING_NAMES)
    if unknown:
        raise TypeError(f"unexpected settings {sorted(unknown)}; scan settings: {_SETTING_NAMES}")
    t = timings if timings is not None else {}
    clock = [time.perf_counter()]
    sc = df.sparkSession.sparkContext
    stage_names = iter(("fingerprint", "duplicates", "candidates", "verify", "cluster", "write"))

    def lap(name):
        now = time.perf_counter()
        t[name] = t.get(name, 0.0) + now - clock[0]
        clock[0] = now
        # Spark's jobs carry the stage they belong to (an event log can be summed by it).
        sc.setJobGroup("reprint:" + next(stage_names, "write"), "reprint scan")

    sc.setJobGroup("reprint:read", "reprint scan")

    docs = _cut(_numbered(df))
    n = docs.count()
    bad = docs.filter(F.col("text").isNull() | F.col("id").isNull()).select("doc", "id").first()
    if bad is not None:
        raise ValueError(f"record {bad['id']!r} (document {bad['doc']}): id and text must not be null")
    doc_bits, _mask, saturated, common_df = _reprint.stage_constants(max(n, 1))
    max_df, rare_k = _opt(settings, "max_df"), _opt(settings, "rare_terms")
    rare_max_df = min(_opt(settings, "rare_max_df"), saturated - 1)
    lap("read")

    # 1. Fingerprints.
    ps = ("doc long, groups array<long>, keys array<long>, stems array<long>, "
          "slots array<long>, exact long, bins binary")

    def prints(batches):
        for b in batches:
            yield _reprint.stage_prints(b, n, **settings)

    fp = _cut(docs.select("doc", "text").mapInArrow(prints, ps))
    lap("fingerprint")

    # 2. Duplicate families (one task: the scan's sequential linking).
    fs = "rep long, member long, exact boolean, similarity float"

    def families(batches):
        batch = _one_batch(batches)
        if batch is not None:
            yield _reprint.stage_families(batch, n, **settings)

    sig = (fp.filter(F.col("exact").isNotNull()).select("doc", "exact", "bins")
           .join(docs.select("doc", "series", "date"), "doc").repartition(1))
    links = _cut(sig.mapInArrow(families, fs))

    # Issues of recurring notices (one series' very text on 3+ days; one task, as families).
    def recurring(batches):
        batch = _one_batch(batches)
        if batch is not None:
            yield _reprint.stage_recurring(batch)

    recur = _cut(sig.mapInArrow(recurring, "doc long, recur_text long, recur_days long"))
    members = links.select(F.col("member").alias("doc")).distinct()
    # A member leaves the candidate stage with the fingerprints its representative holds; a
    # near copy keeps those its own words made, once per distinct text (its first member).
    # Its representative's entries count for it and each distinct near copy (`w`).
    near_docs = (links.filter(~F.col("exact")).select(F.col("member").alias("doc"), "rep")
                 .join(fp.select("doc", "exact"), "doc")
                 .groupBy("exact", "rep").agg(F.min("doc").alias("doc")).select("doc", "rep"))
    weights = near_docs.groupBy(F.col("rep").alias("doc")).agg((F.count("*") + 1).alias("w"))
    rep_held = (fp.join(links.select(F.col("rep").alias("doc")).distinct(), "doc")
                .select(F.col("doc").alias("rep"), F.explode("groups").alias("g")).distinct())
    near_own = (fp.join(near_docs, "doc").select("doc", "rep", F.explode("groups").alias("g"))
                .join(rep_held, ["rep", "g"], "left_anti").select("doc", "g"))
    family_of = links.select("member", "rep")
    lap("duplicates")

    # 3. Postings and candidates.
    kept_fp = fp.join(members, "doc", "left_anti")
    entries = kept_fp.select("doc", F.explode("groups").alias("g")).unionByName(near_own)
    # One row per (n-gram, document) with its repeats: the count and weighed count of the
    # entries, and the distinct documents, without a countDistinct.
    reps = _cut(entries.groupBy("g", "doc").agg(F.count("*").alias("reps")))
    per_group = (reps.join(weights, "doc", "left")
                 .groupBy("g").agg(F.sum("reps").alias("k"),
                                   F.sum(F.col("reps") * F.coalesce("w", F.lit(1))).alias("wsum"),
                                   F.count("*").alias("df")))
    common = (per_group.filter((F.col("k") >= common_df) | (F.col("wsum") >= common_df))
              .select(F.shiftright("g", 32 - doc_bits).alias("key")).distinct())
    posting = per_group.filter((F.col("k") <= max_df) & (F.col("df") >= 2)).select("g", "df")
    held = reps.select("g", "doc").join(posting, "g")
    ng_pairs = (held.alias("x").join(held.alias("y"), "g")
                .filter(F.col("x.doc") < F.col("y.doc"))
                .select(F.col("x.doc").alias("a"), F.col("y.doc").alias("b"),
                        (F.when(F.col("x.df") <= 10, 4).when(F.col("x.df") <= 30, 2)
                         .otherwise(1)).alias("wt"))
                .groupBy("a", "b").agg(F.count("*").alias("ngrams"), F.sum("wt").alias("weight")))
    # Two near copies of one family are paired by the family, not here.
    ng_pairs = (ng_pairs.join(family_of.toDF("a", "fa"), "a", "left")
                .join(family_of.toDF("b", "fb"), "b", "left")
                .filter(F.col("fa").isNull() | F.col("fb").isNull() | (F.col("fa") != F.col("fb")))
                .drop("fa", "fb"))
    if rare_k > 0:
        stems_all = fp.select("doc", F.explode(F.arrays_zip("stems", "slots")).alias("s")).select(
            "doc", F.col("s.stems").alias("stem"), F.col("s.slots").alias("slot"))
        is_member = stems_all.join(members.withColumn("m", F.lit(1)), "doc", "left")
        sketch = is_member.groupBy("slot").agg(
            F.count("*").alias("total"), F.count("m").alias("gone"))
        sketch = sketch.select("slot", F.when(F.col("total") >= saturated, saturated)
                               .otherwise(F.col("total") - F.col("gone")).alias("est"))
        stems = stems_all.join(members, "doc", "left_anti")
        from pyspark.sql import Window
        est = stems.join(sketch, "slot").filter((F.col("est") >= 2) & (F.col("est") <= rare_max_df))
        nom_w = Window.partitionBy("doc").orderBy("est", "stem")
        wanted = (est.withColumn("r", F.row_number().over(nom_w)).filter(F.col("r") <= rare_k)
                  .select("stem").distinct())
        rare_held = stems.select("doc", "stem").join(wanted, "stem")
        rare_df = rare_held.groupBy("stem").agg(F.count("*").alias("df")).filter(
            (F.col("df") >= 2) & (F.col("df") <= _opt(settings, "rare_max_df")))
        rare_held = rare_held.join(rare_df, "stem")
        sel_w = Window.partitionBy("doc").orderBy("df", "stem")
        sel = (rare_held.withColumn("r", F.row_number().over(sel_w))
               .filter(F.col("r") <= rare_k).select("doc", "stem"))
        hits = (sel.alias("s").join(rare_held.alias("h"), "stem")
                .filter(F.col("s.doc") != F.col("h.doc"))
                .select(F.least("s.doc", "h.doc").alias("a"), F.greatest("s.doc", "h.doc").alias("b"))
                .groupBy("a", "b").agg(F.count("*").alias("rare")))
        both = ng_pairs.join(hits, ["a", "b"], "full")
    else:
        both = ng_pairs.withColumn("rare", F.lit(None).cast("long"))
    cands = both.select("a", "b", F.coalesce("ngrams", F.lit(0)).alias("ngrams"),
                        F.coalesce("weight", F.lit(0)).alias("weight"),
                        F.coalesce("rare", F.lit(0)).alias("rare"))
    cands = cands.filter((F.col("weight") >= 4 * _opt(settings, "min_shared")) |
                         (F.col("rare") >= _opt(settings, "min_rare"))).drop("weight")
    meta = docs.select("doc", "series", "date")
    if _needs_keep(settings):
        kept = F.udf(lambda sa, da, sb, db: _reprint.stage_pair_kept((sa, da), (sb, db), **settings),
                     "boolean")

        def keep(pairs, a="a", b="b"):
            return (pairs.join(meta.toDF("_a", "_sa", "_da"), F.col(a) == F.col("_a"))
                    .join(meta.toDF("_b", "_sb", "_db"), F.col(b) == F.col("_b"))
                    .filter(kept("_sa", "_da", "_sb", "_db"))
                    .drop("_a", "_sa", "_da", "_b", "_sb", "_db"))
        cands = keep(cands)
    else:
        def keep(pairs, a="a", b="b"):
            return pairs
    cands = _cut(cands)
    common = _cut(common)
    lap("candidates")

    # 4. Verification: family pairs, then candidates.
    doc_common = (fp.select("doc", F.explode("keys").alias("key")).join(common, "key")
                  .groupBy("doc").agg(F.array_sort(F.collect_list("key")).alias("common")))
    info = (docs.join(fp.select("doc", "keys"), "doc")
            .join(doc_common, "doc", "left")
            .join(recur, "doc", "left")
            .withColumn("common", F.coalesce("common", F.array().cast("array<long>"))))
    vs = ("a long, b long, label string, score float, source string, confidence float, "
          "basis string, line string, error string")

    def verify(batches):
        for b in batches:
            r = _reprint.stage_verify(b, **settings)
            extra = [b.column(c) for c in ("k0", "k1", "k2")]
            yield pa.RecordBatch.from_arrays(r.columns + extra, names=r.schema.names + ["k0", "k1", "k2"])

    def with_docs(pairs):
        sides = []
        for s in ("a", "b"):
            sides.append(info.select(*[F.col(c).alias(f"{c}_{s}") for c in
                                       ("doc", "id", "text", "series", "date", "extra", "keys", "common",
                                        "recur_text", "recur_days")]))
        return (pairs.join(sides[0], F.col("a") == F.col("doc_a"))
                .join(sides[1], F.col("b") == F.col("doc_b")).drop("doc_a", "doc_b"))

    out_schema = vs + ", k0 int, k1 long, k2 long"
    fam_pairs = links.select(F.least("rep", "member").alias("a"), F.greatest("rep", "member").alias("b"),
                             F.lit(0).alias("ngrams"), F.lit(0).alias("rare"),
                             F.col("exact").alias("dup_exact"), F.col("similarity").alias("dup_similarity"),
                             F.lit(0).alias("k0"), F.col("rep").alias("k1"), F.col("member").alias("k2"))
    fam_done = _cut(with_docs(fam_pairs).mapInArrow(verify, out_schema))
    verdicts = fam_done.join(links, (fam_done.k1 == links.rep) & (fam_done.k2 == links.member))
    kept_members = verdicts.filter(F.col("label") == "derived").select("rep", "member", "exact", "similarity")
    rejected = verdicts.filter((F.col("label") != "derived") | F.col("label").isNull()).select("rep", "member")
    small = (kept_members.groupBy("rep").agg(F.count("*").alias("size"))
             .filter(F.col("size") < 8).select("rep"))
    side = (kept_members.join(small, "rep").select(F.col("rep").alias("d"), F.col("member").alias("x"))
            .unionByName(rejected.select(F.col("rep").alias("d"), F.col("member").alias("x"))))
    ident = docs.select(F.col("doc").alias("d"), F.col("doc").alias("x"))
    side_all = side.unionByName(ident)
    sa, sb = side_all.toDF("da", "x"), side_all.toDF("db", "y")
    expanded = (cands.join(sa, F.col("a") == F.col("da")).join(sb, F.col("b") == F.col("db"))
                .filter(F.col("x") != F.col("y"))
                .select(F.least("x", "y").alias("a"), F.greatest("x", "y").alias("b"),
                        F.when((F.col("x") == F.col("a")) & (F.col("y") == F.col("b")), F.col("ngrams"))
                        .otherwise(0).alias("ngrams"),
                        F.when((F.col("x") == F.col("a")) & (F.col("y") == F.col("b")), F.col("rare"))
                        .otherwise(0).alias("rare")))
    inner = (side.toDF("d", "x").join(side.toDF("d", "y"), "d").filter(F.col("x") < F.col("y"))
             .select(F.col("x").alias("a"), F.col("y").alias("b"), F.lit(0).cast("long").alias("ngrams"),
                     F.lit(0).cast("long").alias("rare")))
    all_cands = keep(expanded.unionByName(inner)).groupBy("a", "b").agg(
        F.max("ngrams").alias("ngrams"), F.max("rare").alias("rare"))
    cand_pairs = all_cands.select("a", "b", "ngrams", "rare",
                                  F.lit(None).cast("boolean").alias("dup_exact"),
                                  F.lit(None).cast("float").alias("dup_similarity"),
                                  F.lit(1).alias("k0"), F.col("a").alias("k1"), F.col("b").alias("k2"))
    cand_done = with_docs(cand_pairs).mapInArrow(verify, out_schema)
    done = _cut(fam_done.unionByName(cand_done))
    written = done.filter(F.col("line").isNotNull())
    pairs = _cut(written.select("a", "b", "label", "score", "line",
                                F.struct("k0", "k1", "k2").alias("order"),
                                "source", "confidence", "basis"))
    lap("verify")

    # 5. Clusters: connected components by minimum-label propagation.
    edges = pairs.select("a", "b")
    und = edges.unionByName(edges.select(F.col("b").alias("a"), F.col("a").alias("b")))
    label = und.groupBy("a").agg(F.least(F.min("b"), F.first("a")).alias("c")).withColumnRenamed("a", "d")
    label = _cut(label)
    rounds = 0
    while True:
        # Each document takes the least label among its own and its neighbours'; the round
        # that changes no label ends it (as many rounds as the longest shortest path).
        nxt = _cut(und.join(label.toDF("b", "cb"), "b").groupBy("a").agg(F.min("cb").alias("m"))
                   .join(label.toDF("a", "c"), "a")
                   .select(F.col("a").alias("d"), F.least("m", "c").alias("c"),
                           (F.col("m") < F.col("c")).alias("moved")))
        rounds += 1
        label = nxt.select("d", "c")
        if nxt.filter("moved").count() == 0:
            break
    t["_rounds"] = rounds
    from pyspark.sql import Window
    numbers = (label.select("c").distinct()
               .withColumn("cluster", F.row_number().over(Window.orderBy("c"))))
    edge_rows = (pairs.join(label.toDF("a", "c"), "a").groupBy("c").agg(
        F.collect_list(F.struct("order", "a", "b", "score", "source", "confidence", "basis")).alias("edges")))
    member_rows = (label.join(docs, F.col("d") == F.col("doc")).groupBy("c").agg(
        F.collect_list(F.struct("doc", "id", "series", "date", "extra")).alias("docs")))
    fam_rows = (kept_members.join(docs.select(F.col("doc").alias("member"), "id"), "member")
                .groupBy("rep").agg(F.sort_array(F.collect_list(F.struct("member", "id", "exact", "similarity")))
                                    .alias("ms"))
                .join(label.toDF("rep", "c"), "rep").groupBy("c")
                .agg(F.collect_list(F.struct("rep", "ms")).alias("fams")))
    comp = (numbers.join(edge_rows, "c").join(member_rows, "c").join(fam_rows, "c", "left"))

    def cluster(batches):
        for b in batches:
            out = []
            for row in b.to_pylist():
                es = sorted(row["edges"], key=lambda e: (e["order"]["k0"], e["order"]["k1"], e["order"]["k2"]))
                line = _reprint.stage_cluster(
                    row["cluster"],
                    [(e["a"], e["b"], e["score"], e["source"], e["confidence"], e["basis"]) for e in es],
                    [(d["doc"], d["id"], d["series"], d["date"], d["extra"]) for d in row["docs"]],
                    [(f["rep"], [(m["id"], m["exact"], m["similarity"]) for m in f["ms"]])
                     for f in (row["fams"] or [])])
                out.append({"cluster": row["cluster"], "line": line, "size": len(row["docs"])})
            yield pa.RecordBatch.from_pylist(out, schema=pa.schema(
                [("cluster", pa.int64()), ("line", pa.string()), ("size", pa.int64())]))

    clusters = _cut(comp.mapInArrow(cluster, "cluster long, line string, size long"))
    lap("cluster")
    t["_verdicts"] = {r["label"] or "failed": r["count"] for r in done.groupBy("label").count().collect()}
    t["_documents"] = n
    return pairs, clusters


def shuffle_partitions(spark, paths) -> int:
    """Shuffle partitions for a scan of ``paths``: one per 16 MB of input (the postings and
    candidate pairs are a few times the text), at least the cluster's parallelism. Spark's
    default, 200, costs minutes of task overhead on a small corpus; AQE coalesces what is
    left over."""
    size = sum(os.path.getsize(p) for p in paths)
    per = 16 << 20
    return max(spark.sparkContext.defaultParallelism, min(4000, -(-size // per)))


def _write_lines(df, order_cols, path):
    tmp = tempfile.mkdtemp(prefix="reprint-spark-", dir=os.path.dirname(os.path.abspath(path)))
    try:
        df.orderBy(*order_cols).select("line").coalesce(1).write.mode("overwrite").text(tmp + "/o")
        parts = sorted(p for p in os.listdir(tmp + "/o") if p.startswith("part-"))
        with open(path, "wb") as out:
            for p in parts:
                with open(os.path.join(tmp, "o", p), "rb") as f:
                    shutil.copyfileobj(f, out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m reprint.spark")
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("scan", help="find all reuse in JSONL files, as `reprint scan` does")
    s.add_argument("inputs", nargs="+")
    s.add_argument("--out", required=True)
    s.add_argument("--master", default="local[2]")
    s.add_argument("--conf", action="append", default=[], metavar="KEY=VALUE",
                   help="a Spark setting (repeatable), e.g. spark.eventLog.enabled=true")
    s.add_argument("--ngram", type=int)
    s.add_argument("--window", type=int)
    s.add_argument("--max-df", type=int)
    s.add_argument("--rare-terms", type=int)
    s.add_argument("--rare-max-df", type=int)
    s.add_argument("--min-shared", type=int)
    s.add_argument("--min-rare", type=int)
    s.add_argument("--skip-same-series", action="store_true", default=None)
    s.add_argument("--date-window", type=int)
    s.add_argument("--emit")
    s.add_argument("--max-doc-bytes", type=int)
    s.add_argument("--detail", choices=["slim", "full"])
    s.add_argument("--reject-templates", action="store_true", default=None)
    s.add_argument("--min-probability", type=float)
    a = ap.parse_args(argv)
    settings = {k: v for k, v in vars(a).items()
                if k in _SETTING_NAMES and v is not None}
    from pyspark.sql import SparkSession

    # Workers run the interpreter that has this package.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    t0 = time.perf_counter()
    inputs = [os.path.abspath(p) for p in a.inputs]
    builder = (SparkSession.builder.master(a.master).appName("reprint-scan")
               .config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.adaptive.enabled", "true")
               .config("spark.sql.adaptive.coalescePartitions.enabled", "true")
               # Broadcast only what is surely small: a joined side's size is estimated
               # before it is hashed, and at 100k articles the 10 MB default built tables a
               # 3 GB driver could not hold.
               .config("spark.sql.autoBroadcastJoinThreshold", "2m")
               .config("spark.sql.adaptive.autoBroadcastJoinThreshold", "2m")
               .config("spark.driver.memory", os.environ.get("REPRINT_SPARK_DRIVER_MEMORY", "3g")))
    for kv in a.conf:
        k, sep, v = kv.partition("=")
        if not sep:
            ap.error(f"--conf {kv!r}: KEY=VALUE expected")
        builder = builder.config(k, v)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    if not any(kv.startswith("spark.sql.shuffle.partitions=") for kv in a.conf):
        spark.conf.set("spark.sql.shuffle.partitions", str(shuffle_partitions(spark, inputs)))
    os.makedirs(a.out, exist_ok=True)
    timings: dict = {}
    try:
        spark.sparkContext.setJobGroup("reprint:read", "reprint scan")
        t_read = time.perf_counter()
        timings["start"] = t_read - t0
        docs, skipped = read_jsonl(spark, inputs, names=a.inputs, **settings)
        t_read = time.perf_counter() - t_read
        pairs, clusters = scan(docs, timings=timings, **settings)
        timings["read"] += t_read
        t1 = time.perf_counter()
        _write_lines(pairs, ["order"], os.path.join(a.out, "pairs.jsonl"))
        _write_lines(clusters, ["cluster"], os.path.join(a.out, "clusters.jsonl"))
        timings["write"] = time.perf_counter() - t1
        skipped_rows = [r.asDict() for r in skipped.orderBy("file", "line").limit(1000).collect()]
        n_skipped = skipped.count()
        from pyspark.sql import functions as F
        agg = clusters.agg(F.count("*").alias("c"), F.sum("size").alias("m")).first()
        summary = {
            "files": len(a.inputs),
            "documents": timings.pop("_documents"),
            "cluster_rounds": timings.pop("_rounds"),
            "skipped": n_skipped,
            # As the CLI's: no "id" when the record's is unreadable.
            "skipped_records": [{k: r[k] for k in ("source", "line", "id", "reason")
                                 if r[k] is not None or k != "id"} for r in skipped_rows],
            "verdicts": timings.pop("_verdicts"),
            "pairs": pairs.count(),
            "clusters": agg["c"],
            "clustered_documents": agg["m"] or 0,
            "seconds": {**timings, "total": time.perf_counter() - t0},
            "engine": {"spark": spark.version, "master": a.master},
            "settings": settings,
        }
        with open(os.path.join(a.out, "summary.json"), "w") as f:
            json.dump(summary, f, indent=2)
            f.write("\n")
    finally:
        spark.stop()
    print(f"{summary['pairs']} pairs, {summary['clusters']} clusters -> {a.out}", file=sys.stderr)
    return 3 if n_skipped else 0


if __name__ == "__main__":
    sys.exit(main())
