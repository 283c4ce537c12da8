#!/usr/bin/env python3
"""Rewrites N BBC articles as issue 11's query-quality check describes: a fifth of the
sentences dropped, two swapped, words changed. Deterministic (seeded).

Usage: bench/index_rewrites.py BBC_DIR OUT_DIR [N] [SEED]
Writes OUT_DIR/NNN.txt and OUT_DIR/truth.tsv (rewrite file, original id as `topic/NNN.txt`).
"""
import os
import random
import re
import sys

SWAPS = {"said": "stated", "says": "states", "year": "twelve months", "also": "as well",
         "new": "fresh", "big": "large", "but": "however", "company": "firm",
         "government": "administration", "people": "individuals", "show": "reveal"}


def sentences(text):
    # Keep the headline (first line) as a sentence of its own.
    parts = []
    for para in re.split(r"\n\s*\n|\n", text.strip()):
        parts.extend(s for s in re.split(r"(?<=[.!?])\s+", para.strip()) if s)
    return parts


def rewrite(text, rng):
    s = sentences(text)
    n = len(s)
    drop = set(rng.sample(range(1, n), max(1, n // 5))) if n > 5 else set()
    kept = [x for i, x in enumerate(s) if i not in drop]
    if len(kept) > 4:
        i = rng.randrange(1, len(kept) - 1)
        kept[i], kept[i + 1] = kept[i + 1], kept[i]
    out = []
    for x in kept:
        words = x.split(" ")
        for j, w in enumerate(words):
            if w.lower() in SWAPS and rng.random() < 0.7:
                words[j] = SWAPS[w.lower()]
        out.append(" ".join(words))
    return "\n".join(out) + "\n"


def main():
    bbc, out = sys.argv[1], sys.argv[2]
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 200
    rng = random.Random(int(sys.argv[4]) if len(sys.argv) > 4 else 11)
    files = []
    for topic in ("business", "entertainment", "politics", "sport", "tech"):
        for f in sorted(os.listdir(os.path.join(bbc, topic))):
            if f.endswith(".txt"):
                files.append(f"{topic}/{f}")
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "truth.tsv"), "w") as t:
        for k, rel in enumerate(sorted(rng.sample(files, n))):
            with open(os.path.join(bbc, rel), encoding="utf-8", errors="replace") as f:
                text = f.read()
            name = f"{k:03d}.txt"
            with open(os.path.join(out, name), "w") as f:
                f.write(rewrite(text, rng))
            t.write(f"{name}\t{rel}\n")


if __name__ == "__main__":
    main()
