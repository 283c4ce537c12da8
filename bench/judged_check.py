#!/usr/bin/env python3
"""Check a verdict change against every pair judged by reading (development data).

Usage: judged_check.py [--rounds DIR] [--lead N ...] CORPUS=RUN_BEFORE:RUN_AFTER ...

Each RUN is a `reprint scan --emit derived,partial,template,boilerplate,background,related`
output directory of one corpus (`reuters`, `bbc` or `ag`). Every pair judged in
bench/results/reading (r1-r11: `judged-CORPUS.jsonl` with the label inline, or
`CORPUS/judged.jsonl` + `key.jsonl`) is matched by its two ids; a pair judged in several rounds
takes its latest judgement. Prints per corpus, among the judged pairs that the BEFORE build
writes by default (`derived`/`partial`): how many are reuse and not, and what the AFTER build
does with them (kept in the default output, or given another label). With --lead N, also
re-derives the `background` rule for leads of N body sentences from the positions the AFTER
build writes in its reasons ("starts at body sentence K of A ..."), to show the rule's
sensitivity to the lead's length without rebuilding.
"""
import argparse
import glob
import json
import os
import re
from collections import Counter, defaultdict

DEFAULT = ("derived", "partial")


def judged_pairs(root):
    """{corpus: {(a, b): (round, judgement)}} with the latest round winning."""
    out = defaultdict(dict)

    def rnd(path):
        return int(re.search(r"/r(\d+)-", path).group(1))

    def add(corpus, r, row):
        key = tuple(sorted((row["a"], row["b"])))
        prev = out[corpus].get(key)
        if prev is None or prev[0] <= r:
            out[corpus][key] = (r, row["judgement"])

    for path in glob.glob(os.path.join(root, "r*", "judged-*.jsonl")):
        corpus = re.search(r"judged-(\w+)\.jsonl", path).group(1)
        for line in open(path, encoding="utf-8"):
            if line.strip():
                add(corpus, rnd(path), json.loads(line))
    for path in glob.glob(os.path.join(root, "r*", "*", "judged.jsonl")):
        corpus = os.path.basename(os.path.dirname(path))
        for line in open(path, encoding="utf-8"):
            if line.strip():
                add(corpus, rnd(path), json.loads(line))
    return out


def run_pairs(run):
    """{(a, b): pair record} of a scan run."""
    pairs = {}
    for line in open(os.path.join(run, "pairs.jsonl"), encoding="utf-8"):
        p = json.loads(line)
        pairs[tuple(sorted((p["a"]["id"], p["b"]["id"])))] = p
    return pairs


PLACE = re.compile(r"covers ([0-9.]+) of A and ([0-9.]+) of B and starts at "
                   r"(the headline|body sentence (\d+)|no sentence) of A and "
                   r"(the headline|body sentence (\d+)|no sentence) of B")


def background_at(p, lead, minority=0.5):
    """The background rule for a lead of `lead` body sentences and a minority below
    `minority` of each text, from the copied text's place and coverage in the reasons."""
    v = p["comparison"]["verdict"]
    if p["label"] not in ("partial", "background"):
        return False
    m = next((PLACE.search(r) for r in v["reasons"] if PLACE.search(r)), None)
    if m is None:
        return False

    def in_lead(word, n):
        if word == "the headline":
            return True
        if n is not None:
            return int(n) <= lead
        return False

    small = float(m.group(1)) < minority and float(m.group(2)) < minority
    return small and not in_lead(m.group(3), m.group(4)) and not in_lead(m.group(5), m.group(6))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", default=os.path.join(os.path.dirname(__file__), "results", "reading"))
    ap.add_argument("--lead", type=int, action="append", default=[])
    ap.add_argument("--minority", type=float, default=0.5)
    ap.add_argument("runs", nargs="+")
    args = ap.parse_args()
    judged = judged_pairs(args.rounds)
    for spec in args.runs:
        corpus, runs = spec.split("=")
        before, after = (run_pairs(r) for r in runs.split(":"))
        rows = Counter()
        moved = defaultdict(list)
        sens = {n: Counter() for n in args.lead}
        for key, (r, j) in sorted(judged[corpus].items()):
            b = before.get(key)
            if b is None or b["label"] not in DEFAULT:
                continue
            a = after.get(key)
            lab = a["label"] if a else "(not reported)"
            truth = "reuse" if j == "reuse" else "false"
            rows[(truth, "kept" if lab in DEFAULT else lab)] += 1
            if lab not in DEFAULT:
                moved[lab].append((key, r, j))
            for n in args.lead:
                if a is not None:
                    sens[n][(truth, background_at(a, n, args.minority))] += 1
        reuse = sum(v for (t, _), v in rows.items() if t == "reuse")
        false = sum(v for (t, _), v in rows.items() if t == "false")
        kr, kf = rows[("reuse", "kept")], rows[("false", "kept")]
        print(f"{corpus}: judged pairs in the default output before: {reuse + false} "
              f"({reuse} reuse, {false} not; precision {reuse / max(1, reuse + false):.3f})")
        print(f"  after: kept {kr + kf} ({kr} reuse, {kf} not; precision "
              f"{kr / max(1, kr + kf):.3f}); removed {reuse - kr} reuse, {false - kf} not")
        for lab, items in sorted(moved.items()):
            js = Counter(j for _, _, j in items)
            print(f"  -> {lab}: " + ", ".join(f"{k} {v}" for k, v in js.most_common()))
            for key, r, j in items:
                print(f"       r{r} {j:10s} {key[0]} {key[1]}")
        for n in args.lead:
            c = sens[n]
            print(f"  lead of {n} body sentences, minority < {args.minority}: background would take {c[('false', True)]} "
                  f"not-reuse and {c[('reuse', True)]} reuse pairs")


if __name__ == "__main__":
    main()
