#!/usr/bin/env bash
# The Spark scan against the CLI on one corpus: wall time and peak RSS of each, whether
# pairs.jsonl and clusters.jsonl are byte-identical, and the Spark run's time per scan stage
# (driver clock from summary.json, Spark's own from the event log via bench/spark_events.py).
# Usage: bash bench/spark_bench.sh CORPUS.jsonl OUTDIR [MASTER]   (after python/test.sh:
# needs target/release/reprint and target/py-venv with reprint, pyspark and Java)
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=$1 out=$2 master=${3:-local[2]}
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
py="${VENV:-$CARGO_TARGET_DIR/py-venv}/bin/python"
rm -rf "$out" && mkdir -p "$out/events"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$out/report.txt"
/usr/bin/time -f "cli: %e s wall, %M KB peak RSS" -a -o "$out/report.txt" \
  "$CARGO_TARGET_DIR/release/reprint" scan "$corpus" --out "$out/cli" 2>"$out/cli.log" || true
echo "load between: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$out/report.txt"
/usr/bin/time -f "spark ($master): %e s wall," \
  -a -o "$out/report.txt" "$py" -m reprint.spark scan "$corpus" --out "$out/spark" \
  --master "$master" --conf spark.eventLog.enabled=true \
  --conf "spark.eventLog.dir=file://$(cd "$out" && pwd)/events" 2>"$out/spark.log" || true
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$out/report.txt"
for f in pairs clusters; do
  if cmp -s "$out/cli/$f.jsonl" "$out/spark/$f.jsonl"; then
    echo "$f.jsonl: byte-identical ($(wc -l <"$out/cli/$f.jsonl") lines)" >>"$out/report.txt"
  else
    echo "$f.jsonl: DIFFERENT" >>"$out/report.txt"
  fi
done
"$py" -c "import json,sys; d=json.load(open(sys.argv[1])); print('driver seconds per stage:', {k: round(v, 1) for k, v in d['seconds'].items()}, 'cluster rounds:', d.get('cluster_rounds'))" \
  "$out/spark/summary.json" >>"$out/report.txt" || true
"$py" bench/spark_events.py "$out"/events/* >>"$out/report.txt" || true
cat "$out/report.txt"
