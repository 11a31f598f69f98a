//! Story families as derivation trees.
//!
//! A *family* is an original and everything derived from it: a tree rooted at the original in
//! which every other member hangs on its **best source** — one parent per document. Connected
//! components of every derivation pair chain unrelated stories through shared copies and
//! templated text (at 1M generated documents the largest component held 107,226 documents);
//! a tree keeps each copy with the source it derives from most, and every other relation of a
//! member stays visible as a [`FamilyLink`].
//!
//! 1. Each derivation pair (`duplicate`, `near-duplicate`, `rewrite`, `partial`; `same-story`
//!    is not derivation and is left out) is oriented `source → copy`: both dates known and
//!    different → the earlier document is the source ([`Basis::Date`]); otherwise the
//!    direction decided by compare ([`Basis::Compare`]); otherwise the family order — dated
//!    before undated, earlier date, earlier reading ([`Basis::Order`]).
//! 2. Pairs are taken best first — wholesale relations (`duplicate`, `near-duplicate`,
//!    `rewrite`) before `partial`, then higher score, then the earlier source — and a pair
//!    becomes its copy's *parent edge* when the copy has no parent yet and the source is not
//!    already in the copy's tree (which would close a cycle: contradictory directions, the
//!    weaker loses). Every document thus gets its best-scoring source that keeps the trees
//!    acyclic.
//! 3. Each tree of two or more documents is a family; its root is the one member without a
//!    parent (the original). Every other derivation pair is a link, listed on the family of
//!    each of its documents (once when both are in the same family), with the other
//!    document's family if it has one.

use crate::date::date_key;
use crate::index::DocId;
use crate::unionfind::UnionFind;
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use stemma_compare::{Relation, Side};

/// A verified relation between two documents, as families need it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PairEdge {
    /// First document of the comparison (side A).
    pub a: DocId,
    /// Second document (side B).
    pub b: DocId,
    /// Relation decided by compare.
    pub relation: Relation,
    /// Score of the relation.
    pub score: f64,
    /// Source side decided by compare, if any.
    pub source: Option<Side>,
    /// Confidence of `source`.
    pub confidence: f64,
}

/// What decided an edge's direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Basis {
    /// Publication dates.
    Date,
    /// The direction evidence of compare.
    Compare,
    /// Nothing conclusive: the family order (dates, then reading order) was used.
    Order,
}

/// A `source → copy` edge of a derivation tree: the copy's parent.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FamilyEdge {
    /// The document copied from (the parent).
    pub source: DocId,
    /// The document that copies.
    pub copy: DocId,
    /// Relation of the pair.
    pub relation: Relation,
    /// Score of the relation.
    pub score: f64,
    /// What decided the direction.
    pub basis: Basis,
}

/// A story family: a derivation tree.
#[derive(Debug, Clone, PartialEq)]
pub struct Family {
    /// Members, root first, every source before its copies (ties: earlier date, then reading
    /// order).
    pub members: Vec<DocId>,
    /// The root: the original every other member derives from.
    pub root: DocId,
    /// The tree: one edge per member but the root (in member order of the copy).
    pub edges: Vec<FamilyEdge>,
    /// The members' derivation relations that are not tree edges.
    pub links: Vec<FamilyLink>,
}

/// A derivation pair that is not a tree edge, seen from one family.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FamilyLink {
    /// The member of this family.
    pub doc: DocId,
    /// The other document.
    pub other: DocId,
    /// Index of the other document's family in the list [`families`] returns (`None` when it
    /// belongs to no family).
    pub family: Option<usize>,
    /// Relation of the pair.
    pub relation: Relation,
    /// Score of the relation.
    pub score: f64,
}

fn is_wholesale(r: Relation) -> bool {
    matches!(
        r,
        Relation::Duplicate | Relation::NearDuplicate | Relation::Rewrite
    )
}

/// A derivation pair oriented `from → to`.
struct Oriented<'a> {
    pair: &'a PairEdge,
    from: DocId,
    to: DocId,
    basis: Basis,
}

