"""stemma.Scanner: documents one at a time, the same pairs as a batch scan fed in date order."""

import random
import threading

import pytest

import stemma
from test_scan import cli_scan, docs


def dated(corpus):
    """The shared corpus with dates (copies dated after their source, a few records
    undated), sorted in date order with the undated ones last: the order in which an
    incremental scan verifies what a batch scan verifies."""
    records, _ = corpus
    rng = random.Random(11)
    out = []
    for i, r in enumerate(records):
        day = rng.randint(1, 28) if not r["id"].startswith("copy") else 28
        rec = dict(r, date=f"2024-03-{day:02d}T{i % 24:02d}:{i % 60:02d}:00Z")
        if i % 17 == 5:
            del rec["date"]
        out.append(rec)
    key = lambda r: (r.get("date") is None, r.get("date") or "")  # noqa: E731
    return sorted(out, key=key)


def feed(records, **options):
    s = stemma.Scanner(**options)
    returned = []
    for r in records:
        returned.extend(s.add(r["id"], r["text"], date=r.get("date"), source=r.get("source")))
    return s, returned


def test_scanner_in_date_order_equals_scan_and_the_cli(corpus, tmp_path, stemma_bin):
    records = dated(corpus)
    s, returned = feed(records, semantic=False)
    batch = stemma.scan(records, semantic=False)
    assert len(s) == len(records)
    # Every planted copy is found, and the pairs are the batch scan's, in the same order.
    found = {(p["a_id"], p["b_id"]) for p in s.pairs()}
    _, planted = corpus
    assert all((src, cp) in found or (cp, src) in found for cp, src in planted.items())
    assert s.pairs() == batch["pairs"]
    assert returned == s.pairs()
    assert s.families() == batch["families"]
    if stemma_bin is None:
        pytest.skip("no stemma binary (cargo build -p stemma, or set STEMMA_BIN)")
    pairs, fams = cli_scan(stemma_bin, tmp_path, records)
    assert s.pairs() == pairs
    assert s.families() == fams


def test_add_returns_the_new_documents_relations():
    s = stemma.Scanner(semantic=False, relations=["duplicate", "rewrite", "near-duplicate"])
    d = docs()
    assert s.add("src", d[0]["text"], date="2024-05-01") == []
    assert s.add("other", d[1]["text"], date=1714608000) == []
    got = s.add("rw", d[2]["text"], date="2024-05-03")
    assert [(p["a_id"], p["b_id"]) for p in got] == [("src", "rw")]
    assert got[0]["relation"] in ("rewrite", "near-duplicate")
    assert got[0]["direction"]["source"] == "a" and "alignments" in got[0]
    got = s.add(7, d[0]["text"])
    assert ("src", "7", "duplicate") in {(p["a_id"], p["b_id"], p["relation"]) for p in got}
    assert len(s) == 4 and not s.semantic
    (fam,) = s.families()
    assert fam["root"] == "src" and sorted(fam["members"]) == ["7", "rw", "src"]
    compact = stemma.Scanner(semantic=False, detail="compact")
    compact.add("a", d[0]["text"])
    (p,) = compact.add("b", d[0]["text"])
    assert p["relation"] == "duplicate" and "alignments" not in p and "probability" in p


def test_scanners_in_threads():
    # add releases the GIL: two threads feeding two scanners finish with the same pairs
    # as one thread would.
    d = docs()
    results = {}

    def run(name):
        s, _ = feed(d, semantic=False)
        results[name] = s.pairs()

    threads = [threading.Thread(target=run, args=(n,)) for n in "ab"]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results["a"] == results["b"] == stemma.scan(d, semantic=False)["pairs"]


def test_scanner_refuses_bad_options_and_input():
    with pytest.raises(ValueError, match="max_candidates|redundancy"):
        stemma.Scanner(redundancy=-1)
    with pytest.raises(ValueError, match="relations"):
        stemma.Scanner(relations=["copied"])
    with pytest.raises(TypeError, match="unexpected option \"id_field\""):
        stemma.Scanner(id_field="key")
    with pytest.raises(FileNotFoundError, match="model"):
        stemma.Scanner(model="/nonexistent/model.bin")
    s = stemma.Scanner(semantic=False)
    with pytest.raises(ValueError, match="date: cannot read"):
        s.add("a", "Some text here.", date="yesterday")
    with pytest.raises(TypeError):
        s.add("a", None)
    assert len(s) == 0
