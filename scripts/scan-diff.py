#!/usr/bin/env python3
"""Compares two scan outputs (e.g. `stemma scan` and `python -m stemma.spark scan`): the set
difference of their pairs, and why each pair differs; then their families (member sets, roots
and tree edges).

    python3 scripts/scan-diff.py CLI_DIR SPARK_DIR [--show N]

Each folder holds pairs.jsonl; with candidates.jsonl in both (`stemma scan
--write-candidates`, `python -m stemma.spark scan --write-candidates`) every pair found by one
side only is traced to candidate selection:

- "not a candidate of the other side": the later document's pool (its candidates) differs;
  the line shows what the other side's pool held instead (candidate pools are pruned with the
  clusters of similar documents known so far by the streaming scan, with the final clusters
  by the Spark job);
- "candidate on both sides, verified differently": the comparison differed (this should not
  happen: both run the same compare on the same texts and dates);
- pairs on both sides whose relation or score differ are listed too.
"""

import argparse
import json
import os
import sys
from collections import Counter, defaultdict


def read(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def pairs_of(folder):
    return {(p["a_id"], p["b_id"]): p for p in read(os.path.join(folder, "pairs.jsonl"))}


def candidates_of(folder):
    path = os.path.join(folder, "candidates.jsonl")
    if not os.path.exists(path):
        return None
    pools = defaultdict(set)
    pairs = {}
    for c in read(path):
        pairs[(c["a_id"], c["b_id"])] = c["signals"]
        pools[c["b_id"]].add(c["a_id"])
        pools[c["a_id"]].add(c["b_id"])
    return pairs, pools


def explain(key, p, mine, other, other_name):
    """Why `key` (found on one side, `p`) is missing from the other side."""
    if other is None:
        return "no candidates.jsonl to trace it"
    o_pairs, o_pools = other
    if key in o_pairs or key[::-1] in o_pairs:
        return f"candidate on both sides, verified differently ({other_name} kept no pair)"
    a, b = key
    held = sorted(o_pools.get(b, set()) - {a})
    m_pairs, m_pools = mine
    extra = sorted(o_pools.get(b, set()) - m_pools.get(b, set()))
    return (
        f"not a candidate of {other_name}: {b}'s pool there holds {len(held)} others "
        f"({', '.join(extra[:5]) or 'none'} not in this side's pool); signals here "
        f"{m_pairs.get(key) or m_pairs.get(key[::-1])}"
    )


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("left")
    ap.add_argument("right")
    ap.add_argument("--show", type=int, default=20, help="differences printed per kind")
    a = ap.parse_args()
    L, R = pairs_of(a.left), pairs_of(a.right)
    # A pair is the same pair whichever side was read first.
    norm = lambda d: {tuple(sorted(k)): v for k, v in d.items()}  # noqa: E731
    nl, nr = norm(L), norm(R)
    only_l = sorted(set(nl) - set(nr))
    only_r = sorted(set(nr) - set(nl))
    both = set(nl) & set(nr)
    rel_diff = sorted(k for k in both if nl[k]["relation"] != nr[k]["relation"])
    score_diff = sorted(
        k for k in both if nl[k]["relation"] == nr[k]["relation"]
        and abs(nl[k]["score"] - nr[k]["score"]) > 1e-9
    )
    swapped = sum(1 for k in both if (nl[k]["a_id"], nl[k]["b_id"]) != (nr[k]["a_id"], nr[k]["b_id"]))
    print(f"{a.left}: {len(L)} pairs; {a.right}: {len(R)} pairs; common {len(both)}")
    print(f"only in {a.left}: {len(only_l)}; only in {a.right}: {len(only_r)}; "
          f"relation differs: {len(rel_diff)}; score differs: {len(score_diff)}; "
          f"sides swapped: {swapped}")
    cl, cr = candidates_of(a.left), candidates_of(a.right)
    for name, only, src, mine, other, oname in (
        (a.left, only_l, nl, cl, cr, a.right),
        (a.right, only_r, nr, cr, cl, a.left),
    ):
        if not only:
            continue
        kinds = Counter()
        lines = []
        for k in only:
            p = src[k]
            key = (p["a_id"], p["b_id"])
            why = explain(key, p, mine, other, oname) if mine else "no candidates.jsonl"
            kinds[why.split(":")[0]] += 1
            lines.append(f"  {key[0]} -> {key[1]} {p['relation']} {p['score']:.3f}: {why}")
        print(f"\nonly in {name} ({len(only)}; by reason: {dict(kinds)}; "
              f"by relation: {dict(Counter(src[k]['relation'] for k in only))})")
        print("\n".join(lines[: a.show]))
    for k in rel_diff[: a.show]:
        print(f"relation differs {k}: {nl[k]['relation']} vs {nr[k]['relation']}")
    fam_diff = families_diff(a.left, a.right, a.show)
    return 0 if not (only_l or only_r or rel_diff or fam_diff) else 1


def families_diff(left, right, show):
    """Compares families.jsonl of both folders (when both have one): families as member
    sets, then the tree edges (source -> copy) of the families both have. Returns the number
    of differences."""
    paths = [os.path.join(d, "families.jsonl") for d in (left, right)]
    if not all(os.path.exists(p) for p in paths):
        return 0
    fl, fr = (read(p) for p in paths)
    key = lambda f: frozenset(f["members"])  # noqa: E731
    ml, mr = {key(f): f for f in fl}, {key(f): f for f in fr}
    only_l, only_r = set(ml) - set(mr), set(mr) - set(ml)
    edges = lambda f: {(e["source"], e["copy"], e["relation"]) for e in f["edges"]}  # noqa: E731
    tree_diff = [k for k in set(ml) & set(mr) if edges(ml[k]) != edges(mr[k])]
    root_diff = [k for k in set(ml) & set(mr) if ml[k]["root"] != mr[k]["root"]]
    print(f"\nfamilies: {left}: {len(fl)}; {right}: {len(fr)}; same members "
          f"{len(set(ml) & set(mr))}; only in {left}: {len(only_l)}; only in {right}: "
          f"{len(only_r)}; same members, other root: {len(root_diff)}; other tree edges: "
          f"{len(tree_diff)}")
    for name, only, m in ((left, only_l, ml), (right, only_r, mr)):
        for k in sorted(only, key=lambda k: -len(k))[:show]:
            f = m[k]
            print(f"  only in {name}: family {f['id']} root {f['root']}, {len(k)} members")
    return len(only_l) + len(only_r) + len(tree_diff) + len(root_diff)


if __name__ == "__main__":
    sys.exit(main())
