#!/usr/bin/env python3
"""Recall of `reprint scan` on BBC News against brute-force word 5-gram containment.

Usage:
  bbc_containment.py --corpus bench/out/real/bbc-tree --pairs OUT/pairs.jsonl [--min 0.2]
      [--labels derived,partial]   (labels counted as found; add `background` to count the
                                    pairs the default output leaves out as background)

Every text under CORPUS (ids are paths relative to it, `/`-separated, as `reprint scan` names
them) is tokenised by lower-casing and taking maximal runs of ASCII letters and digits
(`re.findall(r"[a-z0-9]+")`; "U.S." is two words "u", "s", "2,500" is "2", "500"). Each text
is the set of its word 5-grams. For EVERY pair of texts (through an inverted index from
5-gram to texts, so pairs sharing no 5-gram are never materialised, which is exact: their
containment is 0), containment = shared 5-grams / 5-grams of the text with fewer 5-grams.
Pairs with containment >= MIN are the truth; the script reports how many of them
`pairs.jsonl` holds (either order), with a Wilson 95% interval, and lists the missed ones.

Duplicate families: when `--clusters` is given and a record there lists `family` members
(exact or near-duplicate documents collapsed before the n-gram stage), a pair whose two
texts are in one family counts as reported.
"""
import argparse
import json
import math
import os
import re
import sys
from collections import defaultdict

WORD = re.compile(r"[a-z0-9]+")


def grams(text, n=5):
    w = WORD.findall(text.lower())
    return {tuple(w[i:i + n]) for i in range(len(w) - n + 1)}


def wilson(k, n, z=1.96):
    if n == 0:
        return (0.0, 0.0)
    p = k / n
    d = 1 + z * z / n
    c = p + z * z / (2 * n)
    r = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return ((c - r) / d, (c + r) / d)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--pairs", required=True)
    ap.add_argument("--clusters")
    ap.add_argument("--min", type=float, default=0.2)
    ap.add_argument("--labels", default="derived,partial",
                    help="labels that count as found (e.g. derived,partial,background)")
    args = ap.parse_args()

    ids, sets = [], []
    for root, dirs, files in os.walk(args.corpus, followlinks=True):
        dirs.sort()
        for f in sorted(files):
            if f.startswith("."):
                continue
            p = os.path.join(root, f)
            rel = os.path.relpath(p, args.corpus).replace(os.sep, "/")
            with open(p, "rb") as fh:
                ids.append(rel)
                sets.append(grams(fh.read().decode("utf-8", "replace")))
    index = defaultdict(list)
    for d, s in enumerate(sets):
        for g in s:
            index[g].append(d)
    shared = defaultdict(int)
    for docs in index.values():
        if len(docs) < 2:
            continue
        for i in range(len(docs)):
            for j in range(i + 1, len(docs)):
                shared[(docs[i], docs[j])] += 1
    truth = []
    for (x, y), k in shared.items():
        m = min(len(sets[x]), len(sets[y]))
        if m and k / m >= args.min:
            truth.append((ids[x], ids[y], k / m))

    reported = set()
    with open(args.pairs, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                p = json.loads(line)
                if p.get("label") in args.labels.split(","):
                    a, b = p["a"]["id"], p["b"]["id"]
                    reported.add((a, b))
                    reported.add((b, a))
    family = {}
    if args.clusters and os.path.exists(args.clusters):
        with open(args.clusters, encoding="utf-8") as f:
            for k, line in enumerate(f):
                rec = json.loads(line) if line.strip() else {}
                for m in rec.get("family") or []:
                    family[m["id"] if isinstance(m, dict) else str(m)] = k

    def found(a, b):
        return (a, b) in reported or (a in family and family.get(a) == family.get(b))

    hit = [t for t in truth if found(t[0], t[1])]
    miss = [t for t in truth if not found(t[0], t[1])]
    lo, hi = wilson(len(hit), len(truth))
    print(f"{len(ids)} texts, {len(shared)} pairs sharing a 5-gram, {len(truth)} with containment >= {args.min}")
    print(f"reported: {len(hit)} of {len(truth)} = {len(hit) / max(1, len(truth)):.4f} (Wilson 95% {lo:.3f}-{hi:.3f})")
    for a, b, c in sorted(miss, key=lambda t: -t[2]):
        print(f"  missed {a} {b} containment {c:.3f}")


if __name__ == "__main__":
    sys.exit(main())
