#!/usr/bin/env python3
"""Score a blind reading made with blind_sample.py.

Usage: blind_score.py DIR [DIR ...]

Each DIR holds judged.jsonl (judgement per pair: reuse | same-event | template | boilerplate |
background | different; `background`, two stories sharing a recycled paragraph, is not reuse
but is counted apart) and key.jsonl (the tool's labels). Prints, per DIR, the counts per judgement, the
precision (share judged `reuse`) with its Wilson 95% interval, and the precision per tool label.
A pair left unjudged is an error, so a half-done reading cannot be scored as complete.
"""
import json
import math
import os
import sys
from collections import Counter

KINDS = ("reuse", "same-event", "template", "boilerplate", "background", "different")


def wilson(k, n, z=1.96):
    if n == 0:
        return (float("nan"), float("nan"))
    p = k / n
    d = 1 + z * z / n
    c = (p + z * z / (2 * n)) / d
    h = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d
    return (c - h, c + h)


def load(path):
    with open(path, encoding="utf-8") as f:
        return {r["n"]: r for r in (json.loads(line) for line in f if line.strip())}


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    for d in sys.argv[1:]:
        judged, key = load(os.path.join(d, "judged.jsonl")), load(os.path.join(d, "key.jsonl"))
        bad = [n for n, r in judged.items() if r.get("judgement") not in KINDS]
        if bad:
            sys.exit(f"{d}: pairs {bad} have no valid judgement (one of {', '.join(KINDS)})")
        if set(judged) != set(key):
            sys.exit(f"{d}: judged.jsonl and key.jsonl hold different pairs")
        n = len(judged)
        counts = Counter(r["judgement"] for r in judged.values())
        k = counts["reuse"]
        lo, hi = wilson(k, n)
        print(f"{d}: {n} pairs, reuse {k} = {k / n:.2f} (95% {lo:.2f}-{hi:.2f}); "
              + ", ".join(f"{j} {counts[j]}" for j in KINDS if counts[j]))
        if counts["background"]:
            kb = k + counts["background"]
            lo, hi = wilson(kb, n)
            print(f"    counting background as reuse: {kb} = {kb / n:.2f} (95% {lo:.2f}-{hi:.2f})")
        by_label = Counter()
        reuse_by_label = Counter()
        for i, r in judged.items():
            lab = key[i].get("label")
            by_label[lab] += 1
            reuse_by_label[lab] += r["judgement"] == "reuse"
        for lab in sorted(by_label):
            print(f"    label {lab}: {reuse_by_label[lab]}/{by_label[lab]} reuse")


if __name__ == "__main__":
    main()
