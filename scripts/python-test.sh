#!/usr/bin/env bash
# The Python package's tests: a fresh virtual environment under target/, `pip install .`
# (maturin builds the extension from PyPI's maturin), pytest and pyspark, then pytest on
# python/tests. The CLI equivalence tests use target/debug/stemma (built here) unless
# STEMMA_BIN names another binary. Spark tests skip with a message when Java is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=target/python-test-venv
rm -rf "$VENV"
python3 -m venv "$VENV"
"$VENV/bin/pip" install -q --upgrade pip
"$VENV/bin/pip" install -q . pytest pyspark
if [ -z "${STEMMA_BIN:-}" ]; then
  cargo build -q -p stemma --locked
  export STEMMA_BIN="$PWD/target/debug/stemma"
fi
cd python/tests
exec "../../$VENV/bin/python" -m pytest -q "$@"
