#!/usr/bin/env bash
# Reproduces the numbers of bench/results/index/README.md (issue 11).
#   bench/index_bench.sh equal N      generated N articles: scan vs index add in 10 batches with
#                                     --pairs (pairs compared by ids and labels), times, sizes;
#                                     and vs one batch with --pairs (engine vs time of judgment)
#   bench/index_bench.sh reuters      the same on Reuters-21578 (needs ../shared/data)
#   bench/index_bench.sh quality      BBC + Reuters + AG indexed; 200 BBC rewrites queried
#                                     (top-1 rate), 200 generated articles not in the index
#   bench/index_bench.sh speed N      index add of N generated articles in batches of 50,000
#                                     (time, peak RSS, size) and query latency from the library
# Work files go to $OUT (default /tmp/reprint-index-bench).
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-/tmp/reprint-index-bench}
DATA=${DATA:-../shared/data}
mkdir -p "$OUT"
cargo build --release -q -p reprint-cli -p reprint-bench
cargo build --release -q -p reprint --example index_query
R=target/release/reprint
T="/usr/bin/time -f %C:_wall_%e_s_user_%U_s_peak_RSS_%M_kB"
# Exit status 3 means records were skipped (Reuters has empty ones): not a failure here.
ok3() { "$@" || [ $? -eq 3 ]; }

compare_pairs() { # scan-pairs ten-batch-pairs one-batch-pairs
  python3 - "$1" "$2" "$3" <<'PY'
import json, sys
def load(f):
    # Lines in order, by the rule of `index add --pairs`: a line sets its pair (a revision
    # replaces it), a withdrawal removes it. A scan writes neither.
    out, rev, wd = {}, 0, 0
    for j in map(json.loads, open(f)):
        k = tuple(sorted((j['a']['id'], j['b']['id'])))
        if j.get('withdrawn'):
            wd += 1
            out.pop(k, None)
        else:
            rev += bool(j.get('revises'))
            out[k] = j
    if rev or wd:
        print(f"{f}: {rev} revisions, {wd} withdrawals applied")
    return out
scan, ten, one = (load(f) for f in sys.argv[1:4])
def cmp(name, a, b):
    same = sum(1 for k in a if k in b and b[k]['label'] == a[k]['label'])
    print(f"{name}: {len(a)} vs {len(b)} pairs; same ids and label {same}; only first {len(set(a)-set(b))}; "
          f"only second {len(set(b)-set(a))}; label differs {sum(1 for k in a if k in b and a[k]['label'] != b[k]['label'])}")
cmp("scan vs 10 batches", scan, ten)
# One batch judges every pair with the whole corpus's frequencies, as the scan does: what
# differs from the scan there is the candidate engine; what differs between one batch and
# ten is the time of judgment (frequencies as of each batch).
cmp("scan vs 1 batch (engine)", scan, one)
near = sum(1 for k in set(scan) - set(one) if (scan[k].get('duplicate') or {}).get('link') == 'near')
print(f"  of the scan's pairs missing from 1 batch, {near} are near-copy family pairs (scan: duplicate.link = near)")
cmp("1 batch vs 10 batches (time of judgment)", one, ten)
PY
}

equal_run() { # name corpus.jsonl
  local name=$1 corpus=$2 n
  n=$(wc -l <"$corpus")
  cat "$corpus" >/dev/null
  ok3 $T $R scan "$corpus" -o "$OUT/$name-scan" -q
  rm -rf "$OUT/$name-ix" "$OUT/$name-pairs"
  ok3 $T $R index add "$OUT/$name-ix" "$corpus" --batch $(((n + 9) / 10)) --pairs "$OUT/$name-pairs" -q
  rm -rf "$OUT/$name-ix1"
  ok3 $T $R index add "$OUT/$name-ix1" "$corpus" --batch $(((n + 9) / 10)) -q
  $R index stats "$OUT/$name-ix1"
  rm -rf "$OUT/$name-ixall" "$OUT/$name-pairs1"
  ok3 $T $R index add "$OUT/$name-ixall" "$corpus" --batch "$n" --pairs "$OUT/$name-pairs1" -q
  compare_pairs "$OUT/$name-scan/pairs.jsonl" "$OUT/$name-pairs/pairs.jsonl" "$OUT/$name-pairs1/pairs.jsonl"
}

case "${1:-}" in
equal)
  n=${2:-100000}
  [ -s "$OUT/g$n/corpus.jsonl" ] || target/release/reprint-bench gen -n "$n" -o "$OUT/g$n" >/dev/null
  equal_run "g$n" "$OUT/g$n/corpus.jsonl"
  ;;
