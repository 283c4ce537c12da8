#!/usr/bin/env python3
"""Near-duplicate candidates with datasketch MinHashLSH, for a side-by-side with `reprint scan`.

Reads the same corpus JSONL as `reprint scan` (fields `id`, `text`), shingles every text into
word n-grams (lower-cased `\\w+` tokens, 5 words by default), computes a 128-permutation MinHash
per document with `MinHash.bulk` (datasketch's batch path: one set of permutations reused, hashing
and min-reduction vectorised with numpy per document) in `--workers` processes, indexes
`LeanMinHash` objects in a `MinHashLSH` through an insertion session, queries every document and
writes:

- OUT/candidates.jsonl: every pair that LSH returns (a band collision), `{"a": id, "b": id}`;
- OUT/pairs.jsonl: the candidates whose estimated Jaccard (share of equal MinHash values) is at
  least the threshold: the filter datasketch's documentation recommends after `query`;
- OUT/stats.json: counts, LSH bands/rows, time per stage.

Documents with no token are skipped (an empty set would collide with every other empty set).
Usage: datasketch_lsh.py CORPUS.jsonl --out DIR [--threshold 0.3] [--ngram 5] [--num-perm 128]
"""
import argparse
import json
import multiprocessing as mp
import os
import re
import sys
import time

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH, __version__ as DS_VERSION

WORD = re.compile(r"\w+")
NUM_PERM = 128
NGRAM = 5


def shingles(text, n):
    words = WORD.findall(text.lower())
    if not words:
        return []
    if len(words) < n:
        return [" ".join(words).encode("utf-8")]
    return list({" ".join(words[i : i + n]).encode("utf-8") for i in range(len(words) - n + 1)})


def _init(num_perm, ngram):
    global NUM_PERM, NGRAM
    NUM_PERM, NGRAM = num_perm, ngram


def hash_chunk(texts):
    """MinHash values (uint64 array, one row per text) and the scheme name."""
    sets = [shingles(t, NGRAM) for t in texts]
    mhs = MinHash.bulk(sets, num_perm=NUM_PERM)
    return np.stack([m.hashvalues for m in mhs]), mhs[0].scheme


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus")
    ap.add_argument("--out", required=True)
    ap.add_argument("--threshold", type=float, default=0.3)
    ap.add_argument("--ngram", type=int, default=5)
    ap.add_argument("--num-perm", type=int, default=128)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--chunk", type=int, default=1000, help="documents per worker task")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    t0 = time.perf_counter()

    ids, texts = [], []
    skipped = 0
    with open(args.corpus, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            rec = json.loads(line)
            text = rec.get("text") or ""
            if not WORD.search(text):
                skipped += 1
                continue
            ids.append(str(rec["id"]))
            texts.append(text)
    t_read = time.perf_counter()

    chunks = [texts[i : i + args.chunk] for i in range(0, len(texts), args.chunk)]
    if args.workers > 1:
        with mp.Pool(args.workers, initializer=_init, initargs=(args.num_perm, args.ngram)) as pool:
            parts = pool.map(hash_chunk, chunks, chunksize=1)
    else:
        _init(args.num_perm, args.ngram)
        parts = [hash_chunk(c) for c in chunks]
    del texts, chunks
    scheme = parts[0][1] if parts else None
    hv = np.concatenate([p[0] for p in parts]) if parts else np.zeros((0, args.num_perm), np.uint64)
    del parts
    t_hash = time.perf_counter()

    lsh = MinHashLSH(threshold=args.threshold, num_perm=args.num_perm)
    lean = [LeanMinHash(seed=1, hashvalues=hv[i], scheme=scheme) for i in range(len(ids))]
    with lsh.insertion_session() as session:
        for i, m in enumerate(lean):
            session.insert(i, m, check_duplication=False)
    t_index = time.perf_counter()

    qa, qb = [], []
    for i, m in enumerate(lean):
        for j in lsh.query(m):
            if j > i:
                qa.append(i)
                qb.append(j)
    qa = np.asarray(qa, dtype=np.int64)
    qb = np.asarray(qb, dtype=np.int64)
    t_query = time.perf_counter()

    est = np.empty(len(qa), dtype=np.float64)
    step = 200_000
    for s in range(0, len(qa), step):
        est[s : s + step] = (hv[qa[s : s + step]] == hv[qb[s : s + step]]).mean(axis=1)
    keep = est >= args.threshold
    with open(os.path.join(args.out, "candidates.jsonl"), "w", encoding="utf-8") as fc, open(
        os.path.join(args.out, "pairs.jsonl"), "w", encoding="utf-8"
    ) as fp:
        for a, b, e, k in zip(qa.tolist(), qb.tolist(), est.tolist(), keep.tolist()):
            line = json.dumps({"a": ids[a], "b": ids[b], "jaccard_est": round(e, 4)}) + "\n"
            fc.write(line)
            if k:
                fp.write(line)
    t_end = time.perf_counter()

    stats = {
        "tool": "datasketch MinHashLSH",
        "datasketch": DS_VERSION,
        "documents": len(ids),
        "skipped_empty": skipped,
        "ngram": args.ngram,
        "num_perm": args.num_perm,
        "threshold": args.threshold,
        "bands": lsh.b,
        "rows": lsh.r,
        "workers": args.workers,
        "candidates": int(len(qa)),
        "pairs": int(keep.sum()),
        "seconds": {
            "read": round(t_read - t0, 3),
            "shingle_minhash": round(t_hash - t_read, 3),
            "index": round(t_index - t_hash, 3),
            "query": round(t_query - t_index, 3),
            "filter_write": round(t_end - t_query, 3),
            "total": round(t_end - t0, 3),
        },
    }
    with open(os.path.join(args.out, "stats.json"), "w") as f:
        json.dump(stats, f, indent=2)
        f.write("\n")
    print(json.dumps(stats), file=sys.stderr)


if __name__ == "__main__":
    main()
