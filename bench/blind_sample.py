#!/usr/bin/env python3
"""Draw a random sample of pairs reported by `reprint scan` for a BLIND reading.

The reader sees only the two texts (with id, series and date), never the tool's label, score
or passages: judge first, then score the judgements against the key with blind_score.py.

Usage:
  blind_sample.py --pairs OUT/pairs.jsonl --corpus CORPUS [--corpus ...] -n 40 --seed S \
                  --out DIR [--chars 6000]

Writes DIR/sheet.md (the texts, for the reader), DIR/judged.jsonl (one line per pair with an
empty "judgement" and "note" to fill in) and DIR/key.jsonl (the tool's label and score: the
reader must not open it before judging). CORPUS is as for sample_pairs.py (a JSONL file or a
scanned directory). The sample is drawn with Python's random.Random(seed).sample over the
pairs in file order, so a seed reproduces it.
"""
import argparse
import json
import os
import random

from sample_pairs import load_corpus, pid


def meta(side):
    if not isinstance(side, dict):
        return ""
    bits = [f"{k} {side[k]}" for k in ("series", "date") if side.get(k)]
    return f" ({', '.join(bits)})" if bits else ""


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pairs", required=True)
    ap.add_argument("--corpus", action="append", required=True)
    ap.add_argument("-n", type=int, default=40)
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--chars", type=int, default=6000)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()

    with open(args.pairs, encoding="utf-8") as f:
        pairs = [json.loads(line) for line in f if line.strip()]
    rng = random.Random(args.seed)
    sample = rng.sample(pairs, min(args.n, len(pairs)))
    wanted = {pid(p["a"]) for p in sample} | {pid(p["b"]) for p in sample}
    texts = load_corpus(args.corpus, wanted)
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "sheet.md"), "w", encoding="utf-8") as sheet, \
         open(os.path.join(args.out, "judged.jsonl"), "w", encoding="utf-8") as judged, \
         open(os.path.join(args.out, "key.jsonl"), "w", encoding="utf-8") as key:
        sheet.write(f"# Blind sample: {len(sample)} of {len(pairs)} pairs, seed {args.seed}\n\n")
        for k, p in enumerate(sample, 1):
            a, b = pid(p["a"]), pid(p["b"])
            ta, tb = texts.get(a, "<not found>"), texts.get(b, "<not found>")
            cut = lambda t: t if len(t) <= args.chars else t[: args.chars] + " [...cut]"
            sheet.write(f"## {k}. {a} <-> {b}\n\n### A: {a}{meta(p['a'])}\n\n{cut(ta)}\n\n")
            sheet.write(f"### B: {b}{meta(p['b'])}\n\n{cut(tb)}\n\n")
            judged.write(json.dumps({"n": k, "a": a, "b": b, "judgement": "", "note": ""}) + "\n")
            key.write(json.dumps({"n": k, "a": a, "b": b, "label": p.get("label"), "score": p.get("score")}) + "\n")
    print(f"{len(sample)} of {len(pairs)} pairs -> {args.out}")


if __name__ == "__main__":
    main()
