//! A site prints the same notices under all its articles: two unrelated articles that share
//! only that footer are not a derivation (the footer is shown as a weak alignment, not
//! weighed), while a real copy that carries the footer stays one; wire notices built from one
//! template under headlines naming other companies are a `template`. Self-written texts.

use stemma_compare::{Comparer, Document, Relation};

const FOOTER: &str = "All rights reserved. This material may not be republished without permission.\n\nFollow us on social media for the latest updates.";

const HARBOUR: &str = "The harbour authority of Lindqvist Bay approved a plan on Tuesday to dredge the northern channel before the autumn storms. The work will cost about 4.2 million crowns and take eleven weeks, the authority's chair, Marta Oden, told the council.\n\nFishing crews had complained for two seasons that their boats scraped the bottom at low tide. \"We lose a morning every week waiting for the water,\" said skipper Jonas Fell.";

const ORCHESTRA: &str = "The city orchestra will tour four towns in the north this winter, its director announced, after a donor covered the cost of the bus and the hall rentals. Tickets go on sale on Friday.\n\nThe programme pairs two symphonies with a new piece by a local composer, Ines Harrow, who wrote it during the long closure of the concert hall.";

fn compare(a: &str, b: &str) -> stemma_compare::Comparison {
    let (pa, pb) = (stemma_text::prepare(a), stemma_text::prepare(b));
    Comparer::default().compare(&Document::new(a, &pa), &Document::new(b, &pb))
}

#[test]
fn a_shared_site_footer_is_shown_but_is_not_reuse() {
    let a = format!("{HARBOUR}\n\n{FOOTER}");
    let b = format!("{ORCHESTRA}\n\n{FOOTER}");
    let c = compare(&a, &b);
    assert!(
        !c.relation.is_derivation(),
        "{:?} {:?}",
        c.relation,
        c.verdict
    );
    // The footer is still reported, as weak evidence.
    let footer_at = b.find("All rights reserved").expect("footer");
    assert!(
        c.alignments
            .iter()
            .any(|al| al.weak && al.b.start <= footer_at && footer_at < al.b.end),
        "{:?}",
        c.alignments
    );
}

#[test]
fn a_copy_that_keeps_the_footer_is_still_a_copy() {
    let a = format!("{HARBOUR}\n\n{FOOTER}");
    let b = format!(
        "{}\n\n{FOOTER}",
        HARBOUR.replace("approved a plan on Tuesday", "on Tuesday approved a plan")
    );
    let c = compare(&a, &b);
    assert!(
        matches!(c.relation, Relation::NearDuplicate | Relation::Duplicate),
        "{:?}",
        c.relation
    );
}

// Wire notices from one template: a one-sentence frame filled with other figures, under
// headlines naming other companies (invented notices).
const NOTICE_A: &str = "GRANITE HARBOR LUMBER CO <GHL> SETS QUARTERLY PAYOUT\n\nQtly div 12 cts vs 12 cts prior\n    Pay May 2\n    Record April 17";
const NOTICE_B: &str = "VELLACOURT OPTICAL INSTRUMENTS <VOI> RAISES DIVIDEND\n\nQtly div 25 cts vs 25 cts prior\n    Pay May 9\n    Record April 17";

#[test]
fn notices_from_one_template_are_a_template_not_a_copy() {
    let c = compare(NOTICE_A, NOTICE_B);
    assert_eq!(c.relation, Relation::Template, "{:?}", c.verdict);
    assert!(!c.relation.is_derivation());
    // The headlines tell them apart: the bodies alone read as one notice reprinted.
    let body = |t: &str| t.split_once("\n\n").expect("headline").1.to_string();
    let bodies = compare(&body(NOTICE_A), &body(NOTICE_B));
    assert!(bodies.relation.is_derivation(), "{:?}", bodies.relation);
}

#[test]
fn a_notice_reprinted_under_its_own_headline_is_still_a_copy() {
    let reprint = NOTICE_A.replace("SETS QUARTERLY PAYOUT", "DECLARES QUARTERLY DIVIDEND");
    let c = compare(NOTICE_A, &reprint);
    assert!(c.relation.is_derivation(), "{:?}", c.relation);
}

// The same notices with all-capitals headlines that share the feed's frame words (`CORP`,
// `QTLY DIVIDEND`): every word is capitalized, so by capitalization alone the headlines share
// a third of their "names". Counted over the corpus's headlines, the frame's words are common
// and the companies' are not.
const CAPS_A: &str = "GRANITE HARBOR LUMBER CORP <GHL> QTLY DIVIDEND\n\nQtly div 12 cts vs 12 cts prior\n    Pay May 2\n    Record April 17";
const CAPS_B: &str = "VELLACOURT OPTICAL CORP <VOI> QTLY DIVIDEND\n\nQtly div 25 cts vs 25 cts prior\n    Pay May 9\n    Record April 17";

/// Headline counts of an invented feed: 60 dividend notices of as many companies, and the two
/// notices above.
fn feed() -> stemma_compare::HeadlineWords {
    let mut t = stemma_compare::HeadlineWords::new();
    for i in 0..60 {
        let text = format!(
            "NORDMARK{i} HOLDINGS CORP <NM{i}> QTLY DIVIDEND\n\nQtly div {i} cts vs {i} cts prior"
        );
        t.add(stemma_compare::HeadlineWords::words(&stemma_text::prepare(
            &text,
        )));
    }
    for text in [CAPS_A, CAPS_B] {
        t.add(stemma_compare::HeadlineWords::words(&stemma_text::prepare(
            text,
        )));
    }
    t
}

fn compare_in(a: &str, b: &str, t: &stemma_compare::HeadlineWords) -> stemma_compare::Comparison {
    let (pa, pb) = (stemma_text::prepare(a), stemma_text::prepare(b));
    Comparer::default().compare(
        &Document::new(a, &pa).with_headlines(Some(t)),
        &Document::new(b, &pb).with_headlines(Some(t)),
    )
}

#[test]
fn all_capitals_headlines_sharing_the_frame_words_name_others_in_a_corpus() {
    // Alone, the shared frame words look like shared names: not told apart.
    assert!(compare(CAPS_A, CAPS_B).relation.is_derivation());
    let t = feed();
    assert!(t.is_common("corp") && t.is_common("qtly") && !t.is_common("granite"));
    let c = compare_in(CAPS_A, CAPS_B, &t);
    assert_eq!(c.relation, Relation::Template, "{:?}", c.verdict);
}

#[test]
fn a_notice_reprinted_under_its_own_capitals_headline_stays_a_copy_in_a_corpus() {
    let t = feed();
    let reprint = CAPS_A.replace("QTLY DIVIDEND", "SETS QUARTERLY PAYOUT");
    let c = compare_in(CAPS_A, &reprint, &t);
    assert!(c.relation.is_derivation(), "{:?}", c.relation);
}
