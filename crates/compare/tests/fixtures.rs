//! Relations, direction and changes on small self-written fixture texts (run anywhere).

use stemma_compare::{ChangeKind, Comparer, Comparison, Document, Relation, Side};

const ORIGINAL: &str = "Harbour bridge reopens after two-year repair

The Kelverton harbour bridge reopened to traffic on Saturday after a repair programme that lasted two years and cost 48 million euros, the city council said.

Mayor Ingrid Halvorsen cut the ribbon at a ceremony attended by about 2,000 residents, many of whom had crossed the old bridge daily before it was closed in March 2023.

Engineers replaced all 316 steel cables and rebuilt the eastern approach, which had been damaged by a ship collision in the winter storms.

\"This bridge is the spine of our city, and today it stands again,\" Halvorsen told the crowd.

Traffic planners expect around 35,000 vehicles to cross the bridge each day, roughly the same number as before the closure.

The council said a toll would not be introduced, despite earlier proposals from the regional transport authority.

Photo: City of Kelverton / Press Office

Follow our local news desk on social media for more updates.";

fn compare(a: &str, b: &str) -> Comparison {
    let (pa, pb) = (stemma_text::prepare(a), stemma_text::prepare(b));
    Comparer::default().compare(&Document::new(a, &pa), &Document::new(b, &pb))
}

fn compare_dated(a: &str, da: i64, b: &str, db: i64) -> Comparison {
    let (pa, pb) = (stemma_text::prepare(a), stemma_text::prepare(b));
    Comparer::default().compare(
        &Document::new(a, &pa).with_date(Some(da)),
        &Document::new(b, &pb).with_date(Some(db)),
    )
}

const SPUN: &str = "The harbour bridge of Kelverton was opened to traffic again on Saturday, the city council announced, following a two-year repair programme that cost 48 million euros.

Around 2,000 residents watched as Mayor Ingrid Halverson cut the ribbon at the ceremony; many of them had crossed the old bridge every day before its closure in March 2023.

All 316 steel cables were replaced by engineers, who also rebuilt the eastern approach that a ship collision had damaged during the winter storms.

\"This bridge is the spine of our city, and today it stands again,\" Halverson told the crowd.

Planners expect about 35,000 vehicles to cross the bridge daily, roughly as many as before it was closed.";

const SAME_STORY: &str = "Drivers return to Kelverton crossing

Commuters in Kelverton were back on the harbour bridge on Saturday morning, queueing from dawn to be among the first across.

Taxi driver Mehmet Arslan said his daily trip to the airport had taken an extra forty minutes for two years. \"I never want to see that ferry again,\" he said.

Shop owners on the eastern side reported their best weekend since 2023, when the closure began and footfall fell by a third.

Mayor Ingrid Halvorsen, who opened the bridge, faces a council election in the autumn, and opposition members have criticised the 48 million euro cost.

The regional transport authority is still studying a second crossing further north, a project that could take a decade.";

const UNRELATED: &str = "Local orchestra announces winter season

The Marlow Chamber Orchestra will open its winter season with three Beethoven symphonies, its artistic director said on Tuesday.

The programme also includes two premieres by young composers from the region and a children's concert on Christmas Eve.

Tickets go on sale next week, with reduced prices for students and pensioners.

The orchestra, founded in 1962, performs in the restored town hall, which seats about 600 people.";

#[test]
fn verbatim_copy_is_a_duplicate_without_direction() {
    let c = compare(ORIGINAL, ORIGINAL);
    assert_eq!(c.relation, Relation::Duplicate);
    assert_eq!(c.direction.source, None);
    assert_eq!(c.direction.confidence, 0.0);
    assert!(c.coverage.a > 0.99 && c.coverage.b > 0.99);
    assert!(c.changes.is_empty() && c.dropped.is_empty() && c.added.is_empty());
    assert!(
        c.alignments
            .iter()
            .all(|a| a.kind == stemma_compare::AlignmentKind::Verbatim)
    );
}

#[test]
fn whitespace_and_case_changes_are_a_duplicate() {
    let reformatted = ORIGINAL
        .replace("\n\n", "\n\n\n")
        .replace("Saturday", "SATURDAY");
    assert_eq!(
        compare(ORIGINAL, &reformatted).relation,
        Relation::Duplicate
    );
}

