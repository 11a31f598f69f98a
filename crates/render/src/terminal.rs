//! A readable terminal view of a comparison.
//!
//! ```text
//! A  a.txt  (1,234 bytes)
//! B  b.txt  (1,180 bytes)
//!
//! relation   near-duplicate   score 0.83
//! direction  A (a.txt) is the source   confidence 0.70
//!            date            favours A  weight 0.50  A is dated 2 hours before B
//! coverage   A 80.0%   B 75.0%
//!
//! Aligned passages: 4, in B order
//!   #1  verbatim        1.00   A 0..30  B 0..30
//!       A │ Breaking news from the valley.
//!       B │ Breaking news from the valley.
//! …
//! ```
//!
//! Passages are shown with white space collapsed and control characters replaced, so that a
//! hostile text cannot send escape sequences to the terminal. Long passages are shortened in
//! the middle (`…`) and wrapped. Colors (ANSI escapes) are only written when asked.

use std::fmt::Write as _;

use stemma_compare::{AlignmentKind, Relation};

use crate::{Comparison, Input, Side, Span, added_side, dropped_side, slice};

/// How to print.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TerminalOptions {
    /// Write ANSI color escapes.
    pub color: bool,
    /// Target line width in characters (at least 40 is used).
    pub width: usize,
    /// Passages longer than this many characters are shortened in the middle.
    pub max_passage_chars: usize,
}

impl Default for TerminalOptions {
    fn default() -> Self {
        TerminalOptions {
            color: false,
            width: 100,
            max_passage_chars: 360,
        }
    }
}

struct Style {
    color: bool,
}

impl Style {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.color && !text.is_empty() {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
    fn bold(&self, text: &str) -> String {
        self.paint("1", text)
    }
    fn dim(&self, text: &str) -> String {
        self.paint("2", text)
    }
}

fn relation_code(r: Relation) -> &'static str {
    match r {
        Relation::Duplicate => "1;31",
        Relation::NearDuplicate => "1;33",
        Relation::Rewrite => "1;35",
        Relation::Partial => "1;36",
        Relation::SameStory => "1;34",
        Relation::Template => "1;32",
        Relation::Unrelated => "1;2",
    }
}

fn kind_name(k: AlignmentKind) -> &'static str {
    match k {
        AlignmentKind::Verbatim => "verbatim",
        AlignmentKind::NearVerbatim => "near-verbatim",
        AlignmentKind::Paraphrase => "paraphrase",
    }
}

fn kind_code(k: AlignmentKind) -> &'static str {
    match k {
        AlignmentKind::Verbatim => "31",
        AlignmentKind::NearVerbatim => "33",
        AlignmentKind::Paraphrase => "36",
    }
}

fn side_name(s: Side) -> &'static str {
    match s {
        Side::A => "A",
        Side::B => "B",
    }
}

/// Collapses white space runs to one space, replaces control characters (including ESC) with
/// `�`, and trims.
pub fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        // Control characters and the bidi overrides that could disguise text.
        if c.is_control()
            || ('\u{202a}'..='\u{202e}').contains(&c)
            || ('\u{2066}'..='\u{2069}').contains(&c)
        {
            out.push('\u{fffd}');
        } else {
            out.push(c);
        }
    }
    out
}

/// Shortens `text` to at most about `max` characters by cutting out its middle (`…`), at word
/// boundaries when there is one nearby.
pub fn shorten(text: &str, max: usize) -> String {
    let chars: Vec<char> = text.chars().collect();
    let n = chars.len();
    if n <= max || max < 8 {
        return text.to_string();
    }
    let mut head = max * 2 / 3;
    let tail_len = max - head - 3;
    let mut tail = n - tail_len;
    // Move the cuts back (head) and forward (tail) to a space, if one is within 20 characters.
    if let Some(k) = (head.saturating_sub(20)..head)
        .rev()
        .find(|&k| chars[k] == ' ')
    {
        head = k;
    }
    if let Some(k) = (tail..(tail + 20).min(n)).find(|&k| chars[k] == ' ') {
        tail = k + 1;
    }
    let head_s: String = chars[..head].iter().collect();
    let tail_s: String = chars[tail..].iter().collect();
    format!("{} … {}", head_s.trim_end(), tail_s.trim_start())
}

