#!/usr/bin/env python3
"""Peer benchmark of MinHash-LSH near-duplicate removal: stemma vs datasketch, rensa, gaoya.

`bench.py run` runs every tool end to end in its own process (read JSONL -> shingles ->
MinHash -> LSH -> clusters -> write kept records and clusters), under /usr/bin/time -v for
wall time and peak memory, with the same threshold / num_perm / ngram. Quality is measured
against the exact ground truth: all pairs whose TRUE Jaccard of word-shingle sets is >=
threshold, found exactly with prefix filtering (no sampling). A tool's reported pairs are all
pairs inside its output clusters.

`bench.py peer TOOL ...` is one peer's end-to-end job (what `run` times).

Tokenization of ground truth, datasketch and rensa is stemma's: lowercase, words are runs of
[^\\W_], shingles of `ngram` consecutive words (fewer words: one shingle of all). gaoya uses
its own built-in Rust word analyzer (whitespace words, lowercased).
"""

import argparse
import json
import math
import os
import re
import subprocess
import sys
import time
from collections import defaultdict

WORD = re.compile(r"[^\W_]+")


def words(text):
    return WORD.findall(text.lower())


def shingle_strs(text, k):
    w = words(text)
    if not w:
        return []
    if len(w) < k:
        return [" ".join(w)]
    return [" ".join(w[i:i + k]) for i in range(len(w) - k + 1)]


def read_jsonl(path):
    docs, raw = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            try:
                d = json.loads(line)
            except json.JSONDecodeError:
                continue
            if not isinstance(d.get("text"), str):
                continue
            docs.append(d)
            raw.append(line if line.endswith("\n") else line + "\n")
    return docs, raw


class UF:
    def __init__(self, n):
        self.p = list(range(n))

    def find(self, x):
        p = self.p
        while p[x] != x:
            p[x] = p[p[x]]
            x = p[x]
        return x

    def union(self, a, b):
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            if ra < rb:
                self.p[rb] = ra
            else:
                self.p[ra] = rb


def write_results(uf, docs, raw, out_prefix):
    n = len(docs)
    groups = defaultdict(list)
    for i in range(n):
        groups[uf.find(i)].append(i)
    with open(out_prefix + ".kept.jsonl", "w", encoding="utf-8") as f:
        for i in range(n):
            if uf.find(i) == i or groups[uf.find(i)][0] == i:
                f.write(raw[i])
    with open(out_prefix + ".clusters.jsonl", "w", encoding="utf-8") as f:
        for g in groups.values():
            if len(g) > 1:
                f.write(json.dumps([str(docs[i]["id"]) for i in g]) + "\n")


def peer(a):
    docs, raw = read_jsonl(a.corpus)
    n = len(docs)
    uf = UF(n)
    if a.tool == "datasketch":
        from datasketch import MinHash, MinHashLSH
        sets = [[s.encode("utf-8") for s in shingle_strs(d["text"], a.ngram)] for d in docs]
        mhs = MinHash.bulk(sets, num_perm=a.num_perm)
        lsh = MinHashLSH(threshold=a.threshold, num_perm=a.num_perm)
        with lsh.insertion_session() as s:
            for i, m in enumerate(mhs):
                if sets[i]:
                    s.insert(i, m, check_duplication=False)
        for i, m in enumerate(mhs):
            if sets[i]:
                for j in lsh.query(m):
                    uf.union(i, j)
    elif a.tool == "rensa":
        from rensa import RMinHash, RMinHashLSH
        sets = [shingle_strs(d["text"], a.ngram) for d in docs]
        keep = [i for i in range(n) if sets[i]]
        mhs = RMinHash.from_token_sets([sets[i] for i in keep], a.num_perm, 42)
        lsh = RMinHashLSH(a.threshold, a.num_perm, a.bands)
        lsh.insert_many(mhs, 0)
        for qi, cands in enumerate(lsh.query_all(mhs)):
            for c in cands:
                uf.union(keep[qi], keep[c])
    elif a.tool == "gaoya":
        from gaoya.minhash import MinHashStringIndex
        idx = MinHashStringIndex(hash_size=32, jaccard_threshold=a.threshold, num_bands=a.bands,
                                 band_size=a.rows, num_hashes=None, analyzer="word",
                                 lowercase=True, ngram_range=(a.ngram, a.ngram),
                                 id_container="smallvec")
        texts = [d["text"] for d in docs]
        idx.par_bulk_insert_docs(list(range(n)), texts)
        for i, cands in enumerate(idx.par_bulk_query(texts)):
            for c in cands:
                uf.union(i, c)
    else:
        sys.exit(f"unknown tool {a.tool}")
    write_results(uf, docs, raw, a.out)