#[test]
fn light_edit_is_a_near_duplicate_with_number_change() {
    let edited = ORIGINAL
        .replace("about 2,000 residents", "about 3,000 residents")
        .replace(
            "Follow our local news desk on social media for more updates.",
            "",
        );
    let c = compare(ORIGINAL, &edited);
    assert_eq!(c.relation, Relation::NearDuplicate);
    assert!(
        c.changes.iter().any(|ch| ch.kind == ChangeKind::Number
            && ch.a.as_deref() == Some("2,000")
            && ch.b.as_deref() == Some("3,000")),
        "{:?}",
        c.changes
    );
    // The footer line B lacks is dropped from A.
    let footer = ORIGINAL.find("Follow our").unwrap();
    assert!(
        c.dropped
            .iter()
            .any(|s| s.start <= footer && footer < s.end),
        "{:?}",
        c.dropped
    );
}

#[test]
fn spun_paraphrase_is_a_rewrite_from_the_original() {
    let c = compare(SPUN, ORIGINAL);
    assert_eq!(c.relation, Relation::Rewrite, "{c:?}");
    // The original holds a title, a toll paragraph and page furniture the spin dropped, but
    // the evidence the direction model weighs (trimmed words, dropped names and numbers,
    // quotations) barely separates here: the source may be left unnamed, never named wrongly.
    assert_ne!(c.direction.source, Some(Side::A), "{:?}", c.direction);
    assert!(
        c.changes.iter().any(|ch| ch.kind == ChangeKind::Name
            && ch.a.as_deref() == Some("Halverson")
            && ch.b.as_deref() == Some("Halvorsen")),
        "{:?}",
        c.changes
    );
    // Nothing but the name is reported as changed: paraphrase wording is not a change.
    assert!(
        c.changes.iter().all(|ch| ch.kind == ChangeKind::Name),
        "{:?}",
        c.changes
    );
    // The toll paragraph of the original (B) has no counterpart: `dropped` when B is named
    // the source, `added` when the direction is unknown (A is then read as the source).
    let toll = ORIGINAL.find("toll").unwrap();
    let unmatched_b = if c.direction.source == Some(Side::B) {
        &c.dropped
    } else {
        &c.added
    };
    assert!(
        unmatched_b.iter().any(|s| s.start <= toll && toll < s.end),
        "{:?}",
        unmatched_b
    );
    // Every sentence of the spin is aligned.
    assert!(c.coverage.a > 0.9, "{:?}", c.coverage);
}

#[test]
fn dates_decide_the_direction() {
    // Same texts, but the spin is dated a day earlier: dates outweigh containment.
    let c = compare_dated(SPUN, 1_700_000_000, ORIGINAL, 1_700_086_400);
    assert_eq!(c.relation, Relation::Rewrite);
    assert_eq!(c.direction.source, Some(Side::A));
    assert!(
        c.direction
            .evidence
            .iter()
            .any(|e| e.kind == "date" && e.favours == Some(Side::A))
    );
    assert!(c.direction.evidence.iter().any(|e| e.kind == "containment"));
}

#[test]
fn partial_reuse_is_partial() {
    let start = ORIGINAL.find("Engineers replaced").unwrap();
    let end = ORIGINAL.find("The council said").unwrap();
    let borrowed = &ORIGINAL[start..end];
    let text = format!(
        "Weekend roundup\n\nThe regional football final ended in a draw after extra time, and the replay will be held next month.\n\nA new bakery opened in the old market hall, offering bread from recipes kept by the owner's grandmother.\n\n{borrowed}\nThe weather service expects a dry and sunny week with temperatures above the seasonal average.\n\nThe public library extends its opening hours from Monday and adds a reading room for teenagers.\n\nVolunteers collected more than four tonnes of litter along the river banks during the annual clean-up day."
    );
    let c = compare(ORIGINAL, &text);
    assert_eq!(c.relation, Relation::Partial, "{c:?}");
    assert!(!c.alignments.is_empty());
    assert!(c.coverage.a < 0.8 && c.coverage.b < 0.8);
}

#[test]
fn independent_coverage_is_same_story() {
    let c = compare(ORIGINAL, SAME_STORY);
    assert_eq!(c.relation, Relation::SameStory, "{c:?}");
    assert_eq!(c.direction.source, None);
    assert!(c.dropped.is_empty() && c.added.is_empty());
}

