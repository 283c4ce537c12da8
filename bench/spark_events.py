"""Where a `python -m reprint.spark scan` run spent its time, from Spark's event log.

Run the scan with `--conf spark.eventLog.enabled=true --conf spark.eventLog.dir=DIR`, then
`python bench/spark_events.py DIR/<app file>`. Jobs are grouped by the scan stage that
started them (`reprint:<stage>`, the job group `reprint.spark` sets). Per stage: Spark jobs,
Spark stages, tasks, the jobs' wall seconds (first job start to last job end, summed over
jobs as they ran one after another), task seconds (executor run time summed over tasks: the
work, which 2 cores share), and of it the time spent in Python workers is not separable.
"""
import json
import os
import sys
from collections import defaultdict


def main(path):
    jobs = {}  # job id -> [group, start ms, end ms, stage ids]
    stage_job = {}
    tasks = defaultdict(lambda: [0, 0.0, 0.0, 0.0])  # group -> [n, run s, cpu s, gc s]
    app = [None, None]
    files = ([os.path.join(path, x) for x in sorted(os.listdir(path)) if x.startswith("events_")]
             if os.path.isdir(path) else [path])
    for name in files:
        if name.endswith(".zstd"):  # Spark 4 compresses its event logs by default
            import io
            import subprocess
            f = io.StringIO(subprocess.run(["zstd", "-dc", name], check=True,
                                           capture_output=True, text=True).stdout)
        else:
            f = open(name)
        for line in f:
            e = json.loads(line)
            ev = e["Event"]
            if ev == "SparkListenerApplicationStart":
                app[0] = e["Timestamp"]
            elif ev == "SparkListenerApplicationEnd":
                app[1] = e["Timestamp"]
            elif ev == "SparkListenerJobStart":
                props = e.get("Properties") or {}
                g = props.get("spark.jobGroup.id") or "(none)"
                jobs[e["Job ID"]] = [g, e["Submission Time"], None, e["Stage IDs"]]
                for s in e["Stage IDs"]:
                    stage_job[s] = e["Job ID"]
            elif ev == "SparkListenerJobEnd":
                jobs[e["Job ID"]][2] = e["Completion Time"]
            elif ev == "SparkListenerTaskEnd":
                j = stage_job.get(e["Stage ID"])
                g = jobs[j][0] if j is not None else "(none)"
                m = e.get("Task Metrics") or {}
                t = tasks[g]
                t[0] += 1
                t[1] += m.get("Executor Run Time", 0) / 1e3
                t[2] += m.get("Executor CPU Time", 0) / 1e9
                t[3] += m.get("JVM GC Time", 0) / 1e3
    per = defaultdict(lambda: [0, 0, 0.0])  # group -> [jobs, stages run, job wall s]
    for g, start, end, stages in jobs.values():
        p = per[g]
        p[0] += 1
        p[1] += len(stages)
        if end is not None:
            p[2] += (end - start) / 1e3
    order = sorted(per, key=lambda g: min(j[1] for j in jobs.values() if j[0] == g))
    print("| stage | jobs | stages (incl. skipped) | tasks | job wall s | task run s | task CPU s | GC s |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    tot = [0, 0, 0, 0.0, 0.0, 0.0, 0.0]
    for g in order:
        p, t = per[g], tasks[g]
        row = [p[0], p[1], t[0], p[2], t[1], t[2], t[3]]
        tot = [a + b for a, b in zip(tot, row)]
        print(f"| {g.removeprefix('reprint:')} | {row[0]} | {row[1]} | {row[2]} | {row[3]:.1f} | "
              f"{row[4]:.1f} | {row[5]:.1f} | {row[6]:.1f} |")
    print(f"| total | {tot[0]} | {tot[1]} | {tot[2]} | {tot[3]:.1f} | {tot[4]:.1f} | {tot[5]:.1f} | "
          f"{tot[6]:.1f} |")
    if app[0] and app[1]:
        print(f"\napplication wall: {(app[1] - app[0]) / 1e3:.1f} s")


if __name__ == "__main__":
    main(sys.argv[1])
