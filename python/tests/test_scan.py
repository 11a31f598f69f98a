"""stemma.scan finds the relation of a copy to its source, as `stemma scan` does."""

import json
import subprocess

import pytest

import stemma
from test_compare import REWRITE, SOURCE, UNRELATED


def docs():
    return [
        {"id": "src", "text": SOURCE, "date": "2024-05-01"},
        {"id": "other", "text": UNRELATED, "date": "2024-05-02"},
        {"id": "rw", "text": REWRITE, "date": "2024-05-03"},
        {"id": "dup", "text": SOURCE, "date": "2024-05-04"},
    ]


def test_scan_finds_copies_and_families():
    out = stemma.scan(docs())
    got = {(p["a_id"], p["b_id"]): p["relation"] for p in out["pairs"]}
    assert got[("src", "dup")] == "duplicate"
    assert got[("src", "rw")] in ("rewrite", "near-duplicate")
    assert all("other" not in k for k in got)
    fam = out["families"]
    assert len(fam) == 1 and fam[0]["root"] == "src"
    assert sorted(fam[0]["members"]) == ["dup", "rw", "src"]


def test_scan_same_pairs_as_the_cli(tmp_path, stemma_bin):
    if stemma_bin is None:
        pytest.skip("no stemma binary (cargo build -p stemma, or set STEMMA_BIN)")
    path = tmp_path / "c.jsonl"
    path.write_text("".join(json.dumps(d) + "\n" for d in docs()))
    subprocess.run(
        # The binding scans lexically: compare with the CLI's lexical mode (its semantic pass
        # is on by default when a model is found).
        [stemma_bin, "scan", str(path), "--out", str(tmp_path / "out"), "-q", "--semantic", "off"],
        check=True,
        capture_output=True,
    )
    lines = (tmp_path / "out/pairs.jsonl").read_text().splitlines()
    assert stemma.scan(docs())["pairs"] == [json.loads(x) for x in lines]
    fams = (tmp_path / "out/families.jsonl").read_text().splitlines()
    assert stemma.scan(docs())["families"] == [json.loads(x) for x in fams]


def test_scan_bad_input():
    with pytest.raises(ValueError, match="relations"):
        stemma.scan(docs(), relations=["copied"])
    with pytest.raises(ValueError, match="record 1"):
        stemma.scan([{"id": "a", "text": "x"}, {"id": "b", "txt": "y"}])
    with pytest.raises(TypeError, match="iterable"):
        stemma.scan(3)