#[test]
fn unrelated_texts_are_unrelated() {
    let c = compare(ORIGINAL, UNRELATED);
    assert_eq!(c.relation, Relation::Unrelated, "{c:?}");
    assert!(c.alignments.is_empty());
    assert_eq!(c.direction.source, None);
}

#[test]
fn empty_and_odd_inputs_do_not_panic() {
    for (a, b) in [
        ("", ""),
        ("", ORIGINAL),
        ("\u{0}\u{1}", "...!!!"),
        ("a", "a"),
    ] {
        let c = compare(a, b);
        assert!((0.0..=1.0).contains(&c.score));
        assert!((0.0..=1.0).contains(&c.coverage.a) && (0.0..=1.0).contains(&c.coverage.b));
    }
    assert_eq!(compare("", "").relation, Relation::Unrelated);
}

#[test]
fn relation_is_symmetric_and_direction_mirrors() {
    let ab = compare(ORIGINAL, SPUN);
    let ba = compare(SPUN, ORIGINAL);
    assert_eq!(ab.relation, ba.relation);
    // Never the copy; and swapping the inputs swaps the answer.
    assert_ne!(ab.direction.source, Some(Side::B));
    let mirrored = ab.direction.source.map(|s| match s {
        Side::A => Side::B,
        Side::B => Side::A,
    });
    assert_eq!(ba.direction.source, mirrored);
    assert!((ab.probability - ba.probability).abs() < 1e-9);
}

#[test]
fn preparation_of_another_text_does_not_panic() {
    // A caller bug: the preparation does not belong to the text. Spans that do not fit are
    // ignored instead of panicking.
    let long = stemma_text::prepare(ORIGINAL);
    let short = "Kelverton bridge é";
    let ps = stemma_text::prepare(short);
    let c = Comparer::default().compare(&Document::new(short, &long), &Document::new(short, &ps));
    assert!((0.0..=1.0).contains(&c.coverage.a));
    for s in c.dropped.iter().chain(&c.added) {
        assert!(s.end <= ORIGINAL.len());
    }
}

#[test]
fn reordered_copy_is_a_rewrite_not_a_near_duplicate() {
    // The article's paragraphs in another order, otherwise unchanged: all of it is reused
    // (a derivation), but the order is not kept, so it is not a near-duplicate either.
    let paras: Vec<&str> = ORIGINAL.split("\n\n").collect();
    let order = [0, 5, 6, 4, 3, 1, 2];
    let copy: Vec<&str> = order.iter().map(|&i| paras[i]).collect();
    let copy = copy.join("\n\n");
    let c = compare(ORIGINAL, &copy);
    assert_eq!(c.relation, Relation::Rewrite, "{:?}", c.coverage);
    // Each moved block is its own reused region.
    assert!(c.passages.len() >= 3, "{:?}", c.passages);
}

fn trimmed_words(c: &Comparison) -> (Option<Side>, f64) {
    let e = c
        .direction
        .evidence
        .iter()
        .find(|e| e.kind == "trimmed-words")
        .expect("trimmed-words evidence");
    (e.favours, e.weight)
}

#[test]
fn trimmed_words_count_in_proportion_to_verbatim_copy() {
    let full = "Traffic planners expect around 35,000 vehicles to cross the bridge each day, roughly the same number as before the closure.";
    let trimmed = "Traffic planners expect 35,000 vehicles to cross the bridge, roughly the same number as before the closure.";
    // A light edit that trims words: the untrimmed text is the source.
    let light = ORIGINAL.replace(full, trimmed);
    let (fav, w) = trimmed_words(&compare(ORIGINAL, &light));
    assert_eq!(fav, Some(Side::A));
    assert!(w >= 0.05, "{w}");
    // The same trimmed sentence inside a reworded text says little about who edited whom.
    let spun = SPUN.replace(
        "Planners expect about 35,000 vehicles to cross the bridge daily, roughly as many as before it was closed.",
        trimmed,
    );
    let c = compare(ORIGINAL, &spun);
    assert_eq!(c.relation, Relation::Rewrite);
    let (_, w_spun) = trimmed_words(&c);
    assert!(w_spun < 0.5 * w, "{w_spun} vs {w}");
}
