#!/usr/bin/env bash
# Peer benchmark of near-duplicate removal: stemma dedup vs datasketch, rensa, gaoya.
#
# Usage: bench/dedup/run.sh [CORPUS.jsonl] [extra bench.py run options, e.g. --threshold 0.7]
# Without a corpus, builds bench/out/dedup/corpus.jsonl (20k documents: real Reuters/BBC
# articles from ../shared/data plus synthetic near-duplicates) with make_corpus.py, or with
# DEDUP_CORPUS=generate, bench/out/dedup/gen/corpus.jsonl with `stemma generate --docs 20000`
# (copies, near-copies, partial reuse, WordNet rewrites). Ground truth is always the exact
# Jaccard of shingle sets, never a generator's labels.
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
  if [ "${DEDUP_CORPUS:-}" = generate ]; then
    CORPUS=$OUT/gen/corpus.jsonl
    if [ ! -s "$CORPUS" ]; then
      "$STEMMA" generate ../shared/data/reuters21578/reuters21578.jsonl \
        ../shared/data/bbc_news/bbc_news.jsonl --docs 20000 --out "$OUT/gen"
    fi
  else
    CORPUS=$OUT/corpus.jsonl
    if [ ! -s "$CORPUS" ]; then
      "$VENV/bin/python" bench/dedup/make_corpus.py --out "$CORPUS"
    fi
  fi
fi

"$VENV/bin/python" bench/dedup/bench.py run --corpus "$CORPUS" --stemma "$STEMMA" --outdir "$OUT" "$@"
