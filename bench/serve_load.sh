#!/usr/bin/env bash
# Load on `reprint serve` (issue 12), on loopback, bounded: a benchmark, not a test.
#   bash bench/serve_load.sh [SECONDS] [CONCURRENCY]     (default 60 s, 8 clients)
# 1. generated 100k articles (reprint-bench gen, seed 42) indexed in $OUT/ix (kept between runs);
# 2. the service on 127.0.0.1, default limits (workers = cores);
# 3. /api/query unloaded (1 client, 1,000 requests), then at saturation (CONCURRENCY clients,
#    SECONDS); /api/compare unloaded (1 client, 1,000 requests), then at saturation.
#    Queries are the texts of 200 indexed articles: every answer must be 200 and name the
#    article itself (as a match, or among a match's byte-identical `copies`). Compares are 200 (source, reuse) pairs of the generator's truth: every
#    answer must be 200 and carry a verdict; anything else counts as an error.
# 4. the server's peak resident memory (VmHWM) after each phase.
# Needs ../shared/data (the generator trains on it). Results: one JSON line per phase on
# stdout; work files in $OUT (default /tmp/reprint-serve-load).
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_RUN=${1:-60}
CONC=${2:-8}
OUT=${OUT:-/tmp/reprint-serve-load}
mkdir -p "$OUT"
cargo build --release -q -p reprint-cli -p reprint-bench
R=target/release/reprint
B=target/release/reprint-bench

if [ ! -s "$OUT/g/corpus.jsonl" ]; then
  $B gen -n 100000 -o "$OUT/g" >/dev/null
fi
if [ ! -d "$OUT/ix" ]; then
  $R index add "$OUT/ix" "$OUT/g/corpus.jsonl" --batch 50000 --quiet
fi

python3 - "$OUT" <<'PY'
import json, sys
out = sys.argv[1]
docs = {}
with open(f"{out}/g/corpus.jsonl") as f:
    for i, line in enumerate(f):
        d = json.loads(line)
        docs[str(d["id"])] = d["text"]
ids = list(docs)
with open(f"{out}/query.jsonl", "w") as q:
    for i in range(0, len(ids), len(ids) // 200):
        k = ids[i]
        q.write(json.dumps({"body": {"text": docs[k]}, "expect": json.dumps(k)}) + "\n")
pairs = []
with open(f"{out}/g/truth.jsonl") as t:
    for line in t:
        p = json.loads(line)
        a, b = str(p["source"]), str(p["copy"])
        if a in docs and b in docs:
            pairs.append((a, b))
        if len(pairs) == 200:
            break
with open(f"{out}/compare.jsonl", "w") as c:
    for a, b in pairs:
        c.write(json.dumps({"body": {"a": docs[a], "b": docs[b]}, "expect": '"verdict":{"label":'}) + "\n")
print(f"bodies: {sum(1 for _ in open(out + '/query.jsonl'))} queries, {len(pairs)} compare pairs", file=sys.stderr)
PY

$R serve --index "$OUT/ix" --addr 127.0.0.1:0 > "$OUT/serve.out" 2>&1 &
SERVER=$!
trap 'kill -INT $SERVER 2>/dev/null || true' EXIT
URL=""
for _ in $(seq 600); do
  URL=$(grep -o 'http://[^ ]*' "$OUT/serve.out" || true)
  [ -n "$URL" ] && break
  kill -0 $SERVER 2>/dev/null || { cat "$OUT/serve.out"; exit 1; }
  sleep 0.1
done
[ -n "$URL" ] || { echo "the server did not start"; exit 1; }
URL=${URL%/}
echo "server: $URL (pid $SERVER), load average: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

phase() { # name endpoint concurrency [--requests N | --seconds S]
  local name=$1 path=$2 conc=$3; shift 3
  local r
  r=$($B load --url "$URL$path" --bodies "$OUT/${path##*/}.jsonl" --concurrency "$conc" "$@")
  local hwm rss
  hwm=$(awk '/VmHWM/ {print $2}' /proc/$SERVER/status)
  rss=$(awk '/VmRSS/ {print $2}' /proc/$SERVER/status)
  echo "{\"phase\": \"$name\", \"server_peak_rss_kb\": $hwm, \"server_rss_kb\": $rss, \"loadavg\": \"$(cut -d' ' -f1-3 /proc/loadavg)\", \"report\": $r}"
}

# Warm the page cache and the index's readers.
$B load --url "$URL/api/query" --bodies "$OUT/query.jsonl" --requests 200 >/dev/null
phase query-unloaded /api/query 1 --requests 1000 --seconds 600
phase query-saturated /api/query "$CONC" --seconds "$SECONDS_RUN"
phase compare-unloaded /api/compare 1 --requests 1000 --seconds 600
phase compare-saturated /api/compare "$CONC" --seconds "$SECONDS_RUN"

kill -INT $SERVER
wait $SERVER || true
trap - EXIT
tail -1 "$OUT/serve.out" >&2
