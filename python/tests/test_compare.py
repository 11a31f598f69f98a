"""stemma.compare gives what `stemma compare --json` gives, and refuses bad input."""

import json
import subprocess

import pytest

import stemma

SOURCE = (
    "The harbour bridge of Brackenford opened on Monday after 14 months of work. Mayor Ilse "
    "Varnholt cut the ribbon. Traffic on the old ferry fell by half within a day, and shops near "
    "the quay reported more customers than at any time since the spring.\n\n"
    "The bridge cost 48 million crowns, 6 million more than planned. \"It was worth every "
    "crown,\" Varnholt said."
)
REWRITE = (
    "After 14 months of work, Brackenford's harbour bridge opened on Monday, with Mayor Ilse "
    "Varnholt cutting the ribbon. Within a day, traffic on the old ferry had halved, while shops "
    "by the quay saw more customers than at any point since spring.\n\n"
    "The bridge cost 48 million crowns, which was 6 million over budget. Varnholt said it was "
    "worth every crown."
)
UNRELATED = (
    "Heavy rain flooded 40 homes in Orravik overnight, the fire service said. Crews pumped water "
    "from cellars until dawn. No one was hurt, but the coastal road will stay closed until "
    "Friday while engineers check the sea wall."
)

CASES = {
    "copy": (SOURCE, SOURCE),
    "rewrite": (SOURCE, REWRITE),
    "unrelated": (SOURCE, UNRELATED),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_same_json_as_the_cli(case, tmp_path, stemma_bin):
    # The lexical scorer on both sides (test_semantic.py compares the semantic layer).
    if stemma_bin is None:
        pytest.skip("no stemma binary (cargo build -p stemma, or set STEMMA_BIN)")
    a, b = CASES[case]
    (tmp_path / "a.txt").write_text(a)
    (tmp_path / "b.txt").write_text(b)
    out = subprocess.run(
        [stemma_bin, "compare", "--json", "--no-semantic", str(tmp_path / "a.txt"), str(tmp_path / "b.txt")],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    cli = json.loads(out)
    cli.pop("inputs", None)
    assert stemma.compare(a, b, semantic=False) == cli


def test_relations_of_a_copy_a_rewrite_and_an_unrelated_text():
    assert stemma.compare(SOURCE, SOURCE)["relation"] == "duplicate"
    assert stemma.compare(SOURCE, REWRITE)["relation"] in ("rewrite", "near-duplicate")
    assert stemma.compare(SOURCE, UNRELATED)["relation"] == "unrelated"


def test_dates_decide_the_direction():
    early = stemma.compare(SOURCE, REWRITE, date_a="2024-05-01", date_b="2024-05-03")
    late = stemma.compare(SOURCE, REWRITE, date_a="2024-05-03", date_b="2024-05-01")
    assert early["direction"]["source"] == "a"
    assert late["direction"]["source"] == "b"


def test_bad_input_raises():
    with pytest.raises(ValueError, match="a: empty text"):
        stemma.compare("   ", SOURCE)
    with pytest.raises(ValueError, match="b: binary input"):
        stemma.compare(SOURCE, "abc\0def")
    with pytest.raises(ValueError, match="date_b: cannot read the date"):
        stemma.compare(SOURCE, REWRITE, date_b="yesterday")
    with pytest.raises(TypeError):
        stemma.compare(SOURCE, REWRITE, semantic="e5-small")
    with pytest.raises(FileNotFoundError, match="model: /nonexistent/model.bin"):
        stemma.compare(SOURCE, REWRITE, model="/nonexistent/model.bin")
    with pytest.raises(TypeError):
        stemma.compare(SOURCE, 42)
