"""Run stemma and text-matcher on the same labelled pairs and score both with the PAN
passage measures (`stemma eval`). Offsets: stemma prints byte offsets, converted here to
characters; text-matcher works on Python strings, so its offsets are characters already."""

import argparse
import contextlib
import io
import json
import os
import subprocess
import sys
import tempfile
import time

DERIVATIONS = ["duplicate", "near-duplicate", "rewrite", "partial"]


def load_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def select_pairs(truth, n):
    """Up to n labelled derivation pairs, spread evenly over the relations, in file order."""
    per = max(1, n // len(DERIVATIONS))
    out, count = [], {r: 0 for r in DERIVATIONS}
    for t in truth:
        r = t["relation"]
        if r in count and count[r] < per and t.get("passages"):
            out.append(t)
            count[r] += 1
    return out


def byte_to_char(text, b):
    raw = text.encode("utf-8")[:b]
    return len(raw.decode("utf-8", errors="ignore"))


def run_stemma(binary, pairs, texts, dates):
    preds = []
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        for t in pairs:
            a, b = t["a_id"], t["b_id"]
            pa, pb = os.path.join(tmp, "a.txt"), os.path.join(tmp, "b.txt")
            with open(pa, "w", encoding="utf-8") as f:
                f.write(texts[a])
            with open(pb, "w", encoding="utf-8") as f:
                f.write(texts[b])
            cmd = [binary, "compare", pa, pb, "--json", "--compact",
                   "--date-a", dates[a], "--date-b", dates[b]]
            res = subprocess.run(cmd, capture_output=True, text=True)
            if res.returncode != 0:
                raise RuntimeError(f"stemma compare failed on {a} {b}: {res.stderr.strip()}")
            c = json.loads(res.stdout)
            passages = []
            # `passages`: the maximal reused regions (docs/json.md), what PAN should score.
            for al in c.get("passages", c.get("alignments", [])):
                passages.append({
                    "a": [byte_to_char(texts[a], al["a"][0]), byte_to_char(texts[a], al["a"][1])],
                    "b": [byte_to_char(texts[b], al["b"][0]), byte_to_char(texts[b], al["b"][1])],
                })
            preds.append({"a_id": a, "b_id": b, "relation": c["relation"], "passages": passages})
        secs = time.perf_counter() - start
    return preds, secs


def run_text_matcher(pairs, texts):
    from text_matcher.matcher import Matcher, Text
    notes = []
    remove_stop = True
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            Text("A probe sentence for the stop word list.", "probe", removeStopwords=True)
    except Exception as e:  # nltk stop words need nltk_data, which cannot be downloaded here
        lines = [x.strip() for x in str(e).splitlines() if x.strip() and not x.strip().startswith("*")]
        notes.append(f"text-matcher default (removeStopwords=True) fails: {type(e).__name__}: "
                     f"{lines[0] if lines else ''}; ran with removeStopwords=False")
        remove_stop = False
    preds, errors, by_rel = [], 0, {}
    start = time.perf_counter()
    for t in pairs:
        a, b = t["a_id"], t["b_id"]
        passages = []
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                ta = Text(texts[a], "A", removeStopwords=remove_stop)
                tb = Text(texts[b], "B", removeStopwords=remove_stop)
                _, loc_a, loc_b = Matcher(ta, tb).match()
            for la, lb in zip(loc_a, loc_b):
                passages.append({"a": [la[0], la[1]], "b": [lb[0], lb[1]]})
        except Exception as e:
            errors += 1
            by_rel[t['relation']] = by_rel.get(t['relation'], 0) + 1
            if errors == 1:
                notes.append(f"text-matcher error on a pair ({t['relation']}): {type(e).__name__}: {e}")
        preds.append({"a_id": a, "b_id": b, "relation": "rewrite" if passages else "unrelated",
                      "passages": passages})
    secs = time.perf_counter() - start
    if errors:
        notes.append(f"text-matcher failed on {errors} pair(s), by relation {by_rel} (scored as no detection)")
    return preds, secs, notes


def write_jsonl(path, rows):
    with open(path, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r) + "\n")


def pan(binary, truth_path, pred_path):
    res = subprocess.run([binary, "eval", "--json", "--truth", truth_path, "--pred", pred_path],
                         capture_output=True, text=True)
    if res.returncode != 0:
        raise RuntimeError(res.stderr)
    s = json.loads(res.stdout)["passages"]
    if s is None:  # no detection at all: PAN's convention for an empty detection set
        s = {"precision": 0.0, "recall": 0.0, "granularity": 1.0, "plagdet": 0.0}
    return s


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--truth", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--stemma", required=True)
    ap.add_argument("--pairs", type=int, default=200)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()

    pairs = select_pairs(load_jsonl(args.truth), args.pairs)
    need = {t["a_id"] for t in pairs} | {t["b_id"] for t in pairs}
    texts, dates = {}, {}
    with open(args.corpus, encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            if d["id"] in need:
                texts[d["id"]] = d["text"]
                dates[d["id"]] = d["date"]
    os.makedirs(args.out, exist_ok=True)
    results = {}
    stemma_preds, stemma_secs = run_stemma(args.stemma, pairs, texts, dates)
    results["stemma"] = (stemma_preds, stemma_secs, ["time includes one process start per pair"])
    try:
        tm_preds, tm_secs, tm_notes = run_text_matcher(pairs, texts)
        results["text-matcher"] = (tm_preds, tm_secs, tm_notes)
    except Exception as e:
        print(f"text-matcher does not run: {type(e).__name__}: {e}", file=sys.stderr)

    rows = []
    for rel in [None] + DERIVATIONS:
        sub = [t for t in pairs if rel is None or t["relation"] == rel]
        keys = {(t["a_id"], t["b_id"]) for t in sub}
        tp = os.path.join(args.out, f"truth-{rel or 'all'}.jsonl")
        write_jsonl(tp, sub)
        for tool, (preds, secs, _) in results.items():
            pp = os.path.join(args.out, f"pred-{tool}-{rel or 'all'}.jsonl")
            write_jsonl(pp, [p for p in preds if (p["a_id"], p["b_id"]) in keys])
            s = pan(args.stemma, tp, pp)
            rows.append((rel or "all", tool, len(sub), secs if rel is None else None, s))
    print(f"{'relation':<15} {'tool':<13} {'pairs':>5} {'seconds':>8} {'prec':>6} {'rec':>6} {'gran':>6} {'plagdet':>7}")
    for rel, tool, n, secs, s in rows:
        sec = f"{secs:8.2f}" if secs is not None else f"{'':8}"
        print(f"{rel:<15} {tool:<13} {n:>5} {sec} {s['precision']:6.3f} {s['recall']:6.3f} "
              f"{s['granularity']:6.3f} {s['plagdet']:7.3f}")
    for tool, (_, _, notes) in results.items():
        for n in notes:
            print(f"note ({tool}): {n}")


if __name__ == "__main__":
    main()
