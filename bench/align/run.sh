#!/usr/bin/env bash
# Passage-level peer benchmark: stemma compare vs text-matcher (PyPI) on generated pairs,
# scored with the PAN measures by `stemma eval`. Usage:
#   bash bench/align/run.sh                 # 2000-doc corpus, 200 labelled pairs
#   DOCS=5000 PAIRS=400 bash bench/align/run.sh
#   STEMMA=target/debug/stemma bash bench/align/run.sh   # use another binary
set -euo pipefail
cd "$(dirname "$0")/../.."
VENV=bench/.venv
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/pip" install -q text-matcher
STEMMA=${STEMMA:-target/release/stemma}
if [ ! -x "$STEMMA" ]; then cargo build --release -p stemma; fi
OUT=${OUT:-bench/out/align}
DOCS=${DOCS:-2000}
PAIRS=${PAIRS:-200}
DATA=${DATA:-../shared/data}
WORDNET=${WORDNET:-/usr/share/wordnet}
if [ ! -f "$WORDNET/index.noun" ]; then
  echo "WordNet not found in $WORDNET: apt-get install -y wordnet-base" >&2
  exit 2
fi
mkdir -p "$OUT"
"$STEMMA" generate "$DATA/reuters21578/reuters21578.jsonl" "$DATA/bbc_news/bbc_news.jsonl" \
  --docs "$DOCS" --seed 1 --out "$OUT/gen" --wordnet "$WORDNET"
"$VENV/bin/python" bench/align/compare.py --truth "$OUT/gen/truth.jsonl" \
  --corpus "$OUT/gen/corpus.jsonl" --stemma "$STEMMA" --pairs "$PAIRS" --out "$OUT"
