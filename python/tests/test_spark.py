"""stemma.spark on local[2]: the same removals as stemma.dedup and `stemma dedup`."""

import json
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
    pairs, fams, verified = sspark._scan(
        df, "id", "text", "date", relations=sspark._DEFAULT_RELATIONS, semantic=False, model=None
    )
    want = stemma.scan(rows, semantic=False)
    key = lambda p: (p["a_id"], p["b_id"], p["relation"], tuple(p["signals"]))  # noqa: E731
    assert [key(p.asDict()) for p in pairs.collect()] == [key(p) for p in want["pairs"]]
    # The lines themselves are the core's typed lines: equal to stemma.scan's dicts.
    assert set(sspark.STAGE_SECONDS) == {"sketch", "keys", "pairs", "verify", "families"}
    lines = [json.loads(r.json) for r in verified.orderBy("b", "a").collect()]
    assert lines == want["pairs"]
    got_f = [(f.id, f.root, sorted(f.members), len(f.edges)) for f in fams.collect()]
    want_f = [(f["id"], f["root"], sorted(f["members"]), len(f["edges"])) for f in want["families"]]
    assert got_f == want_f
    with pytest.raises(ValueError, match="relations"):
        sspark.scan(df, relations=["copied"])
