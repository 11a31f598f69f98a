#!/usr/bin/env python3
"""stemma.dedup against datasketch, rensa and gaoya, each called from Python on the same corpus.

    python scripts/peers-python.py CORPUS.jsonl [--threshold 0.8] [--num-perm 128] [--ngram 5]

Needs, in the running interpreter: stemma (`pip install .` or the wheel), datasketch, rensa,
gaoya and psutil (install them in a scratch venv, not in the repository). A tool that cannot
be imported is reported as such and skipped.

The parent process reads the corpus once; after the tools it computes the ground truth: every pair of
documents whose exact Jaccard similarity of word-`ngram` shingle sets is at least the
threshold (`bench/dedup/bench.py`'s exhaustive prefix-filtered join, stemma's tokenization:
lowercase runs of letters and digits). Each tool then runs in a child forked from it, so
that the tools share the parsed corpus and each one's peak memory is its own: the time is
the call from texts to clusters (shingling, MinHash, LSH, grouping), the memory the peak
resident size above the child's size before the call (sampled every 5 ms, after the heap's
free pages are returned with `malloc_trim`). Precision and
recall are over pairs: a pair is predicted when both documents end in one cluster.
"""

import argparse
import json
import os
import pickle
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench" / "dedup"))
import bench  # noqa: E402 (the peer benchmark's shingles, union-find and ground truth)


def clusters_from_pairs(n, pairs):
    uf = bench.UF(n)
    for i, j in pairs:
        uf.union(i, j)
    groups = {}
    for i in range(n):
        groups.setdefault(uf.find(i), []).append(i)
    return [g for g in groups.values() if len(g) > 1]


def run_stemma(texts, a, verify):
    import stemma

    out = stemma.dedup(texts, threshold=a.threshold, num_perm=a.num_perm, ngram=a.ngram,
                       verify=verify)
    return out["clusters"]  # ids are the positions (records are strings)


def run_datasketch(texts, a):
    from datasketch import MinHash, MinHashLSH

    sets = [[s.encode("utf-8") for s in bench.shingle_strs(t, a.ngram)] for t in texts]
    mhs = MinHash.bulk(sets, num_perm=a.num_perm)
    lsh = MinHashLSH(threshold=a.threshold, num_perm=a.num_perm)
    with lsh.insertion_session() as s:
        for i, m in enumerate(mhs):
            if sets[i]:
                s.insert(i, m, check_duplication=False)
    pairs = [(i, j) for i, m in enumerate(mhs) if sets[i] for j in lsh.query(m) if j != i]
    return clusters_from_pairs(len(texts), pairs)


def run_rensa(texts, a):
    from rensa import RMinHash, RMinHashLSH

    sets = [bench.shingle_strs(t, a.ngram) for t in texts]
    keep = [i for i in range(len(texts)) if sets[i]]
    mhs = RMinHash.from_token_sets([sets[i] for i in keep], a.num_perm, 42)
    lsh = RMinHashLSH(a.threshold, a.num_perm, a.rensa_bands)
    lsh.insert_many(mhs, 0)
    pairs = [(keep[q], keep[c]) for q, cs in enumerate(lsh.query_all(mhs)) for c in cs]
    return clusters_from_pairs(len(texts), pairs)


def run_gaoya(texts, a):
    from gaoya.minhash import MinHashStringIndex

    idx = MinHashStringIndex(hash_size=32, jaccard_threshold=a.threshold, num_bands=a.bands,
                             band_size=a.rows, num_hashes=None, analyzer="word",
                             lowercase=True, ngram_range=(a.ngram, a.ngram),
                             id_container="smallvec")
    idx.par_bulk_insert_docs(list(range(len(texts))), texts)
    pairs = [(i, c) for i, cs in enumerate(idx.par_bulk_query(texts)) for c in cs]
    return clusters_from_pairs(len(texts), pairs)


TOOLS = {
    "stemma.dedup": lambda t, a: run_stemma(t, a, False),
    "stemma.dedup(verify=True)": lambda t, a: run_stemma(t, a, True),
    "gaoya": run_gaoya,
    "rensa": run_rensa,
    "datasketch": run_datasketch,
}


