"""stemma.dedup removes the planted near-duplicates; stemma.minhash estimates Jaccard."""

import random

import pytest

import stemma


def test_dedup_removes_the_planted_near_duplicates(corpus):
    records, planted = corpus
    out = stemma.dedup(records, threshold=0.8)
    removed = {r["removed"]: r["kept"] for r in out["removed"]}
    assert removed == planted
    assert [r["id"] for r in out["kept"]] == [f"d{i}" for i in range(60)]
    # The kept records are the objects given.
    assert out["kept"][0] is records[0]
    assert out["stats"]["removed"] == len(planted)
    assert all(0.5 < r["estimated_jaccard"] <= 1.0 for r in out["removed"])


def test_dedup_verify_and_keep_longest(corpus):
    records, planted = corpus
    out = stemma.dedup(records, verify=True, keep="longest")
    assert out["stats"]["removed"] == len(planted)
    for r in out["removed"]:
        assert r["true_jaccard"] >= 0.8
        pair = {r["removed"], r["kept"]}
        copy = next(x for x in pair if x.startswith("copy"))
        assert pair == {copy, planted[copy]}
        # "changed…" words make the copy the longer text.
        assert r["kept"] == copy


def test_exact_duplicates_and_plain_strings():
    out = stemma.dedup(["same text here", "other words entirely", "Same  text here!"])
    assert out["removed"] == [
        {
            "removed": 2,
            "kept": 0,
            "cluster": 0,
            "exact": True,
            "estimated_jaccard": 1.0,
            "true_jaccard": None,
        }
    ]


def test_dedup_bad_input_names_the_record():
    with pytest.raises(ValueError, match=r"record 1 \(id \"b\"\): no \"text\" field"):
        stemma.dedup([{"id": "a", "text": "x"}, {"id": "b"}])
    with pytest.raises(TypeError, match=r"record 0 .*must be a str"):
        stemma.dedup([{"id": "a", "text": 3}])
    with pytest.raises(TypeError, match="record 0"):
        stemma.dedup([42])
    with pytest.raises(ValueError, match="threshold"):
        stemma.dedup(["a"], threshold=1.5)
    with pytest.raises(ValueError, match="keep"):
        stemma.dedup(["a"], keep="last")
    with pytest.raises(ValueError, match="bands and rows"):
        stemma.dedup(["a"], bands=4)


def test_minhash_estimates_jaccard():
    rng = random.Random(3)
    words = [f"w{rng.randrange(5000)}" for _ in range(600)]
    a = " ".join(words)
    b = " ".join(words[:400] + [f"x{rng.randrange(5000)}" for _ in range(200)])
    sa, sb = set(stemma.shingles(a)), set(stemma.shingles(b))
    true = len(sa & sb) / len(sa | sb)
    assert 0.3 < true < 0.7
    est = stemma.jaccard(stemma.minhash(a, num_perm=256), stemma.minhash(b, num_perm=256))
    assert abs(est - true) < 0.1, (est, true)
    assert stemma.shingle_jaccard(a, b) == pytest.approx(true)
    # Deterministic, seeded, sized.
    assert stemma.minhash(a) == stemma.minhash(a)
    assert stemma.minhash(a, seed=2) != stemma.minhash(a)
    assert len(stemma.minhash(a, num_perm=64, scheme="perm")) == 64
    with pytest.raises(ValueError, match="num_perm"):
        stemma.minhash(a, num_perm=0)
    with pytest.raises(ValueError, match="same size"):
        stemma.jaccard([1, 2], [1])