/// Greedy word wrap to `width` characters; words longer than a line are split.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(10);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut len = 0;
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let mut chars: Vec<char> = word.chars().collect();
        while chars.len() > width {
            if len > 0 {
                lines.push(std::mem::take(&mut line));
                len = 0;
            }
            let rest = chars.split_off(width);
            lines.push(chars.into_iter().collect());
            chars = rest;
        }
        let wl = chars.len();
        if len > 0 && len + 1 + wl > width {
            lines.push(std::mem::take(&mut line));
            len = 0;
        }
        if len > 0 {
            line.push(' ');
            len += 1;
        }
        line.extend(chars);
        len += wl;
    }
    if len > 0 || lines.is_empty() {
        lines.push(line);
    }
    lines
}

fn span_str(s: Span) -> String {
    format!("{}..{}", s.start, s.end)
}

fn quoted(text: Option<&str>) -> String {
    match text {
        Some(t) => format!("\"{}\"", clean(t)),
        None => "(none)".to_string(),
    }
}

fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Renders the comparison of `a` and `b` for a terminal. The result ends with a newline.
pub fn render(cmp: &Comparison, a: &Input<'_>, b: &Input<'_>, opts: &TerminalOptions) -> String {
    let st = Style { color: opts.color };
    let width = opts.width.max(40);
    let label = |s: Side| match s {
        Side::A => clean(a.label),
        Side::B => clean(b.label),
    };
    let text = |s: Side| match s {
        Side::A => a.text,
        Side::B => b.text,
    };
    let mut o = String::new();

    for s in [Side::A, Side::B] {
        let input = if s == Side::A { a } else { b };
        let size = match input.shown_encoding() {
            Some(enc) => format!("({} bytes, {enc})", thousands(input.original_len())),
            None => format!("({} bytes)", thousands(input.original_len())),
        };
        let _ = writeln!(
            o,
            "{}  {}  {}",
            st.bold(side_name(s)),
            st.bold(&label(s)),
            st.dim(&size)
        );
    }
    o.push('\n');

    let _ = writeln!(
        o,
        "relation   {}   score {:.2}",
        st.paint(relation_code(cmp.relation), cmp.relation.as_str()),
        cmp.score
    );
    match cmp.direction.source {
        Some(src) => {
            let _ = writeln!(
                o,
                "direction  {} ({}) is the source   confidence {:.2}",
                st.bold(side_name(src)),
                label(src),
                cmp.direction.confidence
            );
        }
        None => {
            let _ = writeln!(
                o,
                "direction  {}   confidence {:.2}",
                st.dim("unknown: no side can be told to be the source"),
                cmp.direction.confidence
            );
        }
    }
    let kind_w = cmp
        .direction
        .evidence
        .iter()
        .map(|e| clean(&e.kind).chars().count())
        .max()
        .unwrap_or(0);
    for e in &cmp.direction.evidence {
        let fav = match e.favours {
            Some(s) => format!("favours {}", side_name(s)),
            None => "neutral  ".to_string(),
        };
        let head = format!(
            "           {:<kind_w$}  {}  weight {:.2}  ",
            clean(&e.kind),
            fav,
            e.weight
        );
        let indent = head.chars().count();
        let detail = clean(&e.detail);
        let lines = if indent + 20 < width {
            wrap(&detail, width - indent)
        } else {
            vec![detail]
        };
        for (i, l) in lines.iter().enumerate() {
            if i == 0 {
                let _ = writeln!(o, "{}{}", st.dim(&head), l);
            } else {
                let _ = writeln!(o, "{:indent$}{}", "", l);
            }
        }
    }
    let _ = writeln!(
        o,
        "coverage   A {:.1}%   B {:.1}%",
        cmp.coverage.a * 100.0,
        cmp.coverage.b * 100.0
    );

    // Aligned passages.
    o.push('\n');
    if cmp.alignments.is_empty() {
        let _ = writeln!(o, "{}", st.bold("No aligned passages."));
    } else {
        let _ = writeln!(
            o,
            "{}",
            st.bold(&format!(
                "Aligned passages: {}, in B order",
                cmp.alignments.len()
            ))
        );
        let text_w = width.saturating_sub(10).max(30);
        for (i, al) in cmp.alignments.iter().enumerate() {
            let kind = format!("{:<13}", kind_name(al.kind));
            let _ = writeln!(
                o,
                "  {}  {}  {:.2}   {}",
                st.bold(&format!("#{:<3}", i + 1)),
                st.paint(kind_code(al.kind), &kind),
                al.similarity,
                st.dim(&format!("A {}  B {}", span_str(al.a), span_str(al.b)))
            );
            for (side, span) in [(Side::A, al.a), (Side::B, al.b)] {
                let passage = shorten(&clean(slice(text(side), span)), opts.max_passage_chars);
                for (j, l) in wrap(&passage, text_w).iter().enumerate() {
                    let tag = if j == 0 { side_name(side) } else { " " };
                    let _ = writeln!(o, "      {} {} {}", st.dim(tag), st.dim("│"), l);
                }
            }
        }
    }

    // Changes.
    if !cmp.changes.is_empty() {
        o.push('\n');
        let _ = writeln!(o, "{}", st.bold(&format!("Changes: {}", cmp.changes.len())));
        for c in &cmp.changes {
            let kind = serde_json::to_value(c.kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            let where_ = match (c.a_span, c.b_span) {
                (Some(x), Some(y)) => format!("A {}, B {}", span_str(x), span_str(y)),
                (Some(x), None) => format!("A {}", span_str(x)),
                (None, Some(y)) => format!("B {}", span_str(y)),
                (None, None) => String::new(),
            };
            let _ = writeln!(
                o,
                "  {:<7} {} → {}   {}",
                kind,
                st.paint("31", &quoted(c.a.as_deref())),
                st.paint("32", &quoted(c.b.as_deref())),
                st.dim(&where_)
            );
        }
    }

    // Dropped and added material.
    let unknown = cmp.direction.source.is_none();
    for (spans, side, title, code) in [
        (
            &cmp.dropped,
            dropped_side(cmp),
            "Dropped from the source",
            "31",
        ),
        (&cmp.added, added_side(cmp), "Added in the copy", "32"),
    ] {
        if spans.is_empty() {
            continue;
        }
        o.push('\n');
        let note = if unknown { ", direction unknown" } else { "" };
        let _ = writeln!(
            o,
            "{}",
            st.bold(&format!(
                "{title} ({} {}{note}): {}",
                side_name(side),
                label(side),
                spans.len()
            ))
        );
        let text_w = width.saturating_sub(6).max(30);
        for sp in spans.iter() {
            let _ = writeln!(
                o,
                "  {}",
                st.dim(&format!("{} {}", side_name(side), span_str(*sp)))
            );
            let passage = shorten(&clean(slice(text(side), *sp)), opts.max_passage_chars);
            for l in wrap(&passage, text_w) {
                let _ = writeln!(o, "    {}", st.paint(code, &l));
            }
        }
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata::{A, B, sample};

    fn plain(cmp: &Comparison) -> String {
        render(
            cmp,
            &Input::new("a.txt", A),
            &Input::new("b.txt", B),
            &TerminalOptions::default(),
        )
    }

    #[test]
    fn shows_header_passages_changes_and_material() {
        let out = plain(&sample());
        assert!(
            out.contains("relation   near-duplicate   score 0.83"),
            "{out}"
        );
        assert!(
            out.contains("A (a.txt) is the source   confidence 0.70"),
            "{out}"
        );
        assert!(out.contains("A is dated 2 hours before B"));
        assert!(out.contains("coverage   A 80.0%   B 75.0%"));
        assert!(out.contains("Aligned passages: 4, in B order"));
        assert!(out.contains("paraphrase"));
        assert!(out.contains("All day, the roads remained shut."));
        assert!(out.contains("\"Matesgora\" → \"Matsegora\""));
        assert!(out.contains("Dropped from the source (A a.txt): 1"));
        assert!(out.contains("This line was dropped."));
        assert!(out.contains("Added in the copy (B b.txt): 1"));
        assert!(out.contains("é ünïcode ✓."));
        assert!(!out.contains('\x1b'), "no color unless asked");
    }

    #[test]
    fn color_only_when_asked() {
        let opts = TerminalOptions {
            color: true,
            ..TerminalOptions::default()
        };
        let out = render(&sample(), &Input::new("a", A), &Input::new("b", B), &opts);
        assert!(out.contains("\x1b[1;33mnear-duplicate\x1b[0m"));
    }

    #[test]
    fn hostile_text_cannot_inject_escapes() {
        let text = "evil \x1b[2J text\r\nnext\u{202e}line";
        let mut cmp = sample();
        cmp.alignments.truncate(1);
        cmp.alignments[0].a = Span::new(0, text.len());
        cmp.alignments[0].b = Span::new(0, text.len());
        cmp.changes.clear();
        cmp.dropped.clear();
        cmp.added.clear();
        let out = render(
            &cmp,
            &Input::new("x\x1b]0;t\x07", text),
            &Input::new("y", text),
            &TerminalOptions::default(),
        );
        assert!(!out.contains('\x1b') && !out.contains('\x07') && !out.contains('\r'));
        assert!(
            out.contains("evil \u{fffd}[2J text next\u{fffd}line"),
            "{out}"
        );
    }

    #[test]
    fn long_passages_are_shortened_and_wrapped() {
        let long = "word ".repeat(400);
        let mut cmp = sample();
        cmp.alignments.truncate(1);
        cmp.alignments[0].a = Span::new(0, long.len());
        cmp.alignments[0].b = Span::new(0, long.len());
        let opts = TerminalOptions {
            width: 60,
            max_passage_chars: 200,
            color: false,
        };
        let out = render(
            &cmp,
            &Input::new("a", &long),
            &Input::new("b", &long),
            &opts,
        );
        assert!(out.contains(" … "));
        for l in out.lines().filter(|l| l.contains('│')) {
            assert!(l.chars().count() <= 60, "line too long: {l:?}");
        }
        let passage_lines = out.lines().filter(|l| l.contains('│')).count();
        assert!(passage_lines < 20, "{passage_lines}");
    }

    #[test]
    fn bad_spans_and_unknown_direction_do_not_panic() {
        let mut cmp = sample();
        cmp.direction.source = None;
        cmp.alignments[0].a = Span {
            start: 10_000,
            end: 5,
        };
        cmp.alignments[1].b = Span {
            start: B.find('é').unwrap() + 1,
            end: B.len() + 50,
        };
        cmp.dropped.push(Span { start: 3, end: 1 });
        let out = plain(&cmp);
        assert!(out.contains("unknown"));
        assert!(out.contains("direction unknown"));
    }

    #[test]
    fn helpers() {
        assert_eq!(clean("  a \n\t b  "), "a b");
        assert_eq!(shorten("short", 100), "short");
        let s = shorten(&"x".repeat(100), 30);
        assert!(s.contains('…') && s.chars().count() <= 31);
        let words =
            "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi";
        let s = shorten(words, 40);
        assert!(
            s.starts_with("alpha beta gamma") && s.ends_with("pi"),
            "{s}"
        );
        assert!(
            s.split(' ')
                .all(|w| w == "…" || words.split(' ').any(|x| x == w)),
            "whole words: {s}"
        );
        assert_eq!(wrap("aaaa bbbb cccc", 10), ["aaaa bbbb", "cccc"]);
        assert_eq!(wrap(&"z".repeat(25), 10).len(), 3);
        assert_eq!(thousands(1234567), "1,234,567");
        assert_eq!(thousands(12), "12");
    }
}
