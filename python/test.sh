#!/usr/bin/env bash
# Builds and installs the Python package into a virtual environment, then runs its tests
# against the CLI built from the same checkout and, with REPRINT_SPARK=1, the Spark scan's
# equality test (which installs Java 17 and pyspark when missing). Installs maturin and pytest
# when missing.
# Usage: bash python/test.sh   (VENV=dir to choose the environment; default target/py-venv)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
VENV="${VENV:-$CARGO_TARGET_DIR/py-venv}"
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install -q --upgrade pip
"$VENV/bin/python" -m pip install -q "pytest>=7" "maturin>=1.5,<2" "pyarrow>=14"
# The package's version does not change between commits: reinstall it every time.
"$VENV/bin/python" -m pip install -q --force-reinstall --no-deps ./python
cargo build --release -q -p reprint-cli
export REPRINT_BIN="$CARGO_TARGET_DIR/release/reprint"
"$VENV/bin/python" -m pytest -q python/tests --ignore=python/tests/test_spark.py
# The Spark scan's equality test (python/spark_test.sh: installs Java 17 and pyspark when
# missing; news.jsonl and 10k generated articles; about 3 minutes). REPRINT_SPARK=1 runs it;
# .ci/run sets it (README, "Spark").
if [ "${REPRINT_SPARK:-0}" = 1 ]; then
  VENV="$VENV" bash python/spark_test.sh
fi
