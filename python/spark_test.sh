#!/usr/bin/env bash
# The Spark scan's equality test: installs Java 17 (Debian's openjdk-17-jre-headless) and
# pyspark when missing, generates 10k articles with reprint-bench when ../shared/data is
# there, then checks `python -m reprint.spark scan` against `reprint scan` (pairs, labels,
# clusters). Called by python/test.sh after it has built the wheel and the CLI.
# Usage: VENV=dir REPRINT_BIN=path bash python/spark_test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
VENV="${VENV:-$CARGO_TARGET_DIR/py-venv}"
if ! command -v java >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -q && $SUDO apt-get install -y -q openjdk-17-jre-headless
fi
"$VENV/bin/python" -m pip install -q "pyspark>=3.5" "pandas>=2.2,<3"
if [ -d ../shared/data/reuters21578 ] && [ -z "${REPRINT_GEN10K:-}" ]; then
  gen="$CARGO_TARGET_DIR/spark-gen10k"
  if [ ! -f "$gen/corpus.jsonl" ]; then
    cargo run --release -q -p reprint-bench -- gen -n 10000 --out "$gen"
  fi
  export REPRINT_GEN10K="$gen/corpus.jsonl"
fi
start=$(date +%s)
"$VENV/bin/python" -m pytest -q python/tests/test_spark.py
echo "Spark equality test: $(( $(date +%s) - start )) s (load: $(cut -d' ' -f1-3 /proc/loadavg))"
