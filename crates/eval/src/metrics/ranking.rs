//! Ranking: how often the true source is among the top `k` candidates of a copy.

use std::collections::{HashMap, HashSet};

/// Recall@k for each `k` in `ks`: the fraction of `(query, relevant)` pairs whose relevant
/// document is among the `k` highest-scored candidates of the query. Candidates are
/// `(query, candidate, score)`; ties are broken by candidate id so the result is
/// deterministic. A query with no candidates counts as a miss.
pub fn recall_at_k(
    relevant: &[(String, String)],
    scored: &[(String, String, f64)],
    ks: &[usize],
) -> Vec<f64> {
    if relevant.is_empty() {
        return vec![0.0; ks.len()];
    }
    let queries: HashSet<&str> = relevant.iter().map(|(q, _)| q.as_str()).collect();
    let mut lists: HashMap<&str, Vec<(&str, f64)>> = HashMap::new();
    for (q, c, s) in scored {
        if queries.contains(q.as_str()) {
            lists.entry(q.as_str()).or_default().push((c.as_str(), *s));
        }
    }
    for v in lists.values_mut() {
        v.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(y.0)));
        v.dedup_by(|x, y| x.0 == y.0);
    }
    ks.iter()
        .map(|&k| {
            let hits = relevant
                .iter()
                .filter(|(q, r)| {
                    lists
                        .get(q.as_str())
                        .is_some_and(|v| v.iter().take(k).any(|(c, _)| *c == r.as_str()))
                })
                .count();
            hits as f64 / relevant.len() as f64
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(q: &str, c: &str, x: f64) -> (String, String, f64) {
        (q.into(), c.into(), x)
    }

    #[test]
    fn recall_at_k_hand_computed() {
        let rel = vec![
            ("q1".to_string(), "s1".to_string()),
            ("q2".into(), "s2".into()),
            ("q3".into(), "s3".into()),
        ];
        let scored = vec![
            s("q1", "s1", 0.9),
            s("q1", "x", 0.5),
            s("q2", "x", 0.9),
            s("q2", "y", 0.8),
            s("q2", "s2", 0.7),
            s("q4", "s3", 1.0), // another query: ignored
        ];
        let r = recall_at_k(&rel, &scored, &[1, 2, 3]);
        assert_eq!(r, vec![1.0 / 3.0, 1.0 / 3.0, 2.0 / 3.0]);
    }

    #[test]
    fn ties_are_broken_by_id() {
        let rel = vec![("q".to_string(), "b".to_string())];
        let scored = vec![s("q", "b", 0.5), s("q", "a", 0.5)];
        assert_eq!(recall_at_k(&rel, &scored, &[1, 2]), vec![0.0, 1.0]);
    }
}
