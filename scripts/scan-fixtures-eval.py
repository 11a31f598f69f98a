#!/usr/bin/env python3
"""Scores `stemma scan` of the self-made set (fixtures/eval/docs as one corpus) against its labels.

Usage:
  scan-fixtures-eval.py PAIRS.jsonl [--manifest fixtures/eval/pairs.jsonl] [--json]
  scan-fixtures-eval.py --trace TRACE.jsonl [--manifest ...]   # band grid (see below)
  scan-fixtures-eval.py --candidates CANDIDATES.jsonl          # labelled pairs proposed

Derived = near-duplicate, rewrite, partial (and duplicate); independent = same-story, unrelated.
A labelled pair counts as predicted derived when the scan reports it (either order) with a
derived relation. Precision, recall and F1 of "derived" are given over the labelled pairs (all,
and the `test` half, which no model was fitted on). Reported pairs nobody labelled are counted
as `wrong` when they join two stories (different set ids) or involve an independent `_same`
write-up, `siblings` when both derive from the same original (two copies of one source).

With --candidates (the `candidates.jsonl` of a scan run with `--write-candidates`), the script
counts the labelled derived pairs (all, test half, and per variant kind: deep, heavy, excerpt, …)
that candidate generation proposed at all, with the signals that proposed them.

With --trace (the `--semantic-trace` of a scan run with `--semantic-band 0,1
--semantic-rescue 0 --semantic-budget 0`, which compares every candidate pair both ways), the
script replays other bands and rescue scores offline: for each setting, the pairs the second
pass would take get their semantic relation, the others their lexical one.
"""
import argparse
import json
import sys

DERIVED = {"duplicate", "near-duplicate", "rewrite", "partial"}


def load_manifest(path):
    labels = {}
    for line in open(path, encoding="utf-8"):
        if line.strip():
            d = json.loads(line)
            labels[frozenset((d["a"], d["b"]))] = (d["relation"] in DERIVED, d.get("split", "fit"))
    return labels


def doc(i):
    """A scan id (a file name such as `en01_orig.txt`) as a manifest id."""
    i = i.rsplit("/", 1)[-1]
    return i[:-4] if i.endswith(".txt") else i


def story(doc_id):
    return doc_id.split("_", 1)[0]


def score(predicted, labels):
    """predicted: set of frozenset pairs called derived. Returns a dict of figures."""
    out = {}
    for split in ("all", "test"):
        tp = fp = fn = 0
        for pair, (derived, s) in labels.items():
            if split != "all" and s != split:
                continue
            p = pair in predicted
            tp += p and derived
            fp += p and not derived
            fn += (not p) and derived
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        out[split] = {"tp": tp, "fp": fp, "fn": fn, "precision": prec, "recall": rec, "f1": f1}
    wrong = siblings = 0
    for pair in predicted:
        if pair in labels:
            continue
        a, b = sorted(pair)
        if story(a) != story(b) or a.endswith("_same") or b.endswith("_same"):
            wrong += 1
        else:
            siblings += 1
    out["unlabelled"] = {"wrong": wrong, "siblings": siblings}
    return out


def line(name, f):
    a, t, u = f["all"], f["test"], f["unlabelled"]
    return (
        f"{name:<34} all P {a['precision']:.3f} R {a['recall']:.3f} F1 {a['f1']:.3f} "
        f"(fp {a['fp']}, fn {a['fn']}) | test P {t['precision']:.3f} R {t['recall']:.3f} "
        f"F1 {t['f1']:.3f} | unlabelled wrong {u['wrong']}, siblings {u['siblings']}"
    )


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("pairs", nargs="?")
    ap.add_argument("--manifest", default="fixtures/eval/pairs.jsonl")
    ap.add_argument("--trace")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--candidates")
    args = ap.parse_args()
    labels = load_manifest(args.manifest)
    if args.pairs:
        predicted = set()
        models = {}
        for l in open(args.pairs, encoding="utf-8"):
            d = json.loads(l)
            if d["relation"] in DERIVED:
                predicted.add(frozenset((doc(d["a_id"]), doc(d["b_id"]))))
            m = (d.get("verdict") or {}).get("model", "?")
            models[m] = models.get(m, 0) + 1
        f = score(predicted, labels)
        f["verdict_models"] = models
        print(json.dumps(f) if args.json else line(args.pairs, f) + f"  models {models}")
    if args.candidates:
        proposed = {}
        for l in open(args.candidates, encoding="utf-8"):
            d = json.loads(l)
            proposed[frozenset((doc(d["a_id"]), doc(d["b_id"])))] = "+".join(d["signals"])
        kinds, signals = {}, {}
        hit = {"all": [0, 0], "test": [0, 0]}
        for pair, (derived, split) in labels.items():
            if not derived:
                continue
            kind = next(x.split("_", 1)[1] for x in sorted(pair) if not x.endswith("_orig"))
            got = pair in proposed
            for s in ("all", split):
                if s in hit:
                    hit[s][0] += got
                    hit[s][1] += 1
            k = kinds.setdefault(kind, [0, 0])
            k[0] += got
            k[1] += 1
            if got:
                signals[proposed[pair]] = signals.get(proposed[pair], 0) + 1
        print(
            f"{len(proposed)} candidate pairs; labelled derived pairs proposed: "
            f"all {hit['all'][0]}/{hit['all'][1]}, test {hit['test'][0]}/{hit['test'][1]}"
        )
        print("  by kind: " + ", ".join(f"{k} {v[0]}/{v[1]}" for k, v in sorted(kinds.items())))
        print("  by signals: " + ", ".join(f"{k} {v}" for k, v in sorted(signals.items())))
    if args.trace:
        rows = [json.loads(l) for l in open(args.trace, encoding="utf-8") if l.strip()]
        print(f"{len(rows)} candidate pairs in the trace")
        settings = [("lexical only", None, None), ("semantic everywhere", (0.0, 1.0), 0.0)]
        for lo, hi in [(0.02, 0.98), (0.05, 0.95), (0.1, 0.9), (0.2, 0.8), (0.3, 0.7), (0.0, 0.5), (0.5, 1.0)]:
            for r in (None, 0.3, 0.2, 0.5):
                settings.append((f"band {lo}-{hi} rescue {r}", (lo, hi), r))
        for r in (0.2, 0.3, 0.5):
            settings.append((f"rescue {r} only", None, r))
        for name, band, rescue in settings:
            predicted, redone, docs = set(), 0, set()
            for x in rows:
                lp = x["lexical"]["probability"]
                lex_derived = x["lexical"]["relation"] in DERIVED
                take = (band is not None and band[0] <= lp <= band[1]) or (
                    rescue is not None and not lex_derived and x["candidate_score"] >= rescue
                )
                if take and not x["semantic"]:
                    sys.exit("the trace has pairs left lexical by the budget: run with --semantic-budget 0")
                rel = x["semantic"]["relation"] if take else x["lexical"]["relation"]
                if take:
                    redone += 1
                    docs.update((doc(x["a_id"]), doc(x["b_id"])))
                if rel in DERIVED:
                    predicted.add(frozenset((doc(x["a_id"]), doc(x["b_id"]))))
            print(line(name, score(predicted, labels)) + f" | re-verified {redone}, docs {len(docs)}")


if __name__ == "__main__":
    sys.exit(main())
