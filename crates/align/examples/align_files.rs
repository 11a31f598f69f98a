//! Prints the sentence alignment of two text files (a debugging aid).
//!
//! `cargo run -p stemma-align --example align_files -- A.txt B.txt`

use stemma_align::{AlignInput, LexicalScorer, SentenceScorer, align};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() != 2 {
        eprintln!("usage: align_files A.txt B.txt");
        return;
    }
    let (Ok(a), Ok(b)) = (
        std::fs::read_to_string(&args[0]),
        std::fs::read_to_string(&args[1]),
    ) else {
        eprintln!("cannot read the input files");
        return;
    };
    let (pa, pb) = (stemma_text::prepare(&a), stemma_text::prepare(&b));
    let (ia, ib) = (AlignInput::new(&a, &pa), AlignInput::new(&b, &pb));
    let scorer = LexicalScorer::default();
    let (fa, fb) = (scorer.features(ia), scorer.features(ib));
    let short = |s: &str| s.chars().take(70).collect::<String>().replace('\n', " / ");
    for i in 0..pa.sentences.len() {
        let mut best: Vec<(usize, f64)> = (0..pb.sentences.len())
            .map(|j| (j, scorer.score(&fa, i..i + 1, &fb, j..j + 1)))
            .collect();
        best.sort_by(|x, y| y.1.total_cmp(&x.1));
        let top: Vec<String> = best
            .iter()
            .take(3)
            .map(|(j, s)| format!("B{j}:{s:.2}"))
            .collect();
        println!("A{i} [{}] {}", top.join(" "), short(ia.sentence_text(i)));
    }
    for j in 0..pb.sentences.len() {
        println!("B{j} {}", short(ib.sentence_text(j)));
    }
    for g in align(&scorer, ia, ib).groups {
        println!(
            "GROUP A{:?} B{:?} {:?} sim {:.3} tok {:.3}",
            g.a, g.b, g.kind, g.similarity, g.token_similarity
        );
    }
}
