#!/usr/bin/env python3
"""Print N random pairs reported by `reprint scan`, both texts side by side, to judge precision.

Usage:
  sample_pairs.py --pairs OUT/pairs.jsonl --corpus CORPUS [--corpus ...] [-n 20] [--seed 1]
                  [--chars 500] [--label derived] [--judge FILE]

CORPUS is a JSONL file (`id`, `text`) or a directory that was scanned (ids are paths relative
to it, `/`-separated), as given to `reprint scan`. Each pair is printed with its verdict label,
score, shared fingerprints and the first CHARS characters of each text (whitespace collapsed),
plus the longest verbatim passage the comparison found. `--judge FILE` also writes a JSONL
template (one line per sampled pair with an empty `judgement`) to fill in by hand.
"""
import argparse
import json
import os
import random
import sys


def load_corpus(paths, wanted):
    texts = {}
    for p in paths:
        if os.path.isdir(p):
            for i in wanted:
                f = os.path.join(p, *i.split("/"))
                if i not in texts and os.path.isfile(f):
                    with open(f, "rb") as fh:
                        texts[i] = fh.read().decode("utf-8", "replace")
        else:
            with open(p, encoding="utf-8") as fh:
                for line in fh:
                    if not line.strip():
                        continue
                    rec = json.loads(line)
                    i = str(rec.get("id"))
                    if i in wanted:
                        texts[i] = rec.get("text") or ""
    return texts


def squash(s, n):
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"


def pid(v):
    return v["id"] if isinstance(v, dict) else str(v)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pairs", required=True)
    ap.add_argument("--corpus", action="append", required=True)
    ap.add_argument("-n", type=int, default=20)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--chars", type=int, default=500)
    ap.add_argument("--label", help="only pairs with this verdict label")
    ap.add_argument("--judge", help="write a JSONL judging template here")
    args = ap.parse_args()

    pairs = []
    with open(args.pairs, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                p = json.loads(line)
                if args.label is None or p.get("label") == args.label:
                    pairs.append(p)
    rng = random.Random(args.seed)
    sample = rng.sample(pairs, min(args.n, len(pairs)))
    wanted = {pid(p["a"]) for p in sample} | {pid(p["b"]) for p in sample}
    texts = load_corpus(args.corpus, wanted)
    print(f"{len(sample)} of {len(pairs)} pairs (seed {args.seed})\n")
    template = []
    for k, p in enumerate(sample, 1):
        a, b = pid(p["a"]), pid(p["b"])
        ta, tb = texts.get(a, "<not found>"), texts.get(b, "<not found>")
        cmp_ = p.get("comparison") or {}
        verdict = cmp_.get("verdict", {})
        passages = cmp_.get("passages") or []
        longest = max((q.get("words", 0) for q in passages), default=0)
        print(f"=== {k}. {a}  <->  {b}")
        print(
            f"    label {p.get('label')}  score {p.get('score', 0):.3f}"
            f"  coverage {verdict.get('coverage_a', float('nan')):.2f}/{verdict.get('coverage_b', float('nan')):.2f}"
            f"  shared n-grams {p.get('shared', {}).get('ngrams')}  rare {p.get('shared', {}).get('rare_terms')}"
            f"  passages {len(passages)} (longest {longest} words)  len {len(ta.split())}/{len(tb.split())} words"
        )
        print(f"  A: {squash(ta, args.chars)}")
        print(f"  B: {squash(tb, args.chars)}\n")
        template.append({"n": k, "a": a, "b": b, "label": p.get("label"), "score": p.get("score"), "judgement": ""})
    if args.judge:
        with open(args.judge, "w", encoding="utf-8") as f:
            for t in template:
                f.write(json.dumps(t) + "\n")
        print(f"judging template: {args.judge}", file=sys.stderr)


if __name__ == "__main__":
    main()
