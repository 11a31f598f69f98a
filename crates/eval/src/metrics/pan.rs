//! The PAN text-alignment measures (Potthast, Stein, Barrón-Cedeño & Rosso 2010, "An
//! Evaluation Framework for Plagiarism Detection", COLING), as computed by PAN's
//! `perfmeasures.py`:
//!
//! - a case `s` or detection `r` is a pair of character ranges, one in each document of a pair;
//!   `|s|` counts the characters of both ranges;
//! - `r` *detects* `s` when both are on the same document pair and the ranges overlap in both
//!   documents; then `s ⊓ r = s ∩ r`, otherwise `∅`;
//! - `rec = 1/|S| Σ_s |∪_r (s ⊓ r)| / |s|`, `prec = 1/|R| Σ_r |∪_s (s ⊓ r)| / |r|`;
//!   both are 1 when there are no cases and no detections, and 0 when only one side is empty;
//! - `gran = 1/|S_R| Σ_{s∈S_R} |R_s|` over the detected cases `S_R` (1 when none is detected);
//! - `plagdet = F1(prec, rec) / log2(1 + gran)` (0 when both prec and rec are 0).

use std::collections::HashMap;

/// One plagiarism case or detection: a character range in each document of a pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Segment {
    /// Index of the (ordered) document pair; segments of different pairs never overlap.
    pub pair: usize,
    /// Half-open character range in the first document.
    pub a: [usize; 2],
    /// Half-open character range in the second document.
    pub b: [usize; 2],
}

impl Segment {
    fn size(&self) -> usize {
        len(self.a) + len(self.b)
    }
    fn detects(&self, other: &Segment) -> bool {
        self.pair == other.pair && overlaps(self.a, other.a) && overlaps(self.b, other.b)
    }
}

fn len(r: [usize; 2]) -> usize {
    r[1].saturating_sub(r[0])
}

fn overlaps(x: [usize; 2], y: [usize; 2]) -> bool {
    x[0] < y[1] && y[0] < x[1] && len(x) > 0 && len(y) > 0
}

fn inter(x: [usize; 2], y: [usize; 2]) -> Option<[usize; 2]> {
    let s = x[0].max(y[0]);
    let e = x[1].min(y[1]);
    (s < e).then_some([s, e])
}

fn union_len(mut v: Vec<[usize; 2]>) -> usize {
    v.sort_unstable();
    let mut total = 0;
    let mut cur: Option<[usize; 2]> = None;
    for r in v {
        match cur {
            Some(ref mut c) if r[0] <= c[1] => c[1] = c[1].max(r[1]),
            _ => {
                if let Some(c) = cur {
                    total += len(c);
                }
                cur = Some(r);
            }
        }
    }
    total + cur.map(len).unwrap_or(0)
}

/// The PAN measures of a set of detections against a set of cases.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct PanScores {
    /// Character-level macro precision.
    pub precision: f64,
    /// Character-level macro recall.
    pub recall: f64,
    /// Granularity (≥ 1; 1 is best).
    pub granularity: f64,
    /// plagdet = F1 / log2(1 + granularity).
    pub plagdet: f64,
    /// Number of cases.
    pub cases: usize,
    /// Number of detections.
    pub detections: usize,
}

/// Macro recall of `dets` on `cases` (swap the arguments for macro precision), with PAN's
/// conventions for empty sets handled by [`pan_scores`].
fn macro_avg(cases: &[Segment], dets: &[Segment], by_pair: &HashMap<usize, Vec<usize>>) -> f64 {
    let mut sum = 0.0;
    for s in cases {
        let size = s.size();
        if size == 0 {
            continue;
        }
        let mut ia = Vec::new();
        let mut ib = Vec::new();
        for &k in by_pair.get(&s.pair).map(|v| v.as_slice()).unwrap_or(&[]) {
            let r = &dets[k];
            if s.detects(r) {
                ia.extend(inter(s.a, r.a));
                ib.extend(inter(s.b, r.b));
            }
        }
        sum += (union_len(ia) + union_len(ib)) as f64 / size as f64;
    }
    sum / cases.len() as f64
}

fn index(v: &[Segment]) -> HashMap<usize, Vec<usize>> {
    let mut m: HashMap<usize, Vec<usize>> = HashMap::new();
    for (i, s) in v.iter().enumerate() {
        m.entry(s.pair).or_default().push(i);
    }
    m
}

