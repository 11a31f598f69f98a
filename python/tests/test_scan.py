"""stemma.scan finds the relation of a copy to its source, as `stemma scan` does."""

import json
import os
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
    out = stemma.scan(docs(), semantic=False)
    got = {(p["a_id"], p["b_id"]): p["relation"] for p in out["pairs"]}
    assert got[("src", "dup")] == "duplicate"
    assert got[("src", "rw")] in ("rewrite", "near-duplicate")
    assert all("other" not in k for k in got)
    fam = out["families"]
    assert len(fam) == 1 and fam[0]["root"] == "src"
    assert sorted(fam[0]["members"]) == ["dup", "rw", "src"]


def cli_scan(stemma_bin, tmp_path, records, *flags):
    """pairs.jsonl and families.jsonl of `stemma scan` on `records` (lexical: the model
    variable names no file, so a CLI that finds the model by default does not)."""
    path = tmp_path / "c.jsonl"
    path.write_text("".join(json.dumps(d) + "\n" for d in records))
    out = tmp_path / "out"
    subprocess.run(
        [stemma_bin, "scan", str(path), "--out", str(out), "-q", "--semantic", "off", *flags],
        check=True,
        capture_output=True,
        env={**os.environ, "STEMMA_MODEL": str(tmp_path / "no-model.bin")},
    )
    read = lambda name: [json.loads(x) for x in (out / name).read_text().splitlines()]  # noqa: E731
    return read("pairs.jsonl"), read("families.jsonl")


def test_scan_same_pairs_as_the_cli(tmp_path, stemma_bin):
    if stemma_bin is None:
        pytest.skip("no stemma binary (cargo build -p stemma, or set STEMMA_BIN)")
    pairs, fams = cli_scan(stemma_bin, tmp_path, docs())
    out = stemma.scan(docs(), semantic=False)
    assert out["pairs"] == pairs
    assert out["families"] == fams
    compact, _ = cli_scan(stemma_bin, tmp_path, docs(), "--detail", "compact")
    assert stemma.scan(docs(), semantic=False, detail="compact")["pairs"] == compact
    assert "alignments" in pairs[0] and "alignments" not in compact[0]


def test_scan_bad_input():
    with pytest.raises(ValueError, match="relations"):
        stemma.scan(docs(), relations=["copied"])
    with pytest.raises(ValueError, match="record 1"):
        stemma.scan([{"id": "a", "text": "x"}, {"id": "b", "txt": "y"}])
    with pytest.raises(TypeError, match="iterable"):
        stemma.scan(3)
    with pytest.raises(ValueError, match="min_score"):
        stemma.scan(docs(), min_score=1.5)
    with pytest.raises(ValueError, match="detail"):
        stemma.scan(docs(), detail="short")
    with pytest.raises(TypeError, match="unexpected option \"max_pairs\""):
        stemma.scan(docs(), max_pairs=3)


def test_scan_reads_titles_as_the_cli(tmp_path, stemma_bin):
    """A record's headline is its document's first paragraph (`--title-field`, default
    "title"); a blank one is none; title_field="" reads the text alone."""
    if stemma_bin is None:
        pytest.skip("no stemma binary (cargo build -p stemma, or set STEMMA_BIN)")
    recs = [dict(d, title=f"Headline {i}") for i, d in enumerate(docs())]
    recs[1]["title"] = "  "
    pairs, fams = cli_scan(stemma_bin, tmp_path, recs)
    out = stemma.scan(recs, semantic=False)
    assert out["pairs"] == pairs
    assert out["families"] == fams
    # src and dup differ by their headlines now: no exact copy, spans count from the headline.
    p = {(x["a_id"], x["b_id"]): x for x in pairs}[("src", "dup")]
    assert "exact" not in p["signals"]
    plain, _ = cli_scan(stemma_bin, tmp_path, recs, "--title-field", "")
    assert stemma.scan(recs, semantic=False, title_field="")["pairs"] == plain
    assert plain != pairs
