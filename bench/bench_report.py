#!/usr/bin/env python3
"""Collect the artifacts of bench/scan_bench.sh into small result files.

  bench_report.py real   OUTDIR RESULTS   -> RESULTS/real.json, RESULTS/real.md
  bench_report.py scale  OUTDIR RESULTS   -> RESULTS/scale.json, RESULTS/scale.md
  bench_report.py versus OUTDIR RESULTS   -> RESULTS/versus.json, RESULTS/versus.md

OUTDIR is the run's bulky output directory (bench/out/<kind>). Every run directory in it holds
`time.txt` (GNU time -v), `meta.json` (what ran, load average before), and the tool's own
output (`summary.json` for reprint, `stats.json` for datasketch), and for synthetic corpora
`score.json` from `reprint-bench score`.
"""
import json
import os
import re
import sys

KINDS = ["verbatim", "partial", "reordered", "edited"]


def gnu_time(path):
    """Wall seconds, peak RSS (bytes), user and system seconds from `/usr/bin/time -v` output."""
    out = {}
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.strip()
            if line.startswith("Elapsed (wall clock) time"):
                v = line.rsplit(": ", 1)[1].strip()
                parts = [float(x) for x in v.split(":")]
                secs = 0.0
                for p in parts:
                    secs = secs * 60 + p
                out["wall_s"] = secs
            elif line.startswith("Maximum resident set size"):
                out["peak_rss_bytes"] = int(line.rsplit(": ", 1)[1]) * 1024
            elif line.startswith("User time"):
                out["user_s"] = float(line.rsplit(": ", 1)[1])
            elif line.startswith("System time"):
                out["sys_s"] = float(line.rsplit(": ", 1)[1])
            elif line.startswith("Exit status"):
                out["exit_status"] = int(line.rsplit(": ", 1)[1])
            elif line.startswith("Percent of CPU"):
                out["cpu_percent"] = int(re.sub(r"\D", "", line.rsplit(": ", 1)[1]) or 0)
    return out


def load(path):
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    return None


def count_lines(path):
    if not os.path.exists(path):
        return None
    with open(path, "rb") as f:
        return sum(1 for _ in f)


def run_record(d):
    """One run directory into a flat record."""
    rec = {"dir": d}
    meta = load(os.path.join(d, "meta.json")) or {}
    rec.update(meta)
    t = os.path.join(d, "time.txt")
    if os.path.exists(t):
        rec.update(gnu_time(t))
    s = load(os.path.join(d, "summary.json"))
    if s:
        rec["documents"] = s["documents"]
        rec["bytes"] = s["bytes"]
        rec["candidates"] = s["candidates"].get("candidates")
        rec["pairs"] = s["pairs"]
        rec["clusters"] = s["clusters"]
        rec["clustered_documents"] = s["clustered_documents"]
        rec["verdicts"] = s["verdicts"]
        rec["skipped"] = s["skipped"]
        rec["scan_seconds"] = s["seconds"]
    st = load(os.path.join(d, "stats.json"))
    if st:
        rec["documents"] = st["documents"]
        rec["candidates"] = st["candidates"]
        rec["pairs"] = st["pairs"]
        rec["ds_stats"] = st
    for name in ("score", "score-candidates"):
        sc = load(os.path.join(d, name + ".json"))
        if sc:
            rec[name.replace("-", "_")] = sc
    if "wall_s" in rec and rec.get("documents"):
        rec["docs_per_s"] = rec["documents"] / rec["wall_s"]
        if rec.get("bytes"):
            rec["mb_per_s"] = rec["bytes"] / 1e6 / rec["wall_s"]
    return rec


def runs(outdir):
    out = []
    for root, _dirs, files in os.walk(outdir):
        if "meta.json" in files and "time.txt" in files:
            out.append(run_record(root))
    out.sort(key=lambda r: (r.get("n", 0), r.get("order", 0), r["dir"]))
    return out


def gb(b):
    return f"{b / 2**30:.2f}" if b is not None else "-"


def f1(x, fmt="{:.1f}"):
    return fmt.format(x) if x is not None else "-"


def cpus(r):
    return r.get("user_s", 0) + r.get("sys_s", 0)


