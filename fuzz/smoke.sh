#!/usr/bin/env bash
# Builds the fuzz targets and runs each for SECONDS (default 30) from a copy of its committed
# seed corpus (fuzz/seeds/<target>/), so the committed seeds never grow. Fails on a crash,
# a hang (an input over 10 s) or a leak of memory past 2 GB. Used by .ci/run.
#
#   fuzz/smoke.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")"
secs="${1:-30}"
if ! cargo fuzz --version >/dev/null 2>&1; then
  cargo install cargo-fuzz --locked
fi
# -s none: libFuzzer without a sanitizer, which works on the stable toolchain.
cargo fuzz build -s none
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for t in normalize_tokens compare_pair jsonl_reader html_escape; do
  mkdir -p "$work/$t" "$work/artifacts/$t"
  cp seeds/"$t"/* "$work/$t/"
  echo "== fuzz $t (${secs} s)"
  cargo fuzz run -s none "$t" "$work/$t" -- -max_total_time="$secs" -timeout=10 \
    -rss_limit_mb=2048 -max_len=16384 -artifact_prefix="$work/artifacts/$t/" 2>&1 | grep -E "^(#[0-9]+ +DONE|Done|==|SUMMARY|ERROR|thread)" || true
  if [ -n "$(ls -A "$work/artifacts/$t")" ]; then
    echo "fuzz $t found a failing input:"; ls "$work/artifacts/$t"; exit 1
  fi
done
