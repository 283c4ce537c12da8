#!/usr/bin/env bash
# Reproducible benchmarks for `reprint scan` (issue 4).
#
#   bench/scan_bench.sh real                 Reuters-21578, BBC News, AG News from $DATA
#   bench/scan_bench.sh scale [N ...]        generated corpora (default 10000 100000 1000000):
#                                            recall per injected kind, precision, time, memory
#   bench/scan_bench.sh versus [N ...]       reprint vs datasketch MinHashLSH on the same
#                                            generated corpus (default 10000 100000)
#   bench/scan_bench.sh viral [COPIES OTHERS] one story lightly edited by COPIES outlets (default
#                                            1000) among OTHERS articles (default 2000): checks
#                                            one cluster of >= 990 copies, scan < 60 s, output < 200 MB
#   bench/scan_bench.sh sample CORPUS [N]    print N random pairs of a `real` run (reuters|bbc|ag,
#                                            or reuters-rt|bbc-rt|ag-rt: the --reject-templates runs)
#   bench/scan_bench.sh all                  real, scale 10000 100000, versus 10000 100000
#
# Environment: DATA (default ../shared/data), CARGO_TARGET_DIR (default ./target),
# OUT (bulky outputs, git-ignored; default bench/out), RESULTS (default bench/results).
# Wall time and peak RSS come from GNU time (`/usr/bin/time -v`), installed with apt if missing.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
DATA=${DATA:-$ROOT/../shared/data}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
OUT=${OUT:-$ROOT/bench/out}
RESULTS=${RESULTS:-$ROOT/bench/results}
VENV=$ROOT/bench/.venv
REPRINT=$CARGO_TARGET_DIR/release/reprint
RBENCH=$CARGO_TARGET_DIR/release/reprint-bench
SEED=${SEED:-42}

say() { printf '\n== %s\n' "$*" >&2; }
die() { echo "scan_bench: $*" >&2; exit 1; }

need_time() {
  if [ ! -x /usr/bin/time ]; then
    say "installing GNU time"
    if [ "$(id -u)" = 0 ]; then
      apt-get update -qq && apt-get install -y -qq time >/dev/null
    else
      sudo apt-get update -qq && sudo apt-get install -y -qq time >/dev/null
    fi
  fi
  /usr/bin/time -v true 2>/dev/null || die "/usr/bin/time is not GNU time"
}

build() {
  say "building release binaries (CARGO_TARGET_DIR=$CARGO_TARGET_DIR)"
  cargo build --release -q -p reprint-cli -p reprint-bench
}

need_venv() {
  if ! "$VENV/bin/python" -c 'import datasketch' 2>/dev/null; then
    say "creating $VENV with datasketch"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q 'datasketch>=2.0,<3'
  fi
}

need_data() { [ -d "$DATA" ] || die "no data directory $DATA (set DATA)"; }

load1() { cut -d' ' -f1 /proc/loadavg; }

# write_run_meta DIR: what machine and commit a kind of run was made on.
write_run_meta() {
  local dir=$1 commit dirty=""
  mkdir -p "$dir"
  commit=$(git rev-parse --short HEAD)
  git diff --quiet HEAD -- . ':!bench/results' ':!docs' || dirty="+dirty"
  local ds="-"
  [ -x "$VENV/bin/python" ] && ds=$("$VENV/bin/python" -c 'import datasketch; print(datasketch.__version__)' 2>/dev/null || echo -)
  cat >"$dir/run-meta.json" <<EOF
{"date": "$(date -u +%Y-%m-%dT%H:%MZ)", "commit": "$commit$dirty", "cores": $(nproc),
 "mem_gb": $(awk '/MemTotal/ {printf "%.0f", $2/1048576}' /proc/meminfo),
 "machine": "$(uname -m), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')",
 "load_before": "$(cut -d' ' -f1-3 /proc/loadavg)", "rustc": "$(rustc --version)", "datasketch": "$ds"}
EOF
}

