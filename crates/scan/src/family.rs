//! Story families and their derivation graphs.
//!
//! A *family* is a group of documents derived wholesale from one another: connected components
//! of `duplicate`, `near-duplicate` and `rewrite` pairs. `partial` reuse (a passage taken into
//! another story) does not merge families — otherwise a few shared paragraphs chain unrelated
//! stories into one giant component (75,903 of 100,000 generated documents before this rule):
//!
//! - a document with no wholesale relation at all joins the family of its strongest `partial`
//!   partner (one edge per such document: it can never merge two families);
//! - every other `partial` pair between two families is a cross-family [`FamilyLink`], listed
//!   on both families.
//!
//! `same-story` links independent coverage and neither joins nor links families. Inside a
//! family every verified pair (wholesale or partial) becomes a `source → copy` edge:
//!
//! 1. Each edge gets a preferred orientation: both dates known and different → the earlier
//!    document is the source (weight above any compare confidence); otherwise the direction
//!    decided by compare, weighted by its confidence; otherwise none.
//! 2. Oriented edges are accepted strongest first, unless they would close a cycle (a cycle
//!    means contradictory evidence; the weaker edge loses).
//! 3. The accepted edges are ordered topologically (ties: earlier date, then reading order);
//!    the first document is the family's *root* (the earliest document that copies from no one).
//!    Edges without a direction, and the rejected ones, point from the earlier document in
//!    that order to the later, and are marked as such ([`Basis::Order`]).

use crate::index::DocId;
use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};
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

/// A `source → copy` edge of a derivation graph.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FamilyEdge {
    /// The document copied from.
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

/// A story family.
#[derive(Debug, Clone, PartialEq)]
pub struct Family {
    /// Members in derivation order (root first).
    pub members: Vec<DocId>,
    /// The root of the derivation graph.
    pub root: DocId,
    /// Derivation edges.
    pub edges: Vec<FamilyEdge>,
    /// Partial reuse linking a member to a document of another family.
    pub links: Vec<FamilyLink>,
}

/// A `partial` pair between two families.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FamilyLink {
    /// The member of this family.
    pub doc: DocId,
    /// The document of the other family.
    pub other: DocId,
    /// Index of the other family in the list [`families`] returns.
    pub family: usize,
    /// Relation of the pair (`partial`).
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

fn find(parent: &mut [u32], mut x: u32) -> u32 {
    while parent[x as usize] != x {
        parent[x as usize] = parent[parent[x as usize] as usize];
        x = parent[x as usize];
    }
    x
}

/// Groups derivation pairs into families, largest first (ties by root reading order); see
/// the module documentation for the rules. `dates[d]` is document `d`'s date; pairs naming a
/// document at or above `dates.len()` are ignored.
pub fn families(dates: &[Option<i64>], pairs: &[PairEdge]) -> Vec<Family> {
    let n = dates.len();
    let mut parent: Vec<u32> = (0..n as u32).collect();
    let edges: Vec<&PairEdge> = pairs
        .iter()
        .filter(|p| p.relation.is_derivation() && p.a != p.b)
        .filter(|p| (p.a as usize) < n && (p.b as usize) < n)
        .collect();
    let mut wholesale = vec![false; n];
    let union = |parent: &mut Vec<u32>, a: DocId, b: DocId| {
        let (x, y) = (find(parent, a), find(parent, b));
        if x != y {
            parent[x.max(y) as usize] = x.min(y);
        }
    };
    for e in edges.iter().filter(|e| is_wholesale(e.relation)) {
        union(&mut parent, e.a, e.b);
        wholesale[e.a as usize] = true;
        wholesale[e.b as usize] = true;
    }
    // A document only partially related joins its strongest partner (one edge each).
    let mut best: Vec<Option<(f64, DocId)>> = vec![None; n];
    for e in edges.iter().filter(|e| !is_wholesale(e.relation)) {
        for (x, y) in [(e.a, e.b), (e.b, e.a)] {
            if wholesale[x as usize] {
                continue;
            }
            let b = &mut best[x as usize];
            let better = match *b {
                None => true,
                Some((s, o)) => e.score > s || (e.score == s && y < o),
            };
            if better {
                *b = Some((e.score, y));
            }
        }
    }
    for (x, b) in best.iter().enumerate() {
        if let Some((_, y)) = *b {
            union(&mut parent, x as DocId, y);
        }
    }
    let mut groups: BTreeMap<u32, Vec<&PairEdge>> = BTreeMap::new();
    let mut cross: Vec<&PairEdge> = Vec::new();
    for e in edges {
        let (ra, rb) = (find(&mut parent, e.a), find(&mut parent, e.b));
        if ra == rb {
            groups.entry(ra).or_default().push(e);
        } else {
            cross.push(e);
        }
    }
    let mut out: Vec<(u32, Family)> = groups
        .into_iter()
        .map(|(r, es)| (r, build(dates, &es)))
        .collect();
    out.sort_by_key(|(_, f)| (Reverse(f.members.len()), f.root));
    let index: std::collections::HashMap<u32, usize> =
        out.iter().enumerate().map(|(i, (r, _))| (*r, i)).collect();
    let mut out: Vec<Family> = out.into_iter().map(|(_, f)| f).collect();
    for e in cross {
        let (ra, rb) = (find(&mut parent, e.a), find(&mut parent, e.b));
        // Both sides belong to a family: a partial pair's documents are wholesale members
        // or joined a partner.
        let (Some(&fa), Some(&fb)) = (index.get(&ra), index.get(&rb)) else {
            continue;
        };
        for (f, doc, other, of) in [(fa, e.a, e.b, fb), (fb, e.b, e.a, fa)] {
            out[f].links.push(FamilyLink {
                doc,
                other,
                family: of,
                relation: e.relation,
                score: e.score,
            });
        }
    }
    out
}