# ---------------------------------------------------------------- ground truth (exact)

def true_pairs(docs, k, t):
    """All pairs (i, j), i < j, with exact Jaccard >= t, by prefix filtering."""
    ids = {}
    sets = []
    for d in docs:
        sets.append({ids.setdefault(s, len(ids)) for s in shingle_strs(d["text"], k)})
    freq = defaultdict(int)
    for s in sets:
        for x in s:
            freq[x] += 1
    order = sorted(range(len(sets)), key=lambda i: len(sets[i]))
    index = defaultdict(list)
    out = {}
    for i in order:
        s = sets[i]
        if not s:
            continue
        toks = sorted(s, key=lambda x: (freq[x], x))
        p = len(toks) - math.ceil(t * len(toks) - 1e-9) + 1
        cands = set()
        for x in toks[:p]:
            for j in index[x]:
                if len(sets[j]) >= t * len(s) - 1e-9:
                    cands.add(j)
            index[x].append(i)
        for j in cands:
            inter = len(s & sets[j])
            jac = inter / (len(s) + len(sets[j]) - inter)
            if jac >= t - 1e-12:
                out[(min(i, j), max(i, j))] = jac
    return out


def quality(clusters_path, id_to_idx, truth):
    cluster_of = {}
    total = 0
    with open(clusters_path, encoding="utf-8") as f:
        for ci, line in enumerate(f):
            members = json.loads(line)
            total += len(members) * (len(members) - 1) // 2
            for m in members:
                cluster_of[id_to_idx[m]] = ci
    hits = sum(1 for (i, j) in truth if i in cluster_of and cluster_of.get(j) == cluster_of[i])
    prec = hits / total if total else float("nan")
    rec = hits / len(truth) if truth else float("nan")
    return prec, rec, total


def stemma_clusters(removed_path, out_path):
    groups = defaultdict(list)
    with open(removed_path, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            g = groups[r["cluster"]]
            if not g:
                g.append(r["kept"])
            g.append(r["removed"])
    with open(out_path, "w", encoding="utf-8") as f:
        for g in groups.values():
            f.write(json.dumps(g) + "\n")


def timed(cmd, log):
    t0 = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-v"] + cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    with open(log, "w") as f:
        f.write(" ".join(cmd) + "\n--- stdout\n" + p.stdout + "\n--- stderr\n" + p.stderr)
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr)
    rss = int(m.group(1)) / 1024 if m else float("nan")
    cpu = sum(float(x) for x in re.findall(r"(?:User|System) time \(seconds\): ([\d.]+)", p.stderr))
    err = None
    if p.returncode not in (0, 3):
        tail = [l for l in p.stderr.strip().splitlines() if not l.startswith("\t")]
        err = f"exit {p.returncode}: " + " | ".join(tail[-3:])
    return wall, rss, cpu, err


