//! Writes the HTML page and prints the terminal view of a hand-built comparison of two invented
//! texts, to check the printers by eye: `cargo run -p stemma-render --example sample_page -- OUT.html`.

use stemma_compare::{
    Alignment, AlignmentKind, Change, ChangeKind, Comparison, Coverage, Direction, Evidence,
    Relation, Side, Span,
};
use stemma_render::{Input, html, terminal};

const A: &str = "Floods cut off three villages in the Matesgora valley on Monday, local officials said.\n\n\
Mayor Ivan Petrov said 40 homes had been evacuated and that rescue teams were working through the night. \
\"We have never seen water rise this fast,\" he told reporters at the town hall.\n\n\
The regional weather service forecast another 80 mm of rain by Wednesday. Roads into the valley stayed closed all day, \
and the railway line to the coast was suspended.\n\n\
Residents were asked to stay away from the riverbanks <and> to follow updates from the authorities & emergency services.\n\n\
The valley last flooded in 2009, when the river burst its banks after a week of storms.";

const B: &str = "BREAKING — updated 14:05\n\n\
Floods cut off three villages in the Matsegora valley on Monday, local officials said.\n\n\
Mayor Ivan Petrov said 45 homes had been evacuated and that rescue teams were working through the night. \
\"We have never seen the water rise so fast,\" he told reporters at the town hall.\n\n\
All day, the roads leading into the valley remained shut, and trains to the coast were halted. \
Forecasters expect another 80 mm of rain by Wednesday.\n\n\
Residents were asked to stay away from the riverbanks <and> to follow updates from the authorities & emergency services.\n\n\
Share this story: 🙂 ✓ — subscribe for more.";

fn span(text: &str, needle: &str) -> Span {
    let s = text.find(needle).expect("needle in text");
    Span::new(s, s + needle.len())
}

fn main() {
    let out = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "sample.html".to_string());
    let al = |a: &str, b: &str, kind, similarity| Alignment {
        a: span(A, a),
        b: span(B, b),
        kind,
        similarity,
        weak: false,
    };
    let ch = |kind, a: &str, b: &str, ctx_a: &str, ctx_b: &str| {
        let (ca, cb) = (span(A, ctx_a), span(B, ctx_b));
        let (ia, ib) = (ctx_a.find(a).unwrap(), ctx_b.find(b).unwrap());
        Change {
            kind,
            a: Some(a.into()),
            b: Some(b.into()),
            a_span: Some(Span::new(ca.start + ia, ca.start + ia + a.len())),
            b_span: Some(Span::new(cb.start + ib, cb.start + ib + b.len())),
        }
    };
    let s1a =
        "Floods cut off three villages in the Matesgora valley on Monday, local officials said.";
    let s1b =
        "Floods cut off three villages in the Matsegora valley on Monday, local officials said.";
    let s2a = "Mayor Ivan Petrov said 40 homes had been evacuated and that rescue teams were working through the night.";
    let s2b = "Mayor Ivan Petrov said 45 homes had been evacuated and that rescue teams were working through the night.";
    let s3a = "\"We have never seen water rise this fast,\" he told reporters at the town hall.";
    let s3b = "\"We have never seen the water rise so fast,\" he told reporters at the town hall.";
    let s4a = "Roads into the valley stayed closed all day, \nand the railway line to the coast was suspended.";
    let s4a = if A.contains(s4a) {
        s4a
    } else {
        "Roads into the valley stayed closed all day, and the railway line to the coast was suspended."
    };
    let s4b = "All day, the roads leading into the valley remained shut, and trains to the coast were halted.";
    let s5a = "The regional weather service forecast another 80 mm of rain by Wednesday.";
    let s5b = "Forecasters expect another 80 mm of rain by Wednesday.";
    let s6 = "Residents were asked to stay away from the riverbanks <and> to follow updates from the authorities & emergency services.";
    let cmp = Comparison {
        relation: Relation::NearDuplicate,
        score: 0.81,
        probability: 0.9,
        verdict: None,
        direction: Direction {
            source: Some(Side::A),
            confidence: 0.74,
            evidence: vec![
                Evidence {
                    kind: "date".into(),
                    favours: Some(Side::A),
                    weight: 0.45,
                    value: 0.0,
                    detail: "A is dated 2 h 10 min before B".into(),
                },
                Evidence {
                    kind: "added-material".into(),
                    favours: Some(Side::A),
                    weight: 0.3,
                    value: 0.0,
                    detail: "B adds a banner and a share line (62 bytes) that A lacks".into(),
                },
                Evidence {
                    kind: "containment".into(),
                    favours: None,
                    weight: 0.1,
                    value: 0.0,
                    detail: "both texts contain 84–88% of each other".into(),
                },
            ],
        },
        coverage: Coverage { a: 0.86, b: 0.83 },
        alignments: vec![
            al(s1a, s1b, AlignmentKind::NearVerbatim, 0.96),
            al(s2a, s2b, AlignmentKind::NearVerbatim, 0.97),
            al(s3a, s3b, AlignmentKind::NearVerbatim, 0.88),
            al(s4a, s4b, AlignmentKind::Paraphrase, 0.58),
            al(s5a, s5b, AlignmentKind::Paraphrase, 0.62),
            al(s6, s6, AlignmentKind::Verbatim, 1.0),
        ],
        passages: vec![],
        changes: vec![
            ch(ChangeKind::Name, "Matesgora", "Matsegora", s1a, s1b),
            ch(ChangeKind::Number, "40", "45", s2a, s2b),
            ch(
                ChangeKind::Quote,
                "We have never seen water rise this fast",
                "We have never seen the water rise so fast",
                s3a,
                s3b,
            ),
        ],
        dropped: vec![span(
            A,
            "The valley last flooded in 2009, when the river burst its banks after a week of storms.",
        )],
        added: vec![
            span(B, "BREAKING — updated 14:05"),
            span(B, "Share this story: 🙂 ✓ — subscribe for more."),
        ],
    };
    let (a, b) = (
        Input::new("valley-floods.txt", A),
        Input::new("valley-floods-copy.txt", B),
    );
    std::fs::write(
        &out,
        html::page(&cmp, &a, &b, &html::HtmlOptions::default()),
    )
    .expect("write the page");
    let color = std::env::var_os("NO_COLOR").is_none();
    print!(
        "{}",
        terminal::render(
            &cmp,
            &a,
            &b,
            &terminal::TerminalOptions {
                color,
                ..Default::default()
            }
        )
    );
    eprintln!("wrote {out}");
}
