//! Prints the paragraphs, sentences and tokens `prepare` finds in a file (for inspection).
//!
//! Usage: `cargo run -p stemma-text --example prepare_dump FILE [--tokens]`

use stemma_text::prepare;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: prepare_dump FILE [--tokens]");
        std::process::exit(2);
    };
    let show_tokens = args.next().as_deref() == Some("--tokens");
    let text = match std::fs::read(&path) {
        Ok(b) => String::from_utf8_lossy(&b).into_owned(),
        Err(e) => {
            eprintln!("cannot read {path}: {e}");
            std::process::exit(1);
        }
    };
    let p = prepare(&text);
    println!(
        "language {} | {} paragraphs, {} sentences, {} tokens",
        p.language,
        p.paragraphs.len(),
        p.sentences.len(),
        p.tokens.len()
    );
    for (pi, para) in p.paragraphs.iter().enumerate() {
        println!("== paragraph {pi} {:?}", (para.span.start, para.span.end));
        for si in para.sentences.clone() {
            let s = &p.sentences[si];
            println!("  [{si}] {:?}", s.span.text(&text));
            if show_tokens {
                for t in p.sentence_tokens(si) {
                    println!(
                        "      {:<20} norm={:<18} stem={:<16} {:?}{}{}",
                        format!("{:?}", t.span.text(&text)),
                        t.norm,
                        t.stem,
                        t.kind,
                        if t.stop { " stop" } else { "" },
                        if t.capitalized { " Cap" } else { "" }
                    );
                }
            }
        }
    }
}