def run(a):
    from datasketch.lsh import _false_negative_probability, _false_positive_probability, _optimal_param
    os.makedirs(a.outdir, exist_ok=True)
    docs, _ = read_jsonl(a.corpus)
    n = len(docs)
    id_to_idx = {str(d["id"]): i for i, d in enumerate(docs)}
    bands, rows = _optimal_param(a.threshold, a.num_perm, 0.5, 0.5)
    print(f"corpus {a.corpus}: {n} documents; threshold {a.threshold}, num_perm {a.num_perm}, "
          f"ngram {a.ngram}; datasketch banding b={bands} r={rows}")
    # rensa needs num_perm divisible by bands: best datasketch error among divisors.
    divisors = [b for b in range(1, a.num_perm + 1) if a.num_perm % b == 0]
    rensa_bands = min(divisors, key=lambda b: 0.5 * _false_positive_probability(a.threshold, b, a.num_perm // b)
                      + 0.5 * _false_negative_probability(a.threshold, b, a.num_perm // b))
    print(f"rensa banding (bands must divide num_perm): b={rensa_bands} r={a.num_perm // rensa_bands}")
    t0 = time.perf_counter()
    st = os.stat(a.corpus)
    cache = os.path.join(a.outdir, f"truth-{st.st_size}-{int(st.st_mtime)}-{a.threshold}-{a.ngram}.json")
    if os.path.exists(cache):
        with open(cache) as f:
            truth = {tuple(p): j for p, j in json.load(f)}
    else:
        truth = true_pairs(docs, a.ngram, a.threshold)
        with open(cache, "w") as f:
            json.dump([[list(p), j] for p, j in truth.items()], f)
    print(f"ground truth: {len(truth)} pairs with exact Jaccard >= {a.threshold} "
          f"({time.perf_counter() - t0:.1f}s, exact prefix-filtering join, cached in {cache})")
    common = ["--threshold", str(a.threshold), "--num-perm", str(a.num_perm), "--ngram", str(a.ngram)]
    rows_out = []
    for tool in a.tools.split(","):
        prefix = os.path.join(a.outdir, tool)
        if tool.startswith("stemma"):
            cmd = [a.stemma, "dedup", a.corpus, "--quiet", "--out", prefix + ".kept.jsonl",
                   "--removed", prefix + ".removed.jsonl"] + common
            if tool == "stemma-verify":
                cmd.append("--verify")
            if tool == "stemma-perm":
                cmd += ["--scheme", "perm"]
            if tool == "stemma-lowmem":
                cmd.append("--low-memory")
        else:
            b, r = (rensa_bands, a.num_perm // rensa_bands) if tool == "rensa" else (bands, rows)
            cmd = [sys.executable, os.path.abspath(__file__), "peer", tool, "--corpus", a.corpus,
                   "--out", prefix, "--bands", str(b), "--rows", str(r)] + common
        best = None
        for _ in range(a.repeat):
            wall, rss, cpu, err = timed(cmd, prefix + ".log")
            if err:
                best = (wall, rss, cpu, err)
                break
            if best is None or wall < best[0]:
                best = (wall, rss, cpu, None)
        wall, rss, cpu, err = best
        if err is None and tool.startswith("stemma"):
            stemma_clusters(prefix + ".removed.jsonl", prefix + ".clusters.jsonl")
        if err is None:
            try:
                prec, rec, reported = quality(prefix + ".clusters.jsonl", id_to_idx, truth)
            except Exception as e:  # report, never fake
                err = f"quality: {e}"
        if err:
            rows_out.append((tool, None, None, None, None, None, None, None, err))
        else:
            rows_out.append((tool, wall, n / wall, cpu, rss, prec, rec, reported, None))
    ref = next((r for r in rows_out if r[0] == "stemma" and r[1]), None)
    print()
    print(f"{'tool':<15}{'wall s':>8}{'docs/s':>10}{'cpu s':>8}{'peak MB':>9}{'precision':>11}"
          f"{'recall':>8}{'pairs':>9}{'wall/stemma':>13}{'cpu/stemma':>12}")
    for tool, wall, dps, cpu, rss, prec, rec, reported, err in rows_out:
        if err:
            print(f"{tool:<15} FAILED: {err}")
            continue
        ratio = f"{wall / ref[1]:.2f}x" if ref else "-"
        cratio = f"{cpu / ref[3]:.2f}x" if ref and ref[3] else "-"
        print(f"{tool:<15}{wall:>8.2f}{dps:>10.0f}{cpu:>8.2f}{rss:>9.0f}{prec:>11.3f}{rec:>8.3f}"
              f"{reported:>9}{ratio:>13}{cratio:>12}")
    print(f"\n(wall includes process start, imports, reading and writing; cpu = user + system; "
          f"best wall of {a.repeat}; load average at end {os.getloadavg()[0]:.1f}; logs in {a.outdir})")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    for name in ("run", "peer"):
        p = sub.add_parser(name)
        if name == "peer":
            p.add_argument("tool")
            p.add_argument("--out", required=True)
            p.add_argument("--bands", type=int, required=True)
            p.add_argument("--rows", type=int, required=True)
        else:
            p.add_argument("--tools", default="stemma,stemma-verify,stemma-lowmem,stemma-perm,gaoya,rensa,datasketch")
            p.add_argument("--stemma", required=True)
            p.add_argument("--outdir", required=True)
            p.add_argument("--repeat", type=int, default=3)
        p.add_argument("--corpus", required=True)
        p.add_argument("--threshold", type=float, default=0.8)
        p.add_argument("--num-perm", type=int, default=128)
        p.add_argument("--ngram", type=int, default=5)
    a = ap.parse_args()
    peer(a) if a.cmd == "peer" else run(a)


if __name__ == "__main__":
    main()