/// Above this many edges a family skips the per-edge cycle check (quadratic): only date
/// orientations are accepted (acyclic by construction), the rest follow the family order.
const BIG_FAMILY_EDGES: usize = 2_000;

fn build(dates: &[Option<i64>], es: &[&PairEdge]) -> Family {
    let mut members: Vec<DocId> = es.iter().flat_map(|e| [e.a, e.b]).collect();
    members.sort_unstable();
    members.dedup();
    let local = |d: DocId| members.binary_search(&d).unwrap_or(0);
    let m = members.len();
    // Preferred orientations.
    struct Pref {
        edge: usize,
        from: usize,
        to: usize,
        weight: f64,
        basis: Basis,
    }
    let mut prefs = Vec::new();
    for (i, e) in es.iter().enumerate() {
        let (a, b) = (local(e.a), local(e.b));
        match (dates[e.a as usize], dates[e.b as usize]) {
            (Some(x), Some(y)) if x != y => {
                let (from, to) = if x < y { (a, b) } else { (b, a) };
                prefs.push(Pref {
                    edge: i,
                    from,
                    to,
                    weight: 2.0 + e.score,
                    basis: Basis::Date,
                });
            }
            _ => match e.source {
                Some(Side::A) => prefs.push(Pref {
                    edge: i,
                    from: a,
                    to: b,
                    weight: e.confidence,
                    basis: Basis::Compare,
                }),
                Some(Side::B) => prefs.push(Pref {
                    edge: i,
                    from: b,
                    to: a,
                    weight: e.confidence,
                    basis: Basis::Compare,
                }),
                None => {}
            },
        }
    }
    prefs.sort_by(|x, y| y.weight.total_cmp(&x.weight).then(x.edge.cmp(&y.edge)));
    let mut adj: Vec<Vec<usize>> = vec![Vec::new(); m];
    let mut accepted: Vec<Option<(usize, usize, Basis)>> = vec![None; es.len()];
    let big = es.len() > BIG_FAMILY_EDGES;
    for p in &prefs {
        if !big && reaches(&adj, p.to, p.from) {
            continue;
        }
        if big && p.basis != Basis::Date {
            continue; // date orientation alone is acyclic; skip cycle checks on huge families
        }
        adj[p.from].push(p.to);
        accepted[p.edge] = Some((p.from, p.to, p.basis));
    }
    // Topological order, ties by (date, reading order); undated after dated.
    let key = |l: usize| {
        let d = members[l];
        (
            dates[d as usize].is_none(),
            dates[d as usize].unwrap_or(0),
            d,
        )
    };
    let mut indeg = vec![0usize; m];
    for succ in &adj {
        for &t in succ {
            indeg[t] += 1;
        }
    }
    let mut heap: BinaryHeap<Reverse<(OrderKey, usize)>> = (0..m)
        .filter(|&l| indeg[l] == 0)
        .map(|l| Reverse((key(l), l)))
        .collect();
    let mut order = Vec::with_capacity(m);
    while let Some(Reverse((_, l))) = heap.pop() {
        order.push(l);
        for &t in &adj[l] {
            indeg[t] -= 1;
            if indeg[t] == 0 {
                heap.push(Reverse((key(t), t)));
            }
        }
    }
    let mut pos = vec![0usize; m];
    for (i, &l) in order.iter().enumerate() {
        pos[l] = i;
    }
    let edges = es
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let (from, to, basis) = accepted[i].unwrap_or_else(|| {
                let (a, b) = (local(e.a), local(e.b));
                if pos[a] <= pos[b] {
                    (a, b, Basis::Order)
                } else {
                    (b, a, Basis::Order)
                }
            });
            FamilyEdge {
                source: members[from],
                copy: members[to],
                relation: e.relation,
                score: e.score,
                basis,
            }
        })
        .collect();
    let ordered: Vec<DocId> = order.iter().map(|&l| members[l]).collect();
    Family {
        root: ordered[0],
        members: ordered,
        edges,
        links: Vec::new(),
    }
}

