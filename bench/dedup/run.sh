#!/usr/bin/env bash
# Peer benchmark of near-duplicate removal: stemma dedup vs datasketch, rensa, gaoya.
#
# Usage: bench/dedup/run.sh [CORPUS.jsonl] [extra bench.py run options, e.g. --threshold 0.7]
# Without a corpus, builds bench/out/dedup/corpus.jsonl (20k documents: real Reuters/BBC
# articles from ../shared/data plus synthetic near-duplicates) with make_corpus.py.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
VENV=$ROOT/bench/.venv
OUT=$ROOT/bench/out/dedup
mkdir -p "$OUT"

if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
fi
"$VENV/bin/pip" install -q datasketch rensa gaoya psutil

cargo build --release -p stemma
STEMMA=$ROOT/target/release/stemma

CORPUS=${1:-}
if [ -n "$CORPUS" ] && [ "${CORPUS#--}" = "$CORPUS" ]; then
  shift
else
  CORPUS=$OUT/corpus.jsonl
  if [ ! -s "$CORPUS" ]; then
    "$VENV/bin/python" bench/dedup/make_corpus.py --out "$CORPUS"
  fi
fi

"$VENV/bin/python" bench/dedup/bench.py run --corpus "$CORPUS" --stemma "$STEMMA" --outdir "$OUT" "$@"
