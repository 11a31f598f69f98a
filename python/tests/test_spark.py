"""stemma.spark on local[2]: the same removals as stemma.dedup and `stemma dedup`."""

import json
import os
import random
import shutil
import subprocess

import pytest

import stemma

pyspark = pytest.importorskip("pyspark", reason="pyspark is not installed (pip install pyspark)")
if shutil.which("java") is None:
    pytest.skip("Spark needs Java (17+): no `java` on PATH", allow_module_level=True)

from stemma import spark as sspark  # noqa: E402


@pytest.fixture(scope="module")
def spark():
    s = sspark.session("local[2]", app="stemma-tests")
    s.sparkContext.setLogLevel("ERROR")
    yield s
    s.stop()


def test_connected_components(spark):
    edges = spark.createDataFrame([(5, 9), (9, 2), (7, 8), (3, 4), (4, 8)], "a long, b long")
    got = {r["node"]: r["label"] for r in sspark.connected_components(edges).collect()}
    assert got == {2: 2, 5: 2, 9: 2, 3: 3, 4: 3, 7: 3, 8: 3}


def test_spark_dedup_matches_stemma_dedup(spark, corpus, tmp_path, stemma_bin):
    records, planted = corpus
    # Dates, and an exact copy, so that every column and both link kinds are exercised.
    rows = [dict(r, date=f"2024-01-{1 + i % 28:02d}") for i, r in enumerate(records)]
    rows.append({"id": "exact", "text": rows[3]["text"], "date": "2023-12-31"})
    df = spark.createDataFrame(rows, "id string, text string, date string")
    for keep in ("first", "earliest"):
        kept, removed = sspark.dedup(df, keep=keep, date_col="date", verify=True)
        want = stemma.dedup(rows, keep=keep, verify=True)
        got = [
            {
                "removed": r["id"],
                "kept": r["kept_id"],
                "cluster": r["cluster"],
                "exact": r["exact"],
                "estimated_jaccard": r["estimated_jaccard"],
                "true_jaccard": r["true_jaccard"],
            }
            for r in removed.collect()
        ]
        assert got == want["removed"]
        assert [r["id"] for r in kept.collect()] == [r["id"] for r in want["kept"]]
        if keep == "first":
            assert {r["removed"] for r in got} == set(planted) | {"exact"}

    # The command writes the files `stemma dedup` writes.
    path = tmp_path / "c.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    code = sspark.main(
        ["dedup", str(path), "-o", str(tmp_path / "kept.jsonl"),
         "--removed", str(tmp_path / "removed.jsonl"), "-q"]
    )
    assert code == 0
    if stemma_bin is None:
        pytest.skip("no stemma binary to compare the files with")
    subprocess.run(
        [stemma_bin, "dedup", str(path), "-o", str(tmp_path / "kept.cli"),
         "--removed", str(tmp_path / "removed.cli"), "-q"],
        check=True,
    )
    assert (tmp_path / "kept.jsonl").read_text() == (tmp_path / "kept.cli").read_text()
    assert (tmp_path / "removed.jsonl").read_text() == (tmp_path / "removed.cli").read_text()


def test_spark_dedup_refuses_bad_settings(spark):
    df = spark.createDataFrame([("a", "x")], "id string, text string")
    with pytest.raises(ValueError, match="column 'body'"):
        sspark.dedup(df, text_col="body")
    with pytest.raises(ValueError, match="threshold"):
        sspark.dedup(df, threshold=0)


def test_spark_scan_matches_stemma_scan(spark, tmp_path):
    from test_scan import docs

    rows = docs() + [
        {"id": "late-dup", "text": docs()[2]["text"], "date": "2024-05-09"},
    ]
    df = spark.createDataFrame(rows, "id string, text string, date string")
    # scan() is _scan() without the verified pairs' lines.
    res = sspark._scan(
        df, "id", "text", "date", relations=sspark._DEFAULT_RELATIONS, semantic=False, model=None
    )
    pairs, fams, verified = res.pairs, res.families, res.verified
    want = stemma.scan(rows, semantic=False)
    key = lambda p: (p["a_id"], p["b_id"], p["relation"], tuple(p["signals"]))  # noqa: E731
    assert [key(p.asDict()) for p in pairs.collect()] == [key(p) for p in want["pairs"]]
    # The lines themselves are the core's typed lines: equal to stemma.scan's dicts.
    assert set(sspark.STAGE_SECONDS) == {
        "sketch", "keys", "propose", "clusters", "pools", "verify", "families"
    }
    lines = [json.loads(r.json) for r in verified.orderBy("b", "a").collect()]
    assert lines == want["pairs"]
    got_f = [(f.id, f.root, sorted(f.members), len(f.edges)) for f in fams.collect()]
    want_f = [(f["id"], f["root"], sorted(f["members"]), len(f["edges"])) for f in want["families"]]
    assert got_f == want_f
    with pytest.raises(ValueError, match="relations"):
        sspark.scan(df, relations=["copied"])


