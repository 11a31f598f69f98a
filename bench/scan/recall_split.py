#!/usr/bin/env python3
"""Where planted derivations are lost in `stemma scan`: never proposed as candidates, or
proposed but not reported as derived by verification. Per obfuscation family.

usage: recall_split.py TRUTH.jsonl SCAN_DIR   (SCAN_DIR from `stemma scan --write-candidates`)
Exact copies collapse to a representative, so duplicate labels are counted through
pairs.jsonl only (like `stemma eval`)."""
import json
import sys
from collections import defaultdict

DERIVED = {"duplicate", "near-duplicate", "rewrite", "partial"}


def family(obf):
    head = obf.split("+")[0]
    if head.startswith("heavy-") or head in ("partial", "none"):
        return head
    if head.startswith("synonym"):
        return "rewrite(default)"
    return "near-dup ops"


def main(truth, scan):
    cand = {}
    for line in open(f"{scan}/candidates.jsonl"):
        c = json.loads(line)
        cand[frozenset((c["a_id"], c["b_id"]))] = c
    pred = {}
    for line in open(f"{scan}/pairs.jsonl"):
        p = json.loads(line)
        pred[frozenset((p["a_id"], p["b_id"]))] = p.get("relation")
    tot = defaultdict(lambda: [0, 0, 0, defaultdict(int)])
    for line in open(truth):
        t = json.loads(line)
        if t["relation"] not in DERIVED or t["relation"] == "duplicate":
            continue
        k = frozenset((t["a_id"], t["b_id"]))
        f = family(t.get("obfuscation") or "none")
        s = tot[f]
        s[0] += 1
        s[1] += k in cand
        found = pred.get(k) in DERIVED
        s[2] += found
        if k in cand and not found:
            s[3][pred.get(k, "unreported")] += 1
    print(f"{'variant':28} {'pairs':>6} {'recall@cand':>11} {'recall':>7}  lost in verification as")
    for f, (n, c, r, lost) in sorted(tot.items()):
        print(f"{f:28} {n:6} {c / n:11.3f} {r / n:7.3f}  {dict(lost)}")


if __name__ == "__main__":
    main(*sys.argv[1:3])
