"""stemma: find who copied whom in news text, on the same Rust core as the ``stemma`` CLI.

Functions return plain dicts and lists shaped as the CLI's JSON contract (docs/json.md):

- :func:`compare` — two texts: relation, score, direction, aligned passages, changes
  (``stemma compare --json``);
- :func:`scan` — every reuse relation in a corpus: the rows of ``pairs.jsonl`` and
  ``families.jsonl`` (``stemma scan``);
- :class:`Scanner` — the same, one document at a time: ``add`` returns the new document's
  relations to the documents added before it;
- :func:`dedup` — near-duplicate removal with datasketch/text-dedup parameters
  (``stemma dedup``);
- :func:`minhash`, :func:`shingles`, :func:`jaccard` — signatures for your own LSH.

``stemma.spark`` runs scan and dedup on a Spark cluster with the same core.
"""

from ._stemma import (  # noqa: F401 (re-exported)
    DedupSketcher,
    Scanner,
    __version__,
    compare,
    dedup,
    jaccard,
    minhash,
    parse_date,
    relations,
    scan,
    semantic_model,
    shingle_jaccard,
    shingles,
)

__all__ = [
    "DedupSketcher",
    "Scanner",
    "__version__",
    "compare",
    "dedup",
    "jaccard",
    "minhash",
    "parse_date",
    "relations",
    "scan",
    "semantic_model",
    "shingle_jaccard",
    "shingles",
]