def cpu(r):
    if "user_s" not in r:
        return "-"
    return f"{r['user_s'] + r.get('sys_s', 0):.1f} ({r.get('cpu_percent', 0)}%)"


def recall_cells(score):
    """Recall per reuse kind, then the refills (not reuse) the tool reported."""
    if not score:
        return ["-"] * (len(KINDS) + 1)
    pk = score["per_kind"]
    cells = [f"{pk[k]['recall']:.4f} ({pk[k]['found']}/{pk[k]['injected']})" if k in pk else "-" for k in KINDS]
    nr = score.get("not_reuse", {}).get("refilled")
    cells.append(f"{nr['reported']}/{nr['injected']}" if nr else "-")
    return cells


def header(meta, rs=()):
    commits = sorted({r.get("commit") for r in rs if r.get("commit")})
    runs_on = f" (runs made on {', '.join('`' + c + '`' for c in commits)})" if commits else ""
    return (
        f"Measured {meta['date']} on commit `{meta['commit']}`{runs_on}, {meta['cores']} cores, "
        f"{meta['mem_gb']} GiB RAM ({meta['machine']}). Load average before the first run: "
        f"{meta['load_before']}. Wall time and peak RSS from `/usr/bin/time -v`.\n"
    )


STAGES = ("read", "fingerprint", "candidates", "verify", "cluster")


def stage_lines(lines, rs, label, with_total):
    """Appends the per-run stage seconds from each run's summary.json."""
    lines.append("Stage seconds (scan's own clock): " + " / ".join(STAGES) + ".\n")
    for r in rs:
        s = r.get("scan_seconds", {})
        total = f" (total {s.get('total', 0):.2f})" if with_total else ""
        lines.append(f"- {label(r)}: " + " / ".join(f"{s.get(k, 0):.2f}" for k in STAGES) + total)


def real(outdir, results, meta):
    rs = runs(outdir)
    lines = [f"# reprint scan on real corpora\n", header(meta, rs)]
    lines.append(
        "| corpus | docs | MB | wall s | CPU s (% of wall) | docs/s | MB/s | peak RSS GB | candidates | pairs (derived / partial) | clusters (docs in them) | load before |"
    )
    lines.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rs:
        v = r.get("verdicts", {})
        lines.append(
            f"| {r['name']} | {r.get('documents', '-'):,} | {r.get('bytes', 0) / 1e6:.1f} | {f1(r.get('wall_s'), '{:.2f}')} | {cpu(r)} "
            f"| {f1(r.get('docs_per_s'), '{:,.0f}')} | {f1(r.get('mb_per_s'), '{:.2f}')} | {gb(r.get('peak_rss_bytes'))} "
            f"| {r.get('candidates', '-'):,} | {r.get('pairs', '-'):,} ({v.get('derived', 0):,} / {v.get('partial', 0):,}) "
            f"| {r.get('clusters', '-'):,} ({r.get('clustered_documents', 0):,}) | {r.get('load_before', '-')} |"
        )
    lines.append("")
    stage_lines(lines, rs, lambda r: r["name"], with_total=True)
    write(results, "real", {"meta": meta, "runs": rs}, lines)


def scale(outdir, results, meta):
    rs = [r for r in runs(outdir) if r.get("tool") == "reprint"]
    lines = [f"# reprint scan on generated corpora (scale)\n", header(meta, rs)]
    lines.append(
        "| articles | MB | wall s | CPU s (% of wall) | docs/s | peak RSS GB | candidates | pairs | precision | "
        + " | ".join(f"recall {k}" for k in KINDS)
        + " | refills reported"
        + " | load before |"
    )
    lines.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|" + "---:|" * (len(KINDS) + 1) + "---:|")
    for r in rs:
        sc = r.get("score")
        lines.append(
            f"| {r['n']:,} | {r.get('bytes', 0) / 1e6:.0f} | {f1(r.get('wall_s'), '{:.2f}')} | {cpu(r)} | {f1(r.get('docs_per_s'), '{:,.0f}')} "
            f"| {gb(r.get('peak_rss_bytes'))} | {r.get('candidates', 0):,} | {r.get('pairs', 0):,} "
            f"| {sc['precision']:.4f} | " + " | ".join(recall_cells(sc)) + f" | {r.get('load_before', '-')} |"
        )
    lines.append("")
    if len(rs) > 1:
        lines.append("Growth between consecutive sizes (ratio of the larger run to the smaller):\n")
        lines.append("| from → to | size × | wall time × | CPU seconds × | peak RSS × | pairs × |")
        lines.append("|---|---:|---:|---:|---:|---:|")
        for a, b in zip(rs, rs[1:]):
            lines.append(
                f"| {a['n']:,} → {b['n']:,} | {b['n'] / a['n']:.0f} | {b['wall_s'] / a['wall_s']:.2f} | {cpus(b) / cpus(a):.2f} "
                f"| {b['peak_rss_bytes'] / a['peak_rss_bytes']:.2f} | {b['pairs'] / max(a['pairs'], 1):.2f} |"
            )
        lines.append("")
    stage_lines(lines, rs, lambda r: f"{r['n']:,}", with_total=False)
    write(results, "scale", {"meta": meta, "runs": rs}, lines)


