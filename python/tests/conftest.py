"""Shared fixtures: a deterministic corpus of invented articles, and the stemma binary."""

import os
import random
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

WORDS = (
    "harbour bridge council mayor ferry traffic river plant jobs union strike demand fish "
    "company market shares profit rain flood homes crews cellars dawn road court judge trial "
    "minister budget tax school teachers pupils hospital nurses doctors train station line "
    "airport runway pilots weather storm wind coast village farmers harvest grain prices bank "
    "loan rates inflation election voters party leader speech report museum painting artist "
    "festival music crowd police officers arrest fire engine smoke factory workers wages"
).split()


def article(rng: random.Random, sentences: int = 8) -> str:
    """An invented article: sentences of random words (no two articles share 5-word runs)."""
    out = []
    for _ in range(sentences):
        n = rng.randint(12, 20)
        words = [rng.choice(WORDS) for _ in range(n)]
        words[0] = words[0].capitalize()
        out.append(" ".join(words) + ".")
    return " ".join(out)


def near_copy(rng: random.Random, text: str, changes: int = 1) -> str:
    """``text`` with ``changes`` words replaced (a near-duplicate)."""
    words = text.split(" ")
    for _ in range(changes):
        i = rng.randrange(len(words))
        words[i] = "changed" + words[i]
    return " ".join(words)


@pytest.fixture(scope="session")
def corpus():
    """(records, planted): 60 distinct articles, then 12 near-copies of some of them;
    ``planted`` maps each copy's id to its source's id."""
    rng = random.Random(7)
    records = [{"id": f"d{i}", "text": article(rng)} for i in range(60)]
    planted = {}
    for j, src in enumerate(rng.sample(range(60), 12)):
        cid = f"copy{j}"
        records.append({"id": cid, "text": near_copy(rng, records[src]["text"])})
        planted[cid] = f"d{src}"
    return records, planted


@pytest.fixture(scope="session")
def stemma_bin():
    """The stemma CLI built from this repository, or None."""
    env = os.environ.get("STEMMA_BIN")
    if env:
        return env
    for p in (ROOT / "target/release/stemma", ROOT / "target/debug/stemma"):
        if p.is_file():
            return str(p)
    return shutil.which("stemma")