reuters)
  [ -s "$OUT/reuters.jsonl" ] || python3 bench/reuters_to_jsonl.py "$DATA/reuters21578" >"$OUT/reuters.jsonl"
  equal_run reuters "$OUT/reuters.jsonl"
  ;;
quality)
  [ -s "$OUT/reuters.jsonl" ] || python3 bench/reuters_to_jsonl.py "$DATA/reuters21578" >"$OUT/reuters.jsonl"
  [ -s "$OUT/ag.jsonl" ] || python3 bench/agnews_to_jsonl.py "$DATA/ag-news/test.csv" >"$OUT/ag.jsonl"
  mkdir -p "$OUT/bbc-tree"
  for t in business entertainment politics sport tech; do ln -sfn "$(realpath "$DATA/bbc-news/$t")" "$OUT/bbc-tree/$t"; done
  rm -rf "$OUT/rw" "$OUT/all-ix"
  python3 bench/index_rewrites.py "$DATA/bbc-news" "$OUT/rw" 200 11
  ok3 $T $R index add "$OUT/all-ix" "$OUT/bbc-tree" "$OUT/reuters.jsonl" "$OUT/ag.jsonl" -q
  $R index stats "$OUT/all-ix"
  $R query "$OUT/all-ix" "$OUT"/rw/[0-9]*.txt --json --top 3 >"$OUT/rw.jsonl"
  python3 - "$OUT" "$DATA/bbc-news" <<'PY'
import json, sys, os
out, bbc = sys.argv[1], sys.argv[2]
truth = dict(l.split() for l in open(f"{out}/rw/truth.tsv"))
# Top-1 rule: the original is the top match's id or one of its `copies` (indexed documents
# whose text is byte-identical to the top match's; the index cannot tell them apart).
strict = grouped = 0
misses = []
for l in open(f"{out}/rw.jsonl"):
    j = json.loads(l)
    want = truth[os.path.basename(j['query']['id'])]
    top = j['matches'][0] if j['matches'] else {'id': None, 'copies': [], 'score': None}
    strict += top['id'] == want
    if top['id'] == want or want in top['copies']:
        grouped += 1
    else:
        rank = next((i for i, m in enumerate(j['matches']) if want in [m['id']] + m['copies']), None)
        misses.append(f"{j['query']['id']}: want {want}, top {top['id']} ({top['score']}), original at rank {rank}")
print(f"200 BBC rewrites: the original is the top match (its id or one of its byte-identical copies) for {grouped}; "
      f"its id itself for {strict}")
for m in misses:
    print("  miss:", m)
PY
  [ -s "$OUT/fresh/corpus.jsonl" ] || target/release/reprint-bench gen -n 200 -o "$OUT/fresh" --seed 777 --reuse 0 >/dev/null
  mkdir -p "$OUT/fresh/txt"
  python3 -c "
import json
for i, l in enumerate(open('$OUT/fresh/corpus.jsonl')):
    open('$OUT/fresh/txt/%03d.txt' % i, 'w').write(json.loads(l)['text'])"
  $R query "$OUT/all-ix" "$OUT"/fresh/txt/*.txt --json |
    python3 -c "import json,sys; print('200 texts not in the index: with a derived/partial match:', sum(1 for l in sys.stdin if json.loads(l)['matches']))"
  ;;
speed)
  n=${2:-100000}
  [ -s "$OUT/g$n/corpus.jsonl" ] || target/release/reprint-bench gen -n "$n" -o "$OUT/g$n" >/dev/null
  cat "$OUT/g$n/corpus.jsonl" >/dev/null
  $T $R scan "$OUT/g$n/corpus.jsonl" -o "$OUT/g$n-scan" -q
  rm -rf "$OUT/g$n-ixs"
  $T $R index add "$OUT/g$n-ixs" "$OUT/g$n/corpus.jsonl" --batch 50000 -q
  $R index stats "$OUT/g$n-ixs"
  mkdir -p "$OUT/g$n-q"
  python3 -c "
import json
for i, l in enumerate(open('$OUT/g$n/corpus.jsonl')):
    if i % ($n // 200) == 1:
        open('$OUT/g$n-q/q%07d.txt' % i, 'w').write(json.loads(l)['text'])"
  $T target/release/examples/index_query "$OUT/g$n-ixs" 5 "$OUT/g$n-q"/*.txt
  ;;
*)
  sed -n 2,11p "$0"
  exit 2
  ;;
esac
