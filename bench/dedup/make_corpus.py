#!/usr/bin/env python3
"""Build a dedup benchmark corpus (JSONL) from real news plus synthetic near-duplicates.

Reads Reuters-21578 and BBC News JSONL from ../shared/data at run time (their text is never
copied into the repo), takes `--base` distinct articles, and adds `--dups` near-duplicates
made by light random word edits (substitution from the corpus vocabulary, deletion,
insertion, adjacent swap) at edit rates drawn from --rates, plus some exact copies that only
change case and spacing. The result is shuffled with a fixed seed.

Each output line: {"id", "text", "source", "date", "of"} where "of" names the base article of
a synthetic copy (null for originals). Ground truth for the benchmark is NOT "of": it is the
exact Jaccard of shingle sets, computed by bench.py.
"""

import argparse
import json
import os
import random
import re

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.normpath(os.path.join(HERE, "..", "..", "..", "shared", "data"))


def load(path, limit=None):
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            try:
                d = json.loads(line)
            except json.JSONDecodeError:
                continue
            t = d.get("text")
            if isinstance(t, str) and len(t.split()) >= 20:
                out.append(d)
    return out


def edit(text, rate, vocab, rng):
    words = text.split()
    n = max(1, round(len(words) * rate))
    for _ in range(n):
        op = rng.random()
        i = rng.randrange(len(words))
        if op < 0.5:
            words[i] = rng.choice(vocab)
        elif op < 0.7 and len(words) > 5:
            del words[i]
        elif op < 0.9:
            words.insert(i, rng.choice(vocab))
        elif i + 1 < len(words):
            words[i], words[i + 1] = words[i + 1], words[i]
    return " ".join(words)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", required=True)
    ap.add_argument("--base", type=int, default=16000, help="distinct real articles")
    ap.add_argument("--dups", type=int, default=4000, help="synthetic near-duplicates")
    ap.add_argument("--rates", default="0.0,0.01,0.02,0.05,0.1,0.2")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--data", default=DATA)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    docs = load(os.path.join(a.data, "reuters21578", "reuters21578.jsonl"))
    docs += load(os.path.join(a.data, "bbc_news", "bbc_news.jsonl"))
    rng.shuffle(docs)
    base = docs[: a.base]
    if len(base) < a.base:
        print(f"note: only {len(base)} usable articles")
    vocab = list({w for d in base[:2000] for w in d["text"].split() if re.fullmatch(r"[A-Za-z]+", w)})
    rates = [float(r) for r in a.rates.split(",")]
    out = []
    for d in base:
        out.append({"id": str(d.get("id")), "text": d["text"], "source": d.get("source"),
                    "date": d.get("date"), "of": None})
    for k in range(a.dups):
        d = rng.choice(base)
        rate = rng.choice(rates)
        if rate == 0.0:
            t = d["text"].upper() if rng.random() < 0.5 else "  ".join(d["text"].split())
        else:
            t = edit(d["text"], rate, vocab, rng)
        out.append({"id": f"dup-{k}-r{rate}", "text": t, "source": d.get("source"),
                    "date": d.get("date"), "of": str(d.get("id"))})
    rng.shuffle(out)
    with open(a.out, "w", encoding="utf-8") as f:
        for d in out:
            f.write(json.dumps(d, ensure_ascii=False) + "\n")
    print(f"wrote {len(out)} documents to {a.out}")


if __name__ == "__main__":
    main()
