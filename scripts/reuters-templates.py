#!/usr/bin/env python3
"""Counts derived pairs of a Reuters-21578 scan between items whose headlines carry different
ticker symbols (`<OBOD>` vs `<TTX>`: two companies' notices from one template), by relation,
and the largest family. The tickers are the measurement only; stemma's rule knows nothing of
them (docs/benchmarks.md, "Reuters wire templates").

usage: scripts/reuters-templates.py REUTERS.jsonl SCAN_DIR
"""
import collections
import json
import re
import sys

corpus, scan = sys.argv[1], sys.argv[2]
titles = {}
with open(corpus) as f:
    for line in f:
        d = json.loads(line)
        titles[d["id"]] = d.get("title") or ""


def tickers(t):
    return set(re.findall(r"<([A-Z0-9.]+)>", t))


by = collections.Counter()
total = 0
with open(f"{scan}/pairs.jsonl") as f:
    for line in f:
        p = json.loads(line)
        total += 1
        a, b = tickers(titles.get(p["a_id"], "")), tickers(titles.get(p["b_id"], ""))
        if a and b and not (a & b):
            by[p["relation"]] += 1
with open(f"{scan}/families.jsonl") as f:
    largest = max((len(json.loads(line)["members"]) for line in f), default=0)
print(f"pairs {total}")
print(f"derived pairs between different tickers {sum(by.values())}: " + ", ".join(f"{k} {v}" for k, v in sorted(by.items())))
print(f"largest family {largest}")