def measured(fn, texts, a):
    """(seconds, peak RSS increase in bytes, clusters) of fn(texts, a) in this process."""
    import ctypes
    import gc

    import psutil

    # Return the heap's free pages first, so that memory a tool reuses from the parent's
    # freed objects counts as its own.
    gc.collect()
    ctypes.CDLL("libc.so.6").malloc_trim(0)
    proc = psutil.Process()
    base = proc.memory_info().rss
    peak = [base]
    done = threading.Event()

    def sample():
        while not done.is_set():
            peak[0] = max(peak[0], proc.memory_info().rss)
            time.sleep(0.005)

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    t0 = time.perf_counter()
    clusters = fn(texts, a)
    dt = time.perf_counter() - t0
    done.set()
    th.join()
    peak[0] = max(peak[0], proc.memory_info().rss)
    return dt, peak[0] - base, clusters


def in_child(name, texts, a):
    """Runs tool `name` in a forked child; returns its result dict."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        try:
            res = measured(TOOLS[name], texts, a)
            payload = ("ok", res)
        except Exception as e:  # noqa: BLE001 (reported, not hidden)
            payload = ("error", f"{type(e).__name__}: {e}")
        with os.fdopen(w, "wb") as f:
            pickle.dump(payload, f)
        os._exit(0)
    os.close(w)
    with os.fdopen(r, "rb") as f:
        data = f.read()
    os.waitpid(pid, 0)
    return pickle.loads(data) if data else ("error", "the child died")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus")
    ap.add_argument("--threshold", type=float, default=0.8)
    ap.add_argument("--num-perm", type=int, default=128)
    ap.add_argument("--ngram", type=int, default=5)
    ap.add_argument("--tools", default=",".join(TOOLS))
    a = ap.parse_args()
    from datasketch.lsh import _false_negative_probability, _false_positive_probability, _optimal_param

    a.bands, a.rows = _optimal_param(a.threshold, a.num_perm, 0.5, 0.5)
    divisors = [b for b in range(1, a.num_perm + 1) if a.num_perm % b == 0]
    a.rensa_bands = min(divisors, key=lambda b: 0.5 * _false_positive_probability(
        a.threshold, b, a.num_perm // b) + 0.5 * _false_negative_probability(
        a.threshold, b, a.num_perm // b))
    docs, _ = bench.read_jsonl(a.corpus)
    texts = [d["text"] for d in docs]
    import stemma

    print(f"corpus {a.corpus}: {len(texts)} documents; threshold {a.threshold}, "
          f"{a.num_perm} permutations, {a.ngram}-word shingles; banding b={a.bands} r={a.rows} "
          f"(rensa b={a.rensa_bands}); stemma {stemma.__version__}, python {sys.version.split()[0]}")
    versions = {}
    for mod in ("datasketch", "rensa", "gaoya"):
        try:
            from importlib.metadata import version

            versions[mod] = version(mod)
        except Exception:  # noqa: BLE001
            versions[mod] = "not installed"
    print("peers: " + ", ".join(f"{k} {v}" for k, v in versions.items()))
    results = [(name, in_child(name, texts, a)) for name in a.tools.split(",")]
    # The ground truth after the tools, so that its memory is not in the children.
    t0 = time.perf_counter()
    truth = bench.true_pairs(docs, a.ngram, a.threshold)
    print(f"ground truth: {len(truth)} pairs with Jaccard >= {a.threshold} "
          f"({time.perf_counter() - t0:.1f} s)")
    print("\n| tool | wall s | docs/s | peak RSS increase MB | clusters | pairs predicted "
          "| precision | recall |")
    print("|---|---|---|---|---|---|---|---|")
    rows = []
    for name, (status, res) in results:
        if status != "ok":
            print(f"| {name} | failed: {res} | | | | | | |")
            continue
        dt, mem, clusters = res
        cluster_of = {}
        predicted = 0
        for ci, g in enumerate(clusters):
            predicted += len(g) * (len(g) - 1) // 2
            for i in g:
                cluster_of[int(i)] = ci
        hits = sum(1 for (i, j) in truth if i in cluster_of and cluster_of.get(j) == cluster_of[i])
        prec = hits / predicted if predicted else float("nan")
        rec = hits / len(truth) if truth else float("nan")
        rows.append({"tool": name, "seconds": dt, "peak_mb": mem / 2**20, "clusters": len(clusters),
                     "predicted": predicted, "precision": prec, "recall": rec})
        print(f"| {name} | {dt:.2f} | {len(texts) / dt:,.0f} | {mem / 2**20:.0f} | "
              f"{len(clusters)} | {predicted} | {prec:.3f} | {rec:.3f} |", flush=True)
    print("\n" + json.dumps(rows))


if __name__ == "__main__":
    main()
