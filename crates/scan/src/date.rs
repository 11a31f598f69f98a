//! The one date rule of the crate: how a date field is read, and where documents without a
//! date go. Scan (which side of a pair may be the source, family order) and dedup (keeping the
//! earliest copy) must agree on both, so they live here.

/// Reads a date field: any form `stemma_compare::parse_date` knows (RFC 3339, RFC 2822,
/// `YYYY-MM-DD`, Reuters' `26-FEB-1987 15:01:01.79`, …), or epoch seconds written as 1 to 12
/// digits. Anything else is no date.
pub fn parse_date(s: &str) -> Option<i64> {
    stemma_compare::parse_date(s).or_else(|| {
        let t = s.trim();
        (!t.is_empty() && t.len() <= 12 && t.bytes().all(|b| b.is_ascii_digit()))
            .then(|| t.parse().ok())
            .flatten()
    })
}

/// The sort key of a date: documents without one come after every dated document.
pub fn date_key(date: Option<i64>) -> (bool, i64) {
    (date.is_none(), date.unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_and_undated_sorts_last() {
        assert_eq!(parse_date("1970-01-02"), Some(86_400));
        assert_eq!(parse_date("2020-05-05T10:00:00Z"), Some(1_588_672_800));
        assert_eq!(parse_date("26-FEB-1987 15:01:01.79"), Some(541_350_061));
        assert_eq!(parse_date("12345"), Some(12345));
        assert_eq!(parse_date("yesterday"), None);
        assert_eq!(parse_date("-5"), None);
        assert_eq!(parse_date("1234567890123"), None);
        assert!(date_key(Some(i64::MAX - 1)) < date_key(None));
        assert!(date_key(Some(-100)) < date_key(Some(0)));
    }
}