# timed DIR NAME TOOL N ORDER -- CMD...: run CMD under GNU time, record meta.json and time.txt.
# Exit status 3 of reprint scan (some records skipped) is accepted; it is in summary.json.
timed() {
  local dir=$1 name=$2 tool=$3 n=$4 order=$5
  shift 6
  rm -rf "$dir"
  mkdir -p "$dir"
  local load
  load=$(load1)
  printf '{"name": "%s", "tool": "%s", "n": %s, "order": %s, "load_before": "%s", "commit": "%s", "started": "%s"}\n' \
    "$name" "$tool" "$n" "$order" "$load" "$(git rev-parse --short HEAD)" "$(date -u +%H:%M:%S)" >"$dir/meta.json"
  say "$name (n=$n, load $load): $*"
  # Every tool starts with its input files in the page cache: a cold 1.4 GB read took 25 s
  # of a 64 s scan at 1M, which measured the disk, not the tool.
  local arg
  for arg in "$@"; do
    if [ -f "$arg" ]; then cat "$arg" >/dev/null; fi
  done
  local rc=0
  /usr/bin/time -v -o "$dir/time.txt" "$@" 2>"$dir/stderr.txt" || rc=$?
  if [ "$rc" != 0 ] && [ "$rc" != 3 ]; then
    cat "$dir/stderr.txt" >&2
    die "$name failed with status $rc"
  fi
  grep -E 'Elapsed|Maximum resident' "$dir/time.txt" >&2
}

# gen N: a generated corpus with ground truth, cached in $OUT/gen/nN.
gen() {
  local n=$1 dir=$OUT/gen/n$1
  if [ -f "$dir/gen.json" ] && [ -f "$dir/truth.jsonl" ]; then
    return
  fi
  say "generating $n articles (seed $SEED) into $dir"
  rm -rf "$dir"
  "$RBENCH" gen -n "$n" --seed "$SEED" --out "$dir" \
    --train "$DATA/reuters21578" --train "$DATA/bbc-news" --train "$DATA/ag-news/test.csv" >/dev/null
}

score() { # score TRUTH PAIRS OUTFILE
  "$RBENCH" score --truth "$1" --pairs "$2" >"$3"
}

cmd_real() {
  need_data
  local o=$OUT/real
  mkdir -p "$o"
  write_run_meta "$o"
  [ -s "$o/reuters.jsonl" ] || python3 bench/reuters_to_jsonl.py "$DATA/reuters21578" >"$o/reuters.jsonl"
  [ -s "$o/ag.jsonl" ] || python3 bench/agnews_to_jsonl.py "$DATA/ag-news/test.csv" >"$o/ag.jsonl"
  # BBC: the five topic folders under one root (symlinks, no copy), so ids are topic/NNN.txt
  # and the dataset's README.TXT and SOURCE.txt are not scanned as articles.
  rm -rf "$o/bbc-tree"
  mkdir -p "$o/bbc-tree"
  for t in business entertainment politics sport tech; do ln -s "$DATA/bbc-news/$t" "$o/bbc-tree/$t"; done
  timed "$o/runs/reuters" reuters reprint 0 1 -- "$REPRINT" scan --quiet "$o/reuters.jsonl" --out "$o/runs/reuters"
  timed "$o/runs/bbc" bbc-news reprint 0 2 -- "$REPRINT" scan --quiet "$o/bbc-tree" --out "$o/runs/bbc"
  timed "$o/runs/ag" ag-news reprint 0 3 -- "$REPRINT" scan --quiet "$o/ag.jsonl" --out "$o/runs/ag"
  # The precision mode for news archives (templates and corpus boilerplate dropped).
  timed "$o/runs/reuters-rt" "reuters --reject-templates" reprint 0 4 -- "$REPRINT" scan --quiet --reject-templates "$o/reuters.jsonl" --out "$o/runs/reuters-rt"
  timed "$o/runs/bbc-rt" "bbc-news --reject-templates" reprint 0 5 -- "$REPRINT" scan --quiet --reject-templates "$o/bbc-tree" --out "$o/runs/bbc-rt"
  timed "$o/runs/ag-rt" "ag-news --reject-templates" reprint 0 6 -- "$REPRINT" scan --quiet --reject-templates "$o/ag.jsonl" --out "$o/runs/ag-rt"
  python3 bench/bench_report.py real "$o" "$RESULTS"
}

