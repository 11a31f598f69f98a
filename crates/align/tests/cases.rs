//! Aligner behaviour on self-written texts: one-to-one where one-to-one holds, a paraphrase
//! that adds a clause, and verbatim sentences copied out of order.

use stemma_align::{
    AlignInput, AlignOptions, AlignResult, LexicalScorer, MatchKind, SentenceScorer, align_with,
};
use stemma_text::PreparedText;

fn run(a: &str, pa: &PreparedText, b: &str, pb: &PreparedText, opt: &AlignOptions) -> AlignResult {
    let scorer = LexicalScorer::default();
    let (ia, ib) = (AlignInput::new(a, pa), AlignInput::new(b, pb));
    let (fa, fb) = (scorer.features(ia), scorer.features(ib));
    align_with(&scorer, opt, ia, &fa, ib, &fb)
}

fn aligned(a: &str, b: &str) -> (PreparedText, PreparedText, AlignResult) {
    let (pa, pb) = (stemma_text::prepare(a), stemma_text::prepare(b));
    let r = run(a, &pa, b, &pb, &AlignOptions::default());
    (pa, pb, r)
}

/// True when some match pairs sentence `i` of A with sentence `j` of B.
fn pairs(r: &AlignResult, i: usize, j: usize) -> bool {
    r.groups
        .iter()
        .any(|g| g.a.contains(&i) && g.b.contains(&j))
}

fn one_to_one(a: &str, b: &str) {
    let (pa, pb, r) = aligned(a, b);
    assert_eq!(pa.sentences.len(), 2);
    assert_eq!(pb.sentences.len(), 2);
    for k in 0..2 {
        let g = r
            .groups
            .iter()
            .find(|g| g.b.contains(&k))
            .unwrap_or_else(|| panic!("B{k} unaligned: {:?}", r.groups));
        assert_eq!(
            (g.a.clone(), g.b.clone()),
            (k..k + 1, k..k + 1),
            "{:?}",
            r.groups
        );
        assert_eq!(g.kind, MatchKind::Paraphrase);
    }
    // Paraphrase matches are not merged into one block: one passage per sentence pair.
    assert_eq!(r.passages.len(), 2, "{:?}", r.passages);
}

#[test]
fn paraphrased_paragraphs_stay_one_to_one() {
    one_to_one(
        "The city council approved a new budget for public libraries on Tuesday after a long \
         debate.\n\nLibrarians had warned that several branches would close without extra money \
         for staff and books.",
        "On Tuesday, after a lengthy debate, the council of the city approved a fresh budget for \
         its public libraries.\n\nWithout additional money for books and staff, several branches \
         would have to close, librarians had warned.",
    );
    one_to_one(
        "Der Stadtrat hat am Dienstag nach langer Debatte einen neuen Haushalt für die \
         öffentlichen Bibliotheken beschlossen.\n\nDie Bibliothekare hatten gewarnt, dass ohne \
         zusätzliches Geld für Personal und Bücher mehrere Filialen schließen müssten.",
        "Nach langer Debatte beschloss der Stadtrat am Dienstag einen neuen Haushalt für die \
         öffentlichen Bibliotheken.\n\nOhne zusätzliches Geld für Bücher und Personal müssten \
         mehrere Filialen schließen, hatten die Bibliothekare gewarnt.",
    );
}

#[test]
fn a_join_must_beat_the_one_to_one_matches() {
    // B's single sentence merges both A sentences: a join is right here.
    let a = "The bridge over the river will close in May for repairs. \
             Drivers will have to use the ferry until the autumn.";
    let b = "The bridge over the river will close in May for repairs, so drivers will have to \
             use the ferry until the autumn.";
    let (_, _, r) = aligned(a, b);
    assert_eq!(r.groups.len(), 1, "{:?}", r.groups);
    assert_eq!((r.groups[0].a.clone(), r.groups[0].b.clone()), (0..2, 0..1));
}

/// A: an opening, the source sentence, a closing. B: the opening and closing kept, the middle
/// sentence reworded with an extra clause appended.
fn added_clause(a: &str, b: &str) {
    let (pa, pb) = (stemma_text::prepare(a), stemma_text::prepare(b));
    assert_eq!((pa.sentences.len(), pb.sentences.len()), (3, 3));
    let with = run(a, &pa, b, &pb, &AlignOptions::default());
    assert!(
        pairs(&with, 0, 0) && pairs(&with, 2, 2),
        "{:?}",
        with.groups
    );
    let g = with
        .groups
        .iter()
        .find(|g| g.b.contains(&1))
        .unwrap_or_else(|| panic!("the reworded sentence is unaligned: {:?}", with.groups));
    assert_eq!((g.a.clone(), g.b.clone()), (1..2, 1..2));
    assert_eq!(g.kind, MatchKind::Paraphrase);
    // Without clause matching the whole-sentence score is too diluted to align them.
    let without = run(
        a,
        &pa,
        b,
        &pb,
        &AlignOptions {
            clause_match: false,
            ..AlignOptions::default()
        },
    );
    assert!(!pairs(&without, 1, 1), "{:?}", without.groups);
}