/// F1 over precision and recall (0 when both are 0).
pub fn f1(p: f64, r: f64) -> f64 {
    if p + r <= 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

/// Computes the PAN measures.
pub fn pan_scores(cases: &[Segment], dets: &[Segment]) -> PanScores {
    let (precision, recall) = match (cases.is_empty(), dets.is_empty()) {
        (true, true) => (1.0, 1.0),
        (true, false) | (false, true) => (0.0, 0.0),
        _ => {
            let ci = index(cases);
            let di = index(dets);
            (macro_avg(dets, cases, &ci), macro_avg(cases, dets, &di))
        }
    };
    let granularity = if cases.is_empty() || dets.is_empty() {
        1.0
    } else {
        let di = index(dets);
        let mut detected = 0usize;
        let mut total = 0usize;
        for s in cases {
            let n = di
                .get(&s.pair)
                .map(|v| v.iter().filter(|&&k| s.detects(&dets[k])).count())
                .unwrap_or(0);
            if n > 0 {
                detected += 1;
                total += n;
            }
        }
        if detected == 0 {
            1.0
        } else {
            total as f64 / detected as f64
        }
    };
    let f = f1(precision, recall);
    let plagdet = if f == 0.0 {
        0.0
    } else {
        f / (1.0 + granularity).log2()
    };
    PanScores {
        precision,
        recall,
        granularity,
        plagdet,
        cases: cases.len(),
        detections: dets.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seg(pair: usize, a: [usize; 2], b: [usize; 2]) -> Segment {
        Segment { pair, a, b }
    }

    fn close(x: f64, y: f64) -> bool {
        (x - y).abs() < 1e-9
    }

    #[test]
    fn perfect_detection_scores_one() {
        let cases = [seg(0, [0, 100], [10, 110]), seg(1, [5, 50], [0, 45])];
        let s = pan_scores(&cases, &cases);
        assert!(close(s.precision, 1.0) && close(s.recall, 1.0) && close(s.granularity, 1.0));
        assert!(close(s.plagdet, 1.0));
    }

    #[test]
    fn half_detected_case_hand_computed() {
        // Case: 100 chars in A + 100 in B = 200. Detection covers [0,50) in both: 100 chars,
        // all inside the case. rec = 100/200 = 0.5, prec = 100/100 = 1, gran = 1.
        let s = pan_scores(&[seg(0, [0, 100], [0, 100])], &[seg(0, [0, 50], [0, 50])]);
        assert!(close(s.recall, 0.5));
        assert!(close(s.precision, 1.0));
        assert!(close(s.granularity, 1.0));
        assert!(close(s.plagdet, 2.0 / 3.0));
    }

    #[test]
    fn split_detection_raises_granularity_hand_computed() {
        // Two detections each covering half of the case, plus a detection 50% outside.
        // Case size 200. d1 = [0,50)x[0,50): 100 in case. d2 = [50,100)x[50,100): 100 in case.
        // rec = (100+100)/200 = 1. prec = (1 + 1)/2 = 1. gran = 2.
        // plagdet = 1 / log2(3).
        let c = [seg(0, [0, 100], [0, 100])];
        let d = [seg(0, [0, 50], [0, 50]), seg(0, [50, 100], [50, 100])];
        let s = pan_scores(&c, &d);
        assert!(close(s.recall, 1.0) && close(s.precision, 1.0));
        assert!(close(s.granularity, 2.0));
        assert!(close(s.plagdet, 1.0 / 3f64.log2()));
        // A detection reaching outside: [50,150)x[50,150) has 100 of 200 chars in the case.
        let d = [seg(0, [50, 150], [50, 150])];
        let s = pan_scores(&c, &d);
        assert!(close(s.precision, 0.5) && close(s.recall, 0.5));
        assert!(close(s.plagdet, 0.5));
    }

    #[test]
    fn overlap_needed_in_both_documents_and_same_pair() {
        let c = [seg(0, [0, 100], [0, 100])];
        // Overlaps in A only: not a detection of the case.
        let s = pan_scores(&c, &[seg(0, [0, 100], [200, 300])]);
        assert_eq!(s.recall, 0.0);
        assert_eq!(s.precision, 0.0);
        assert_eq!(s.plagdet, 0.0);
        // Right ranges, wrong document pair.
        let s = pan_scores(&c, &[seg(1, [0, 100], [0, 100])]);
        assert_eq!(s.recall, 0.0);
    }

    #[test]
    fn overlapping_detections_count_characters_once_and_false_positives_lower_precision() {
        let c = [seg(0, [0, 100], [0, 100])];
        let d = [
            seg(0, [0, 80], [0, 80]),
            seg(0, [20, 100], [20, 100]),
            seg(3, [0, 10], [0, 10]),
        ];
        let s = pan_scores(&c, &d);
        assert!(close(s.recall, 1.0));
        // precisions 1, 1, 0 → 2/3.
        assert!(close(s.precision, 2.0 / 3.0));
        assert!(close(s.granularity, 2.0));
    }

    #[test]
    fn empty_sets_follow_pan_conventions() {
        let none: [Segment; 0] = [];
        let s = pan_scores(&none, &none);
        assert_eq!((s.precision, s.recall, s.granularity), (1.0, 1.0, 1.0));
        let s = pan_scores(&[seg(0, [0, 1], [0, 1])], &none);
        assert_eq!((s.precision, s.recall, s.plagdet), (0.0, 0.0, 0.0));
    }

    #[test]
    fn agrees_with_pan_reference_values() {
        // Values of the unit tests shipped with PAN's evaluation script (external annotations).
        let c1 = seg(0, [0, 100], [0, 100]);
        let c3 = seg(0, [100, 200], [100, 200]);
        let c4 = seg(0, [0, 200], [0, 200]);
        let c7 = seg(1, [0, 100], [0, 100]);
        let c9 = seg(1, [50, 150], [50, 150]);
        let c10 = seg(1, [25, 100], [25, 100]);
        assert!(close(pan_scores(&[c1, c7], &[c1]).recall, 0.5));
        assert!(close(pan_scores(&[c1, c7], &[c1]).precision, 1.0));
        assert!(close(pan_scores(&[c7], &[c9, c10]).recall, 0.75));
        assert!(close(pan_scores(&[c7], &[c9, c10]).precision, 0.75));
        assert!(close(pan_scores(&[c1], &[c3, c4]).precision, 0.25));
        assert!(close(pan_scores(&[c1], &[c4]).precision, 0.5));
        assert_eq!(pan_scores(&[c1], &[c7]).recall, 0.0);
        // plagdet(rec 0.25, prec 0.75, gran 2) = 0.23659865 in PAN's tests.
        let f = f1(0.75, 0.25) / 3f64.log2();
        assert!((f - 0.236_598_65).abs() < 1e-8);
    }

    #[test]
    fn union_merges_touching_and_overlapping_ranges() {
        assert_eq!(union_len(vec![[0, 10], [5, 15], [15, 20], [30, 31]]), 21);
        assert_eq!(union_len(vec![]), 0);
    }
}
