"""The semantic layer from Python: the model found and the verdict model picked as the CLI
does, so stemma.compare(..., semantic=True) is `stemma compare --json` with the model."""

import json
import subprocess

import pytest

import stemma
from test_compare import REWRITE, SOURCE, UNRELATED

MODEL = stemma.semantic_model()
needs_model = pytest.mark.skipif(
    MODEL is None,
    reason="no semantic model (run scripts/fetch-model.sh; .ci/run fetches it)",
)


@needs_model
@pytest.mark.parametrize("other", ["rewrite", "unrelated"])
def test_semantic_compare_equals_the_cli(other, tmp_path, stemma_bin):
    if stemma_bin is None:
        pytest.skip("no stemma binary (cargo build -p stemma, or set STEMMA_BIN)")
    b = {"rewrite": REWRITE, "unrelated": UNRELATED}[other]
    (tmp_path / "a.txt").write_text(SOURCE)
    (tmp_path / "b.txt").write_text(b)
    out = subprocess.run(
        [stemma_bin, "compare", "--json", "--model", str(MODEL),
         str(tmp_path / "a.txt"), str(tmp_path / "b.txt")],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    cli = json.loads(out)
    cli.pop("inputs", None)
    got = stemma.compare(SOURCE, b, semantic=True)
    assert got == cli
    # None finds the same model; an explicit path is the same model.
    assert stemma.compare(SOURCE, b) == got
    assert stemma.compare(SOURCE, b, model=str(MODEL)) == got


@needs_model
def test_semantic_scanner_and_scan_agree():
    from test_scan import docs

    s = stemma.Scanner(semantic=True)
    assert s.semantic
    for d in docs():
        s.add(d["id"], d["text"], date=d["date"])
    batch = stemma.scan(docs(), semantic=True)
    assert s.pairs() == batch["pairs"]
    rel = {(p["a_id"], p["b_id"]): p["relation"] for p in s.pairs()}
    assert rel[("src", "dup")] == "duplicate"
    # As in `stemma scan`, a pair is verified lexically and compared again with the model only
    # when the lexical verdict is unsure: the rewrite's pair is the comparison of its two
    # texts by the scorer its verdict names.
    (rw,) = [p for p in s.pairs() if (p["a_id"], p["b_id"]) == ("src", "rw")]
    decided = rw["verdict"]["model"]
    assert decided in ("lexical", "semantic")
    c = stemma.compare(
        SOURCE, REWRITE, date_a="2024-05-01", date_b="2024-05-03", semantic=decided == "semantic"
    )
    assert c["verdict"]["model"] == decided
    assert rw["probability"] == c["probability"] and rw["alignments"] == c["alignments"]


def test_semantic_true_without_a_model_is_an_error(tmp_path, monkeypatch):
    monkeypatch.setenv("STEMMA_MODEL", str(tmp_path / "absent.bin"))
    assert stemma.semantic_model() is None
    with pytest.raises(FileNotFoundError, match="semantic=True but no model found"):
        stemma.compare(SOURCE, REWRITE, semantic=True)
    with pytest.raises(FileNotFoundError, match="no model found"):
        stemma.Scanner(semantic=True)
    # None falls back to the lexical scorer, as the CLI does.
    assert stemma.compare(SOURCE, REWRITE) == stemma.compare(SOURCE, REWRITE, semantic=False)
    assert not stemma.Scanner().semantic