/// Family order of a document: undated last, then date, then reading order.
type OrderKey = (bool, i64, DocId);

fn reaches(adj: &[Vec<usize>], from: usize, to: usize) -> bool {
    if from == to {
        return true;
    }
    let mut seen = vec![false; adj.len()];
    let mut stack = vec![from];
    seen[from] = true;
    while let Some(x) = stack.pop() {
        for &y in &adj[x] {
            if y == to {
                return true;
            }
            if !seen[y] {
                seen[y] = true;
                stack.push(y);
            }
        }
    }
    false
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

    #[test]
    fn components_exclude_same_story_and_singletons() {
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
        assert_eq!(fams[0].members.len(), 3);
        assert!(!fams[0].members.contains(&3));
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
    fn cycles_are_broken_by_the_weakest_edge() {
        let dates = vec![None; 3];
        // 0→1 (0.9), 1→2 (0.8), 2→0 (0.3): the last closes a cycle and is reoriented.
        let f = &families(
            &dates,
            &[
                e(0, 1, Relation::Rewrite, Some(Side::A), 0.9),
                e(1, 2, Relation::Partial, Some(Side::A), 0.8),
                e(2, 0, Relation::Partial, Some(Side::A), 0.3),
            ],
        )[0];
        assert_eq!(f.root, 0);
        assert_eq!(f.members, vec![0, 1, 2]);
        let last = f.edges[2];
        assert_eq!((last.source, last.copy, last.basis), (0, 2, Basis::Order));
        assert_eq!(f.edges[0].basis, Basis::Compare);
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
        // Only doc 1 has a date (50, vs 0 undated): dated documents come first.
        assert_eq!(f.root, 1);
        assert_eq!(f.members, vec![1, 0, 2]);
        assert!(f.edges.iter().all(|e| e.basis == Basis::Order));
        assert_eq!((f.edges[1].source, f.edges[1].copy), (0, 2));
    }

    #[test]
    fn big_families_stay_acyclic_and_rooted_at_the_earliest() {
        // 1,200 documents, each linked to its two predecessors (2,397 edges), compare
        // claiming the later one is the source; dates (every third document undated) win.
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
        assert_eq!(f.edges.len(), pairs.len());
        assert_eq!(f.root, 0);
        let pos: std::collections::HashMap<u32, usize> =
            f.members.iter().enumerate().map(|(i, &d)| (d, i)).collect();
        for x in &f.edges {
            assert!(pos[&x.source] < pos[&x.copy], "{x:?}");
            if dates[x.source as usize].is_some() && dates[x.copy as usize].is_some() {
                assert_eq!(x.basis, Basis::Date);
                assert!(x.source < x.copy);
            }
        }
    }

    #[test]
    fn partial_reuse_links_families_instead_of_merging_them() {
        let dates = vec![None; 7];
        let p = |a, b, score| PairEdge {
            score,
            ..e(a, b, Relation::Partial, None, 0.0)
        };
        let fams = families(
            &dates,
            &[
                e(0, 1, Relation::Rewrite, Some(Side::A), 0.9),
                e(2, 3, Relation::NearDuplicate, None, 0.0),
                e(3, 4, Relation::Duplicate, None, 0.0),
                // Between two wholesale families: a link, no merge.
                p(1, 2, 0.5),
                // Document 5 has partial relations only: it joins its strongest partner (3).
                p(5, 0, 0.3),
                p(5, 3, 0.6),
                // Document 6 only relates partially to 5: it joins 5 (and so 3's family).
                p(6, 5, 0.4),
            ],
        );
        assert_eq!(fams.len(), 2);
        let mut big = fams[0].members.clone();
        big.sort();
        assert_eq!(big, vec![2, 3, 4, 5, 6]);
        assert_eq!(fams[1].members, vec![0, 1]);
        // Links: 1–2 and 5–0, listed on both families.
        let links = |f: &Family| {
            let mut l: Vec<_> = f.links.iter().map(|l| (l.doc, l.other, l.family)).collect();
            l.sort();
            l
        };
        assert_eq!(links(&fams[0]), vec![(2, 1, 1), (5, 0, 1)]);
        assert_eq!(links(&fams[1]), vec![(0, 5, 0), (1, 2, 0)]);
        // The in-family partial edges are part of the derivation graph.
        assert_eq!(fams[0].edges.len(), 4);
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