def versus(outdir, results, meta):
    rs = runs(outdir)
    lines = [f"# reprint scan vs datasketch MinHashLSH (same corpus, same truth)\n", header(meta, rs)]
    lines.append(
        "| articles | tool | wall s | CPU s (% of wall) | peak RSS GB | reported pairs | precision | "
        + " | ".join(f"recall {k}" for k in KINDS)
        + " | refills reported"
        + " | load before |"
    )
    lines.append("|---:|---|---:|---:|---:|---:|---:|" + "---:|" * (len(KINDS) + 1) + "---:|")
    by_n = {}
    for r in rs:
        by_n.setdefault(r["n"], []).append(r)
        rows = [(r["name"], r.get("score"), r.get("pairs"))]
        if r.get("score_candidates"):
            rows.append((r["name"] + ": raw LSH candidates", r["score_candidates"], r.get("candidates")))
        for name, sc, npairs in rows:
            lines.append(
                f"| {r['n']:,} | {name} | {f1(r.get('wall_s'), '{:.2f}')} | {cpu(r)} | {gb(r.get('peak_rss_bytes'))} "
                f"| {npairs:,} | {sc['precision']:.4f} | " + " | ".join(recall_cells(sc)) + f" | {r.get('load_before', '-')} |"
            )
    lines.append("")
    lines.append("Time ratios (datasketch / reprint, same corpus, run back to back; CPU seconds = user + system):\n")
    for n, group in sorted(by_n.items()):
        ds = [r for r in group if r.get("tool") == "datasketch"]
        rp = [r for r in group if r.get("tool") == "reprint"]
        for d in ds:
            for p in rp:
                cd = d.get("user_s", 0) + d.get("sys_s", 0)
                cp = p.get("user_s", 0) + p.get("sys_s", 0)
                lines.append(
                    f"- {n:,} articles: {d['name']} / {p['name']}: wall {d['wall_s'] / p['wall_s']:.2f}×, "
                    f"CPU seconds {cd / max(cp, 1e-9):.2f}×"
                )
    lines.append("")
    for r in rs:
        if r.get("ds_stats"):
            st = r["ds_stats"]
            lines.append(
                f"- datasketch {st['datasketch']} at {r['n']:,}: word {st['ngram']}-gram shingles, {st['num_perm']} permutations, "
                f"threshold {st['threshold']} (b={st['bands']} bands × r={st['rows']} rows), {st['workers']} worker processes for "
                f"MinHash.bulk; stage seconds " + ", ".join(f"{k} {v}" for k, v in st["seconds"].items())
            )
    write(results, "versus", {"meta": meta, "runs": rs}, lines)


def write(results, name, data, lines):
    os.makedirs(results, exist_ok=True)
    for r in data["runs"]:
        r["dir"] = os.path.relpath(r["dir"])
    with open(os.path.join(results, name + ".json"), "w", encoding="utf-8") as f:
        json.dump(data, f, indent=1, sort_keys=True)
        f.write("\n")
    with open(os.path.join(results, name + ".md"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))


def main():
    kind, outdir, results = sys.argv[1], sys.argv[2], sys.argv[3]
    meta = load(os.path.join(outdir, "run-meta.json")) or {}
    {"real": real, "scale": scale, "versus": versus}[kind](outdir, results, meta)


if __name__ == "__main__":
    main()
