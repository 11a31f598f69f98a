#!/usr/bin/env python3
"""What the Python package adds to a scan: the conversion of pair lines into dicts, and the
Scanner's speed next to the batch scan.

    python scripts/python-overhead.py CORPUS.jsonl

Runs `stemma.scan` (lexical) on the corpus, then feeds a `stemma.Scanner` the same records in
date order (undated last), then times `Scanner.pairs()` alone — which only serializes every
pair's typed line (`stemma_scan::output::PairLine`) into a JSON value and converts it to dicts —
against the alternative of parsing the same lines with `json.loads`.
"""

import json
import sys
import time

import stemma


def main():
    path = sys.argv[1]
    with open(path, encoding="utf-8") as f:
        records = [json.loads(line) for line in f if line.strip()]
    t0 = time.perf_counter()
    out = stemma.scan(records, semantic=False)
    t_scan = time.perf_counter() - t0
    n = len(out["pairs"])
    print(f"{len(records)} documents; stemma.scan: {t_scan:.1f} s, {n} pairs, "
          f"{len(out['families'])} families")
    ordered = sorted(records, key=lambda r: (r.get("date") is None, stemma.parse_date(str(r["date"])) if r.get("date") is not None else 0))
    s = stemma.Scanner(semantic=False)
    t0 = time.perf_counter()
    for r in ordered:
        s.add(r["id"], r["text"], date=r.get("date"), source=r.get("source"))
    t_inc = time.perf_counter() - t0
    print(f"Scanner.add in date order: {t_inc:.1f} s ({t_inc / len(records) * 1e3:.2f} ms a "
          f"document), {len(s.pairs())} pairs")
    for detail in ("full", "compact"):
        s = stemma.Scanner(semantic=False, detail=detail) if detail == "compact" else s
        if detail == "compact":
            for r in ordered:
                s.add(r["id"], r["text"], date=r.get("date"))
        best = min(timed(s.pairs) for _ in range(3))
        pairs = s.pairs()
        lines = [json.dumps(p) for p in pairs]
        size = sum(map(len, lines)) / len(lines)
        loads = min(timed(lambda: [json.loads(x) for x in lines]) for _ in range(3))
        print(f"{detail}: Scanner.pairs() {best:.3f} s for {len(pairs)} pairs "
              f"({best / len(pairs) * 1e6:.0f} us a pair, {size:.0f} bytes of JSON a pair); "
              f"json.loads of the same lines {loads:.3f} s ({loads / len(pairs) * 1e6:.0f} us a pair)")


def timed(fn):
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


if __name__ == "__main__":
    main()