cmd_scale() {
  need_data
  local sizes=("$@")
  [ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000 1000000)
  local o=$OUT/scale
  mkdir -p "$o"
  write_run_meta "$o"
  for n in "${sizes[@]}"; do
    gen "$n"
    local g=$OUT/gen/n$n d=$o/n$n
    timed "$d" "reprint scan" reprint "$n" 1 -- "$REPRINT" scan --quiet "$g/corpus.jsonl" --out "$d"
    score "$g/truth.jsonl" "$d/pairs.jsonl" "$d/score.json"
  done
  python3 bench/bench_report.py scale "$o" "$RESULTS"
}

cmd_versus() {
  need_data
  need_venv
  local sizes=("$@")
  [ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000)
  local o=$OUT/versus
  mkdir -p "$o"
  write_run_meta "$o"
  for n in "${sizes[@]}"; do
    gen "$n"
    local g=$OUT/gen/n$n d=$o/n$n
    timed "$d/reprint" "reprint scan (2 threads)" reprint "$n" 1 -- \
      "$REPRINT" scan --quiet "$g/corpus.jsonl" --out "$d/reprint"
    score "$g/truth.jsonl" "$d/reprint/pairs.jsonl" "$d/reprint/score.json"
    timed "$d/datasketch" "datasketch MinHashLSH (2 processes)" datasketch "$n" 2 -- \
      "$VENV/bin/python" bench/datasketch_lsh.py "$g/corpus.jsonl" --out "$d/datasketch" \
      --threshold 0.3 --ngram 5 --num-perm 128 --workers 2
    score "$g/truth.jsonl" "$d/datasketch/pairs.jsonl" "$d/datasketch/score.json"
    score "$g/truth.jsonl" "$d/datasketch/candidates.jsonl" "$d/datasketch/score-candidates.json"
    timed "$d/reprint-1t" "reprint scan (1 thread)" reprint "$n" 3 -- \
      "$REPRINT" scan --quiet --threads 1 "$g/corpus.jsonl" --out "$d/reprint-1t"
    score "$g/truth.jsonl" "$d/reprint-1t/pairs.jsonl" "$d/reprint-1t/score.json"
  done
  python3 bench/bench_report.py versus "$o" "$RESULTS"
}

cmd_viral() {
  need_data
  local copies=${1:-1000} others=${2:-2000}
  local g=$OUT/gen/viral-c$copies-o$others d=$OUT/viral/c$copies-o$others
  if [ ! -f "$g/gen.json" ]; then
    say "generating the viral corpus: $copies copies among $others articles (seed $SEED) into $g"
    "$RBENCH" viral --copies "$copies" --others "$others" --seed "$SEED" --out "$g" \
      --train "$DATA/reuters21578" --train "$DATA/bbc-news" --train "$DATA/ag-news/test.csv" >/dev/null
  fi
  mkdir -p "$OUT/viral"
  write_run_meta "$OUT/viral"
  timed "$d" "reprint scan (viral)" reprint "$((copies + others + 1))" 1 -- "$REPRINT" scan --quiet "$g/corpus.jsonl" --out "$d"
  score "$g/truth.jsonl" "$d/pairs.jsonl" "$d/score.json"
  python3 bench/viral_check.py "$g" "$d" "$RESULTS"
}

cmd_sample() {
  local which=${1:?corpus: reuters, bbc or ag (add -rt for the --reject-templates run)} n=${2:-20} corpus
  case $which in
    reuters | reuters-rt) corpus=$OUT/real/reuters.jsonl ;;
    bbc | bbc-rt) corpus=$OUT/real/bbc-tree ;;
    ag | ag-rt) corpus=$OUT/real/ag.jsonl ;;
    *) die "unknown corpus $which" ;;
  esac
  python3 bench/sample_pairs.py --pairs "$OUT/real/runs/$which/pairs.jsonl" --corpus "$corpus" -n "$n" \
    --seed "${SAMPLE_SEED:-1}"
}

main() {
  local sub=${1:-}
  [ -n "$sub" ] || { sed -n '2,17p' "$0"; exit 2; }
  shift
  case $sub in
    real) need_time; build; cmd_real ;;
    scale) need_time; build; cmd_scale "$@" ;;
    versus) need_time; build; cmd_versus "$@" ;;
    viral) need_time; build; cmd_viral "$@" ;;
    sample) cmd_sample "$@" ;;
    all) need_time; build; cmd_real; cmd_scale 10000 100000; cmd_versus 10000 100000 ;;
    *) die "unknown subcommand $sub (real, scale, versus, viral, sample, all)" ;;
  esac
}

main "$@"