/// Builds the derivation trees of `pairs`, largest family first (ties by the root's reading
/// order); see the module documentation for the rules. `dates[d]` is document `d`'s date;
/// pairs naming a document at or above `dates.len()` are ignored.
pub fn families(dates: &[Option<i64>], pairs: &[PairEdge]) -> Vec<Family> {
    let n = dates.len();
    let order_key = |d: DocId| (date_key(dates[d as usize]), d);
    let oriented: Vec<Oriented> = pairs
        .iter()
        .filter(|p| p.relation.is_derivation() && p.a != p.b)
        .filter(|p| (p.a as usize) < n && (p.b as usize) < n)
        .map(|p| {
            let ((from, to), basis) = match (dates[p.a as usize], dates[p.b as usize]) {
                (Some(x), Some(y)) if x != y => {
                    (if x < y { (p.a, p.b) } else { (p.b, p.a) }, Basis::Date)
                }
                _ => match p.source {
                    Some(Side::A) => ((p.a, p.b), Basis::Compare),
                    Some(Side::B) => ((p.b, p.a), Basis::Compare),
                    None if order_key(p.a) <= order_key(p.b) => ((p.a, p.b), Basis::Order),
                    None => ((p.b, p.a), Basis::Order),
                },
            };
            Oriented {
                pair: p,
                from,
                to,
                basis,
            }
        })
        .collect();
    // Best first: wholesale, score, earlier source, input order.
    let mut rank: Vec<usize> = (0..oriented.len()).collect();
    rank.sort_by(|&x, &y| {
        let (ex, ey) = (&oriented[x], &oriented[y]);
        is_wholesale(ey.pair.relation)
            .cmp(&is_wholesale(ex.pair.relation))
            .then(ey.pair.score.total_cmp(&ex.pair.score))
            .then(order_key(ex.from).cmp(&order_key(ey.from)))
            .then(x.cmp(&y))
    });
    let mut trees = UnionFind::new(n);
    let mut parent: Vec<Option<usize>> = vec![None; n];
    let mut is_tree = vec![false; oriented.len()];
    for i in rank {
        let e = &oriented[i];
        let (from, to) = (e.from as usize, e.to as usize);
        if parent[to].is_none() && trees.find(from) != trees.find(to) {
            trees.union(from, to);
            parent[to] = Some(i);
            is_tree[i] = true;
        }
    }
    // Families: trees of two or more documents, members grouped by tree.
    let mut children: Vec<Vec<DocId>> = vec![Vec::new(); n];
    let mut has_edge = vec![false; n];
    for (d, p) in parent.iter().enumerate() {
        if let Some(i) = *p {
            children[oriented[i].from as usize].push(d as DocId);
            has_edge[d] = true;
            has_edge[oriented[i].from as usize] = true;
        }
    }
    let mut out: Vec<Family> = Vec::new();
    for root in 0..n {
        if !has_edge[root] || parent[root].is_some() {
            continue;
        }
        // Sources before copies; ties by (date, reading order).
        let mut members = Vec::new();
        let mut heap = BinaryHeap::from([Reverse((order_key(root as DocId), root as DocId))]);
        while let Some(Reverse((_, d))) = heap.pop() {
            members.push(d);
            for &c in &children[d as usize] {
                heap.push(Reverse((order_key(c), c)));
            }
        }
        let edges = members[1..]
            .iter()
            .map(|&c| {
                let e = &oriented[parent[c as usize].expect("a member's parent")];
                FamilyEdge {
                    source: e.from,
                    copy: e.to,
                    relation: e.pair.relation,
                    score: e.pair.score,
                    basis: e.basis,
                }
            })
            .collect();
        out.push(Family {
            root: root as DocId,
            members,
            edges,
            links: Vec::new(),
        });
    }
    out.sort_by_key(|f| (Reverse(f.members.len()), f.root));
    let mut family_of: Vec<Option<usize>> = vec![None; n];
    for (i, f) in out.iter().enumerate() {
        for &d in &f.members {
            family_of[d as usize] = Some(i);
        }
    }
    for (e, _) in oriented.iter().zip(&is_tree).filter(|x| !*x.1) {
        let p = e.pair;
        let (fa, fb) = (family_of[p.a as usize], family_of[p.b as usize]);
        for (doc, other, fd, fo) in [(p.a, p.b, fa, fb), (p.b, p.a, fb, fa)] {
            if let Some(f) = fd {
                out[f].links.push(FamilyLink {
                    doc,
                    other,
                    family: fo,
                    relation: p.relation,
                    score: p.score,
                });
            }
            if fa == fb {
                break; // one family: listed once
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(a: u32, b: u32, rel: Relation, source: Option<Side>, conf: f64) -> PairEdge {
        PairEdge {
            a,
            b,
            relation: rel,
            score: 0.8,
            source,
            confidence: conf,
        }
    }

    fn scored(a: u32, b: u32, rel: Relation, score: f64) -> PairEdge {
        PairEdge {
            score,
            ..e(a, b, rel, None, 0.0)
        }
    }

    fn sorted(mut v: Vec<DocId>) -> Vec<DocId> {
        v.sort_unstable();
        v
    }

    #[test]
    fn same_story_and_singletons_make_no_family() {
        let dates = vec![None; 6];
        let fams = families(
            &dates,
            &[
                e(0, 1, Relation::Duplicate, None, 0.0),
                e(1, 2, Relation::Rewrite, Some(Side::A), 0.9),
                e(3, 4, Relation::SameStory, None, 0.0),
            ],
        );
        assert_eq!(fams.len(), 1);
        assert_eq!(fams[0].members, vec![0, 1, 2]);
        assert_eq!(fams[0].edges.len(), 2);
        assert!(fams[0].links.is_empty());
    }

    #[test]
    fn dates_decide_over_compare() {
        let dates = vec![Some(200), Some(100)];
        let f = &families(&dates, &[e(0, 1, Relation::Rewrite, Some(Side::A), 0.99)])[0];
        assert_eq!(f.root, 1);
        assert_eq!(
            (f.edges[0].source, f.edges[0].copy, f.edges[0].basis),
            (1, 0, Basis::Date)
        );
    }

    #[test]
    fn each_copy_hangs_on_its_best_source_and_keeps_the_rest_as_links() {
        let day = |d: i64| Some(d * 86_400);
        // Story S: 0 (original), 1 (rewrite of 0). Story T: 2 (original), 3 (copy of 2).
        // 4 rewrites 1 closely and 0 less, and takes a passage of 2; 5 copies 3 closely but
        // is a weaker rewrite of 1 too. Components would chain all six into one family.
        let dates = vec![day(1), day(2), day(1), day(3), day(4), day(5)];
        let fams = families(
            &dates,
            &[
                scored(0, 1, Relation::Rewrite, 0.9),
                scored(2, 3, Relation::NearDuplicate, 0.95),
                scored(1, 4, Relation::NearDuplicate, 0.92),
                scored(0, 4, Relation::Rewrite, 0.7),
                scored(2, 4, Relation::Partial, 0.95),
                scored(3, 5, Relation::Rewrite, 0.85),
                scored(1, 5, Relation::Rewrite, 0.6),
            ],
        );
        assert_eq!(fams.len(), 2);
        let (s, t) = (&fams[0], &fams[1]);
        assert_eq!((s.root, sorted(s.members.clone())), (0, vec![0, 1, 4]));
        assert_eq!((t.root, sorted(t.members.clone())), (2, vec![2, 3, 5]));
        let tree = |f: &Family| {
            sorted(
                f.edges
                    .iter()
                    .map(|x| x.source * 10 + x.copy)
                    .collect::<Vec<_>>(),
            )
        };
        // 4 hangs on 1 (its best, wholesale), not on the partial source 2 (higher score).
        assert_eq!(tree(s), vec![1, 14]);
        assert_eq!(tree(t), vec![23, 35]);
        // Every member but the root has exactly one parent.
        for f in &fams {
            assert_eq!(f.edges.len(), f.members.len() - 1);
        }
        // Links: 0–4 inside S (once), 2–4 and 1–5 across (on both families).
        let links = |f: &Family| {
            let mut l: Vec<_> = f.links.iter().map(|l| (l.doc, l.other, l.family)).collect();
            l.sort();
            l
        };
        assert_eq!(
            links(s),
            vec![(0, 4, Some(0)), (1, 5, Some(1)), (4, 2, Some(1))]
        );
        assert_eq!(links(t), vec![(2, 4, Some(0)), (5, 1, Some(0))]);
    }

    #[test]
    fn cycles_are_broken_by_the_weakest_edge() {
        let dates = vec![None; 3];
        // Compare says 0→1 (0.9), 1→2 (0.8), 2→0 (0.3): the last would close a cycle.
        let fams = families(
            &dates,
            &[
                scored(0, 1, Relation::Rewrite, 0.9),
                scored(1, 2, Relation::Rewrite, 0.8),
                scored(2, 0, Relation::Rewrite, 0.3),
            ]
            .map(|p| PairEdge {
                source: Some(Side::A),
                confidence: 0.9,
                ..p
            }),
        );
        let f = &fams[0];
        assert_eq!(f.root, 0);
        assert_eq!(f.members, vec![0, 1, 2]);
        assert!(f.edges.iter().all(|x| x.basis == Basis::Compare));
        assert_eq!(
            f.edges
                .iter()
                .map(|x| (x.source, x.copy))
                .collect::<Vec<_>>(),
            vec![(0, 1), (1, 2)]
        );
        assert_eq!(f.links.len(), 1);
        assert_eq!((f.links[0].doc, f.links[0].other), (2, 0));
    }

    #[test]
    fn undirected_edges_follow_dates_then_reading_order() {
        let dates = vec![None, Some(50), None];
        let f = &families(
            &dates,
            &[
                e(0, 1, Relation::Duplicate, None, 0.0),
                e(0, 2, Relation::Duplicate, None, 0.0),
            ],
        )[0];
        // Only doc 1 has a date: dated documents come first.
        assert_eq!(f.root, 1);
        assert_eq!(f.members, vec![1, 0, 2]);
        assert!(f.edges.iter().all(|e| e.basis == Basis::Order));
        assert_eq!((f.edges[1].source, f.edges[1].copy), (0, 2));
    }

    #[test]
    fn a_long_chain_is_one_tree_rooted_at_the_earliest() {
        // 1,200 documents, each a rewrite of its predecessor and a partial copy of the one
        // before; compare claims the later one is the source, dates (every third document
        // undated) win where known.
        let n = 1200u32;
        let dates: Vec<Option<i64>> = (0..n)
            .map(|i| (i % 3 != 1).then_some(1000 + i as i64))
            .collect();
        let mut pairs = Vec::new();
        for i in 1..n {
            pairs.push(e(i - 1, i, Relation::Rewrite, Some(Side::B), 0.9));
            if i >= 2 {
                pairs.push(e(i - 2, i, Relation::Partial, Some(Side::B), 0.6));
            }
        }
        let fams = families(&dates, &pairs);
        assert_eq!(fams.len(), 1);
        let f = &fams[0];
        assert_eq!(f.members.len(), n as usize);
        assert_eq!(f.edges.len(), n as usize - 1);
        assert_eq!(f.links.len(), pairs.len() - (n as usize - 1));
        let pos: std::collections::HashMap<u32, usize> =
            f.members.iter().enumerate().map(|(i, &d)| (d, i)).collect();
        let mut parents = std::collections::HashSet::new();
        for x in &f.edges {
            assert!(pos[&x.source] < pos[&x.copy], "{x:?}");
            assert!(parents.insert(x.copy), "two parents for {}", x.copy);
            if dates[x.source as usize].is_some() && dates[x.copy as usize].is_some() {
                assert_eq!(x.basis, Basis::Date);
                assert!(x.source < x.copy);
            }
        }
    }

    #[test]
    fn families_sorted_largest_first() {
        let dates = vec![None; 6];
        let fams = families(
            &dates,
            &[
                e(0, 1, Relation::Duplicate, None, 0.0),
                e(2, 3, Relation::Duplicate, None, 0.0),
                e(3, 4, Relation::Duplicate, None, 0.0),
            ],
        );
        assert_eq!(
            fams.iter().map(|f| f.members.len()).collect::<Vec<_>>(),
            vec![3, 2]
        );
    }
}
