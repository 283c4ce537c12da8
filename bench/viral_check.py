#!/usr/bin/env python3
"""Check a `reprint scan` of the viral-story corpus (bench/scan_bench.sh viral).

  viral_check.py GENDIR RUNDIR RESULTS  -> RESULTS/viral.json, RESULTS/viral.md; exit 1 on a miss

GENDIR holds the corpus from `reprint-bench viral` (gen.json, truth.jsonl); RUNDIR the scan's
output (pairs.jsonl, clusters.jsonl, summary.json) and time.txt (GNU time -v) and meta.json.
Acceptance (issue 9): the story and >= 990 of its copies in one cluster, scan wall < 60 s,
output < 200 MB.
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_report import gnu_time  # noqa: E402


def main():
    gen_dir, run_dir, results = sys.argv[1:4]
    gen = json.load(open(os.path.join(gen_dir, "gen.json")))
    summary = json.load(open(os.path.join(run_dir, "summary.json")))
    meta = json.load(open(os.path.join(run_dir, "meta.json")))
    t = gnu_time(os.path.join(run_dir, "time.txt"))
    copies_in_story_cluster = 0
    story_cluster_size = 0
    clusters = 0
    with open(os.path.join(run_dir, "clusters.jsonl")) as f:
        for line in f:
            c = json.loads(line)
            clusters += 1
            ids = [m["id"] for m in c["members"]]
            if "story" in ids:
                story_cluster_size = len(ids)
                copies_in_story_cluster = sum(1 for i in ids if i.startswith("copy"))
    out_bytes = sum(
        os.path.getsize(os.path.join(run_dir, n))
        for n in ("pairs.jsonl", "clusters.jsonl", "summary.json")
    )
    with open(os.path.join(run_dir, "pairs.jsonl")) as f:
        pair_lines = sum(1 for _ in f)
    res = {
        "commit": meta.get("commit"),
        "load_before": meta.get("load_before"),
        "copies": gen["copies"],
        "others": gen["others"],
        "copies_in_story_cluster": copies_in_story_cluster,
        "story_cluster_size": story_cluster_size,
        "clusters": clusters,
        "pair_lines": pair_lines,
        "output_bytes": out_bytes,
        "wall_s": t.get("wall_s"),
        "peak_rss_bytes": t.get("peak_rss_bytes"),
        "duplicates": summary.get("duplicates"),
    }
    checks = {
        "one cluster holds >= 990 copies": copies_in_story_cluster >= 990,
        "scan < 60 s": (t.get("wall_s") or 1e9) < 60,
        "output < 200 MB": out_bytes < 200e6,
    }
    res["checks"] = checks
    os.makedirs(results, exist_ok=True)
    with open(os.path.join(results, "viral.json"), "w") as f:
        json.dump(res, f, indent=1)
        f.write("\n")
    d = res["duplicates"] or {}
    md = [
        "| copies | others | copies in the story's cluster | cluster size | pair lines | output MB | wall s | peak RSS GB | families | near / exact | rejected | commit | load before |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---|---|",
        f"| {res['copies']} | {res['others']} | {copies_in_story_cluster} | {story_cluster_size} | {pair_lines} "
        f"| {out_bytes / 1e6:.1f} | {res['wall_s']:.2f} | {(res['peak_rss_bytes'] or 0) / 1e9:.2f} "
        f"| {d.get('families')} | {d.get('near')} / {d.get('exact')} | {d.get('rejected')} | {res['commit']} | {res['load_before']} |",
        "",
    ]
    md += [f"- {k}: {'yes' if v else 'NO'}" for k, v in checks.items()]
    with open(os.path.join(results, "viral.md"), "w") as f:
        f.write("\n".join(md) + "\n")
    print("\n".join(md))
    sys.exit(0 if all(checks.values()) else 1)


if __name__ == "__main__":
    main()
