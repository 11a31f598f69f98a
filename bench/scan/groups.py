#!/usr/bin/env python3
"""Counts natural duplicate groups in a `stemma scan` output: connected components of the
pairs whose relation is `duplicate`, then of `duplicate` or `near-duplicate`.

    python3 bench/scan/groups.py OUT/pairs.jsonl
"""
import json
import sys


def groups(path, relations):
    parent = {}

    def find(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    with open(path, encoding="utf-8") as f:
        for line in f:
            pair = json.loads(line)
            if pair["relation"] in relations:
                parent[find(pair["a_id"])] = find(pair["b_id"])
    roots = {find(x) for x in list(parent)}
    return len(roots), len(parent)


if __name__ == "__main__":
    path = sys.argv[1]
    for name, rels in [("exact", {"duplicate"}), ("exact + near", {"duplicate", "near-duplicate"})]:
        n, docs = groups(path, rels)
        print(f"{name}: {n} groups, {docs} documents")
