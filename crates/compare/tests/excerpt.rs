//! One reused sentence: an excerpt when it is a fifth or more of a short source, a shared line
//! when it is a small part of both texts (self-written texts).

use stemma_compare::{Comparer, Document, Relation};

const LINE: &str = "The official Kestrel news agency reported last night that the council said \
    the levy, initially covering all ferries in the district, would be amended for seasonal \
    operators and for companies which raised fares modestly last year.";

const HOST: &[&str] = &[
    "Rain fell across the valley for a third straight day on Monday.",
    "Farmers in the lower fields moved their cattle to higher ground before the river rose.",
    "The weather office expects the storms to ease by the weekend.",
    "Road crews cleared fallen trees from the main route to Dellingham overnight.",
    "Schools in three villages stayed closed as buses could not reach them.",
    "A spokesman for the regional water company said reservoirs were now full.",
    "Insurance firms have started sending assessors to the worst hit streets.",
    "Local shops reported brisk sales of sandbags and pumps.",
    "The last comparable flood, in 1998, damaged more than 400 homes.",
    "Volunteers from the rowing club helped residents carry furniture upstairs.",
    "Officials said the railway line would reopen once engineers had inspected the bridge.",
    "Residents were told to boil tap water until further notice.",
];

const SOURCE_REST: &[&str] = &[
    "The harbour authority of Brackenford said on Tuesday it would close the northern quay for repairs.",
    "It did not say what the amendments would be.",
    "Mayor Ilse Varnholt is expected to present the plan to the council next month.",
    "Opposition members have called the levy unfair to small operators.",
];

const PADDING: &[&str] = &[
    "Ferry traffic rose by a tenth last summer as more tourists visited the islands.",
    "The port's two cranes were replaced in the spring after a long tender.",
    "Fishermen say the new pontoons are too narrow for the larger trawlers.",
    "A study of the harbour floor found old anchors and a sunken barge.",
    "The lighthouse keeper's cottage will become a small maritime museum.",
    "Night crossings to Ostmark were cut to twice a week during the winter.",
    "Dock workers agreed a two-year pay deal with the operators in March.",
    "The yacht club plans a regatta for the first weekend of August.",
    "Customs officers seized a shipment of counterfeit engine parts in January.",
    "A footbridge over the inner basin is due to open before the festival.",
    "Tide gauges installed last year showed the sea level rising slowly.",
    "The authority's accounts for the year will be published in the autumn.",
];

const HOST_MORE: &[&str] = &[
    "The county council will meet on Thursday to discuss emergency funding.",
    "Several families are staying with relatives in neighbouring towns.",
    "The army sent two trucks and twenty soldiers to help fill sandbags.",
    "Power was restored to most homes by late afternoon.",
    "A bakery on the high street handed out free bread to volunteers.",
    "Photographs of the flooded square were shared widely online.",
    "Hydrologists warned that the ground would stay saturated for weeks.",
    "The football match planned for Saturday has been postponed.",
    "Church halls opened their doors as temporary shelters.",
    "Farm insurers expect claims for lost hay and drowned lambs.",
];

fn relation(a: &str, b: &str) -> Relation {
    let (pa, pb) = (stemma_text::prepare(a), stemma_text::prepare(b));
    Comparer::default()
        .compare(&Document::new(a, &pa), &Document::new(b, &pb))
        .relation
}

#[test]
fn a_sentence_that_is_a_fifth_of_a_short_source_is_an_excerpt() {
    let source = format!(
        "{}\n\n{} {}\n\n{} {}",
        SOURCE_REST[0], LINE, SOURCE_REST[1], SOURCE_REST[2], SOURCE_REST[3]
    );
    let copy = format!(
        "{}\n\n{LINE}\n\n{}",
        HOST[..6].join(" "),
        HOST[6..].join(" ")
    );
    assert_eq!(relation(&source, &copy), Relation::Partial);
}

#[test]
fn the_same_sentence_in_two_long_texts_is_a_shared_line() {
    let source = format!(
        "{}\n\n{} {}\n\n{} {}\n\n{}",
        SOURCE_REST[0],
        LINE,
        SOURCE_REST[1],
        SOURCE_REST[2],
        SOURCE_REST[3],
        PADDING.join(" ")
    );
    let copy = format!(
        "{}\n\n{LINE}\n\n{} {}",
        HOST[..6].join(" "),
        HOST[6..].join(" "),
        HOST_MORE.join(" ")
    );
    assert!(!relation(&source, &copy).is_derivation());
}
