//! Adjusted Rand index (Hubert & Arabie 1985) between two clusterings of the same items.

use std::collections::HashMap;
use std::hash::Hash;

fn comb2(n: u64) -> f64 {
    (n as f64) * (n as f64 - 1.0) / 2.0
}

/// ARI of two labelings of the same items (`truth[i]` and `pred[i]` label item `i`).
/// 1.0 for identical partitions (up to renaming), about 0 for independent ones; may be
/// negative. When both partitions are trivial in the same way (all singletons or one cluster)
/// it is 1.0, as in scikit-learn.
pub fn adjusted_rand_index<A: Eq + Hash, B: Eq + Hash>(truth: &[A], pred: &[B]) -> f64 {
    assert_eq!(
        truth.len(),
        pred.len(),
        "both labelings must cover the same items"
    );
    let n = truth.len() as u64;
    if n < 2 {
        return 1.0;
    }
    let mut cont: HashMap<(&A, &B), u64> = HashMap::new();
    let mut rows: HashMap<&A, u64> = HashMap::new();
    let mut cols: HashMap<&B, u64> = HashMap::new();
    for (a, b) in truth.iter().zip(pred) {
        *cont.entry((a, b)).or_default() += 1;
        *rows.entry(a).or_default() += 1;
        *cols.entry(b).or_default() += 1;
    }
    let index: f64 = cont.values().map(|&v| comb2(v)).sum();
    let sa: f64 = rows.values().map(|&v| comb2(v)).sum();
    let sb: f64 = cols.values().map(|&v| comb2(v)).sum();
    let expected = sa * sb / comb2(n);
    let max = (sa + sb) / 2.0;
    if (max - expected).abs() < 1e-12 {
        return if (index - expected).abs() < 1e-12 {
            1.0
        } else {
            0.0
        };
    }
    (index - expected) / (max - expected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_partitions_up_to_renaming_score_one() {
        assert_eq!(
            adjusted_rand_index(&[0, 0, 1, 1, 2], &["x", "x", "y", "y", "z"]),
            1.0
        );
    }

    #[test]
    fn known_values() {
        // scikit-learn: adjusted_rand_score([0,0,1,1],[0,0,1,2]) = 0.5714285714285715
        let v = adjusted_rand_index(&[0, 0, 1, 1], &[0, 0, 1, 2]);
        assert!((v - 0.571_428_571_428_571_5).abs() < 1e-12, "{v}");
        // scikit-learn: adjusted_rand_score([0,0,1,1],[0,1,0,1]) = -0.5
        let v = adjusted_rand_index(&[0, 0, 1, 1], &[0, 1, 0, 1]);
        assert!((v + 0.5).abs() < 1e-12, "{v}");
        // One cluster against all singletons: 0.
        assert_eq!(adjusted_rand_index(&[0, 0, 0, 0], &[0, 1, 2, 3]), 0.0);
        // Both all singletons: 1.
        assert_eq!(adjusted_rand_index(&[0, 1, 2], &[5, 6, 7]), 1.0);
    }
}
