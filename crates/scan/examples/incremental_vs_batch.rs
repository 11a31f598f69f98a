//! Incremental vs batch on a real corpus: scans a JSONL corpus in date order (undated last)
//! once as a batch ([`ScanDriver::run`]) and once a document at a time
//! ([`IncrementalScanner::add`]), writes both pair lists, and prints how they differ.
//!
//! ```text
//! cargo run --release -p stemma-scan --example incremental_vs_batch -- CORPUS.jsonl OUT_DIR
//! ```
//!
//! Writes `OUT_DIR/batch.jsonl` and `OUT_DIR/incremental.jsonl` (compact pair lines) and prints
//! the number of pairs of each, the pairs only one of them has, and the wall time of each.

use std::io::{BufWriter, Write};
use std::time::Instant;
use stemma_corpus::{Corpus, CorpusOptions};
use stemma_scan::driver::{CollectSink, input_docs};
use stemma_scan::output::{Detail, PairLine, write_line};
use stemma_scan::{DocInfo, InputDoc, Pair, ScanDriver};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [corpus, out] = args.as_slice() else {
        return Err("usage: incremental_vs_batch CORPUS.jsonl OUT_DIR".into());
    };
    let records = Corpus::open(
        &[std::path::PathBuf::from(corpus)],
        CorpusOptions::default(),
    )?;
    let mut docs: Vec<InputDoc> = input_docs(records)
        .collect::<Result<_, _>>()
        .map_err(|s| format!("skipped {s}"))?;
    // Date order, undated last; the sort is stable, so equal dates keep the file order.
    docs.sort_by_key(|d| stemma_scan::date::date_key(d.date));
    std::fs::create_dir_all(out)?;

    let t = Instant::now();
    let mut sink = CollectSink::default();
    ScanDriver::builder()
        .build()?
        .run(docs.iter().cloned().map(Ok), &mut sink)?;
    let batch_time = t.elapsed();

    let t = Instant::now();
    let mut inc = ScanDriver::builder().build()?.incremental();
    for d in docs {
        inc.add(d)?;
    }
    let inc_time = t.elapsed();

    let write = |name: &str, docs: &[DocInfo], pairs: &[Pair]| -> std::io::Result<()> {
        let mut w = BufWriter::new(std::fs::File::create(std::path::Path::new(out).join(name))?);
        for p in pairs {
            write_line(&mut w, &PairLine::new(docs, p, Detail::Compact))?;
        }
        w.flush()
    };
    write("batch.jsonl", &sink.docs, &sink.pairs)?;
    write("incremental.jsonl", inc.docs(), inc.pairs())?;
    let key = |docs: &[DocInfo], p: &Pair| {
        (
            docs[p.a as usize].id.clone(),
            docs[p.b as usize].id.clone(),
            p.comparison.relation,
            p.comparison.score.to_bits(),
        )
    };
    let b: Vec<_> = sink.pairs.iter().map(|p| key(&sink.docs, p)).collect();
    let i: Vec<_> = inc.pairs().iter().map(|p| key(inc.docs(), p)).collect();
    let (bs, is): (std::collections::HashSet<_>, std::collections::HashSet<_>) =
        (b.iter().collect(), i.iter().collect());
    println!(
        "batch: {} pairs in {:.1}s; incremental: {} pairs in {:.1}s",
        b.len(),
        batch_time.as_secs_f64(),
        i.len(),
        inc_time.as_secs_f64()
    );
    println!(
        "only batch: {}; only incremental: {}; same order: {}",
        bs.difference(&is).count(),
        is.difference(&bs).count(),
        b == i
    );
    println!(
        "families: batch {}, incremental {}, equal: {}",
        sink.families.len(),
        inc.families().len(),
        sink.families == inc.families()
    );
    Ok(())
}