#[test]
fn a_paraphrase_that_adds_a_clause_is_aligned_with_its_source() {
    added_clause(
        "The regional airline Nordwing announced new routes to Oslo and Bergen on Monday. \
         Its chief executive has recently faced questions about the delays that angered many \
         travellers during the last winter. The first flights are planned for March.",
        "On Monday the regional carrier Nordwing announced new routes to Oslo and Bergen. \
         Criticised by unions for months, the chief executive was questioned about delays, and \
         he also promised to renovate old terminals, hire young pilots, open lounges and refund \
         every unhappy customer. The first flights are planned for March.",
    );
    added_clause(
        "La aerolínea regional Nordwing anunció el lunes nuevas rutas a Oslo y Bergen. \
         Su consejero delegado ha recibido recientemente preguntas sobre los retrasos que \
         enfadaron a muchos viajeros durante el invierno pasado. Los primeros vuelos están \
         previstos para marzo.",
        "El lunes la compañía regional Nordwing anunció nuevas rutas a Oslo y Bergen. \
         Criticado por los sindicatos desde hace meses, el consejero delegado respondió \
         preguntas sobre los retrasos, y prometió además renovar terminales viejas, contratar \
         pilotos jóvenes, abrir salas nuevas y reembolsar a cada cliente descontento. Los \
         primeros vuelos están previstos para marzo.",
    );
}

fn shuffled_copy(sentences: &[&str], order: &[usize]) {
    let a = sentences.join(" ");
    let b: Vec<&str> = order.iter().map(|&k| sentences[k]).collect();
    let b = b.join(" ");
    let (pa, pb, r) = aligned(&a, &b);
    assert_eq!(pa.sentences.len(), sentences.len());
    assert_eq!(pb.sentences.len(), sentences.len());
    for (j, &i) in order.iter().enumerate() {
        let g = r
            .groups
            .iter()
            .find(|g| g.b == (j..j + 1))
            .unwrap_or_else(|| panic!("B{j} unaligned: {:?}", r.groups));
        assert_eq!(g.a, i..i + 1, "{:?}", r.groups);
        assert_eq!(g.kind, MatchKind::Verbatim);
    }
}

#[test]
fn verbatim_sentences_copied_out_of_order_align_with_their_sources() {
    shuffled_copy(
        &[
            "Plagiarism means presenting the work of others as your own.",
            "Students often copy sentences from websites without citing them.",
            "Detection software compares submitted essays with large collections of text.",
            "Teachers should explain how to quote and paraphrase correctly.",
            "A reference list shows the reader where every idea came from.",
        ],
        &[3, 0, 4, 2, 1],
    );
    shuffled_copy(
        &[
            "Плагиат означает выдачу чужой работы за свою.",
            "Студенты часто копируют предложения с сайтов без ссылок.",
            "Программы проверки сравнивают сочинения с большими собраниями текстов.",
            "Преподаватели должны объяснять, как правильно цитировать.",
        ],
        &[2, 3, 1, 0],
    );
}

#[test]
fn verbatim_sentences_align_even_when_the_scorer_proposes_no_candidates() {
    // Sixty sentences built from the same six words in different orders: every stem is in
    // every sentence, so the scorer's inverted index skips them all and proposes no pair.
    let words = ["amber", "basalt", "cobalt", "dolomite", "ember", "flint"];
    let mut sentences: Vec<String> = Vec::new();
    let mut perm: Vec<usize> = (0..6).collect();
    while sentences.len() < 60 {
        // Next lexicographic permutation.
        let k = (0..5)
            .rev()
            .find(|&k| perm[k] < perm[k + 1])
            .expect("enough permutations");
        let l = (k + 1..6)
            .rev()
            .find(|&l| perm[k] < perm[l])
            .expect("exists");
        perm.swap(k, l);
        perm[k + 1..].reverse();
        let s: Vec<&str> = perm.iter().map(|&p| words[p]).collect();
        sentences.push(format!("{}.", s.join(" ")));
    }
    let a = sentences.join("\n\n");
    let order: Vec<usize> = (0..60).map(|k| (k * 7) % 60).rev().collect();
    let b: Vec<&str> = order.iter().map(|&k| sentences[k].as_str()).collect();
    let b = b.join("\n\n");
    let (pa, pb) = (stemma_text::prepare(&a), stemma_text::prepare(&b));
    assert_eq!((pa.sentences.len(), pb.sentences.len()), (60, 60));
    let scorer = LexicalScorer::default();
    let (fa, fb) = (
        scorer.features(AlignInput::new(&a, &pa)),
        scorer.features(AlignInput::new(&b, &pb)),
    );
    assert!(scorer.candidates(&fa, &fb).is_empty());
    let r = run(&a, &pa, &b, &pb, &AlignOptions::default());
    assert_eq!(r.groups.len(), 60);
    for (j, &i) in order.iter().enumerate() {
        assert!(
            r.groups
                .iter()
                .any(|g| g.a == (i..i + 1) && g.b == (j..j + 1) && g.kind == MatchKind::Verbatim),
            "B{j} not aligned with A{i}"
        );
    }
}