def sentences(text):
    """The sentences of an article made by ``conftest.article``."""
    return [x if x.endswith(".") else x + "." for x in text.split(". ")]


def story_corpus():
    """~50 JSONL records with headlines and dates: stories, near-copies, an exact copy, a
    copy without its headline, partial reuse, copies mixing two stories, undated and
    same-day documents, unrelated ones."""
    from conftest import article, near_copy

    rng = random.Random(11)
    day = lambda i: f"2024-03-{1 + i:02d}"  # noqa: E731
    stories = [article(rng, 10) for _ in range(10)]
    recs = [
        {"id": f"s{i}", "title": f"Story {i}: council news", "text": t, "date": day(i)}
        for i, t in enumerate(stories)
    ]
    for i in range(6):
        recs.append(
            {"id": f"n{i}", "title": f"Story {i} again", "text": near_copy(rng, stories[i], 2),
             "date": day(10 + i)}
        )
    # A copy of a near-copy, same day as it (direction by compare, else by reading order).
    recs.append({"id": "nn0", "text": near_copy(rng, recs[10]["text"], 1), "date": day(10)})
    # The exact copy (headline included) and the text without its headline.
    recs.append({"id": "x1", "title": recs[1]["title"], "text": stories[1], "date": day(20)})
    recs.append({"id": "x1b", "text": stories[1], "date": day(21)})
    recs.append({"id": "blank", "title": "   ", "text": stories[7], "date": day(22)})
    for i in range(6):
        own = sentences(article(rng, 9))
        borrowed = sentences(stories[i])[2:5]
        recs.append(
            {"id": f"p{i}", "title": f"Partial {i}", "text": " ".join(own[:3] + borrowed + own[3:]),
             "date": None if i % 3 == 0 else day(12 + i)}
        )
    # A story of its own quoting a passage of s8, and a near-copy of it: a partial tree edge
    # joins the two groups of copies.
    own = sentences(article(rng, 10))
    q = " ".join(own[:4] + sentences(stories[8])[1:4] + own[4:])
    recs.append({"id": "q0", "title": "Own story", "text": q, "date": day(24)})
    recs.append({"id": "q0c", "title": "Own story", "text": near_copy(rng, q, 2), "date": day(25)})
    # Mixes: most of one story with a passage of another.
    for i, (x, y) in enumerate([(2, 3), (4, 5), (6, 2), (8, 9)]):
        text = " ".join(sentences(stories[x])[:8] + sentences(stories[y])[5:9])
        recs.append({"id": f"m{i}", "title": f"Mix {i}", "text": near_copy(rng, text, 1),
                     "date": day(18 + i)})
    for i in range(8):
        recs.append({"id": f"u{i}", "title": f"Other {i}", "text": article(rng, 6), "date": day(i)})
    rng.shuffle(recs)
    return recs


def test_spark_scan_command_writes_the_cli_files(spark, tmp_path, stemma_bin):
    """`python -m stemma.spark scan` and `stemma scan` on the same JSONL with headlines:
    the same pairs.jsonl and families.jsonl, byte for byte (families by the core's tree
    rule, run per connected component); stemma.scan gives the same pairs and families."""
    if stemma_bin is None:
        pytest.skip("no stemma binary to compare the files with")
    recs = story_corpus()
    path = tmp_path / "c.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in recs))
    cli = tmp_path / "cli"
    subprocess.run(
        [stemma_bin, "scan", str(path), "--out", str(cli), "-q", "--semantic", "off"],
        check=True,
        capture_output=True,
        env={**os.environ, "STEMMA_MODEL": str(tmp_path / "no-model.bin")},
    )
    out = tmp_path / "spark"
    assert sspark.main(["scan", str(path), "--out", str(out), "--no-semantic", "-q"]) == 0
    want_pairs = (cli / "pairs.jsonl").read_text()
    want_fams = (cli / "families.jsonl").read_text()
    assert (out / "pairs.jsonl").read_text() == want_pairs
    assert (out / "families.jsonl").read_text() == want_fams

    pairs = [json.loads(x) for x in want_pairs.splitlines()]
    fams = [json.loads(x) for x in want_fams.splitlines()]
    # The corpus exercises what it is for.
    rels = {p["relation"] for p in pairs}
    assert {"duplicate", "near-duplicate", "partial"} <= rels, rels
    assert len(fams) >= 5 and any(f["links"] for f in fams)
    assert any(e["relation"] == "partial" for f in fams for e in f["edges"])
    # Headlines are read: the text without its headline is no exact copy of its story.
    by = {(p["a_id"], p["b_id"]): p for p in pairs}
    s1 = [k for k in by if set(k) == {"s1", "x1b"}]
    assert s1 and "exact" not in by[s1[0]]["signals"]
    assert "exact" in by[tuple(k for k in by if set(k) == {"s1", "x1"})[0]]["signals"]
    # The Python package reads them alike.
    got = stemma.scan(recs, semantic=False)
    assert got["pairs"] == pairs
    assert got["families"] == fams
