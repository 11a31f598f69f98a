//! One self-contained HTML page (inline CSS and JavaScript, no external resource) showing the
//! two texts side by side with their aligned passages, changes, dropped and added material.
//!
//! Building blocks, for embedding a pair in a larger report (e.g. the scan report):
//!
//! - [`CSS`] and [`JS`]: include each ONCE per page (`<style>{CSS}</style>`,
//!   `<script>{JS}</script>`). The script uses event delegation on `document`, so it also
//!   serves fragments inserted later, and any number of fragments on one page.
//! - [`fragment`]: the side-by-side body of one pair (two scrollable columns plus the list of
//!   changes), wrapped in `<div class="stm-cmp">`. Give each fragment on a page its own
//!   `id_prefix` so that element ids stay unique.
//! - [`summary`]: the header block (relation, score, direction with evidence, coverage);
//!   [`legend`]: the color key.
//!
//! [`page`] assembles all of them into a complete document.
//!
//! All text is HTML-escaped; control characters are replaced with U+FFFD. Spans are byte
//! offsets; they are clamped to char boundaries, and overlapping or nested spans are handled
//! by cutting each text at every span boundary (a sweep over sorted boundary events) so the
//! output is always well nested, whatever the order or overlap of the spans.

use std::fmt::Write as _;

use stemma_compare::{AlignmentKind, ChangeKind, Relation};

use crate::{Comparison, Input, Side, Span, added_side, clamp_span, dropped_side};

/// Options of [`page`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HtmlOptions {
    /// The page title; defaults to `stemma: A ↔ B` with the two labels.
    pub title: Option<String>,
}

/// HTML-escapes `text` for element content and quoted attribute values. Control characters
/// other than tab, line feed and carriage return become U+FFFD.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    escape_into(&mut out, text);
    out
}

fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c.is_control() => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
}

/// Keeps only `[A-Za-z0-9_-]` so the prefix is safe inside ids and selectors.
fn sanitize_prefix(prefix: &str) -> String {
    prefix
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
        .collect()
}

fn kind_name(k: AlignmentKind) -> &'static str {
    match k {
        AlignmentKind::Verbatim => "verbatim",
        AlignmentKind::NearVerbatim => "near-verbatim",
        AlignmentKind::Paraphrase => "paraphrase",
    }
}

fn kind_class(k: AlignmentKind) -> &'static str {
    match k {
        AlignmentKind::Verbatim => "k-v",
        AlignmentKind::NearVerbatim => "k-n",
        AlignmentKind::Paraphrase => "k-p",
    }
}

fn kind_rank(k: AlignmentKind) -> u8 {
    match k {
        AlignmentKind::Verbatim => 3,
        AlignmentKind::NearVerbatim => 2,
        AlignmentKind::Paraphrase => 1,
    }
}

fn change_kind_name(k: ChangeKind) -> &'static str {
    match k {
        ChangeKind::Name => "name",
        ChangeKind::Number => "number",
        ChangeKind::Date => "date",
        ChangeKind::Quote => "quote",
    }
}

fn relation_class(r: Relation) -> &'static str {
    match r {
        Relation::Duplicate => "r-dup",
        Relation::NearDuplicate => "r-near",
        Relation::Rewrite => "r-rew",
        Relation::Partial => "r-part",
        Relation::SameStory => "r-same",
        Relation::Template => "r-tmpl",
        Relation::Unrelated => "r-unrel",
    }
}

fn side_letter(s: Side) -> &'static str {
    match s {
        Side::A => "A",
        Side::B => "B",
    }
}

fn pct(x: f64) -> f64 {
    if x.is_finite() {
        (x * 100.0).clamp(0.0, 100.0)
    } else {
        0.0
    }
}

fn change_tip(c: &stemma_compare::Change) -> String {
    let a = c.a.as_deref().unwrap_or("(none)");
    let b = c.b.as_deref().unwrap_or("(none)");
    format!("{}: {} → {}", change_kind_name(c.kind), a, b)
}

#[derive(Debug, Clone, Copy)]
enum Mark {
    /// Alignment index.
    Align(usize),
    /// Change index.
    Change(usize),
    Dropped,
    Added,
}

/// The marked-up text of one side: every span boundary cuts the text; each piece is wrapped in
/// one `<span>` carrying the classes and pair ids of every mark covering it.
fn marked_text(cmp: &Comparison, side: Side, text: &str, prefix: &str) -> String {
    let mut marks: Vec<(usize, usize, Mark)> = Vec::new();
    let mut push = |span: Span, m: Mark| {
        let (s, e) = clamp_span(text, span);
        if s < e {
            marks.push((s, e, m));
        }
    };
    for (i, al) in cmp.alignments.iter().enumerate() {
        push(if side == Side::A { al.a } else { al.b }, Mark::Align(i));
    }
    for (i, c) in cmp.changes.iter().enumerate() {
        let sp = if side == Side::A { c.a_span } else { c.b_span };
        if let Some(sp) = sp {
            push(sp, Mark::Change(i));
        }
    }
    if dropped_side(cmp) == side {
        for sp in &cmp.dropped {
            push(*sp, Mark::Dropped);
        }
    }
    if added_side(cmp) == side {
        for sp in &cmp.added {
            push(*sp, Mark::Added);
        }
    }

    // Boundary events: (position, is_start, mark index). Ends sort before starts at one position.
    let mut events: Vec<(usize, bool, usize)> = Vec::with_capacity(marks.len() * 2);
    for (i, (s, e, _)) in marks.iter().enumerate() {
        events.push((*s, true, i));
        events.push((*e, false, i));
    }
    events.sort_unstable();

    let side_l = if side == Side::A { "a" } else { "b" };
    let mut out = String::with_capacity(text.len() * 2);
    let mut active: Vec<usize> = Vec::new(); // mark indices, kept sorted
    let mut started = vec![false; cmp.alignments.len()];
    let mut pos = 0;
    let mut ev = 0;
    while pos < text.len() || ev < events.len() {
        while ev < events.len() && events[ev].0 <= pos {
            let (_, is_start, m) = events[ev];
            if is_start {
                if let Err(at) = active.binary_search(&m) {
                    active.insert(at, m);
                }
            } else if let Ok(at) = active.binary_search(&m) {
                active.remove(at);
            }
            ev += 1;
        }
        if pos >= text.len() {
            break;
        }
        let next = events.get(ev).map_or(text.len(), |e| e.0.min(text.len()));
        let piece = &text[pos..next];
        if active.is_empty() {
            escape_into(&mut out, piece);
        } else {
            write_piece(
                &mut out,
                cmp,
                &marks,
                &active,
                &mut started,
                side_l,
                prefix,
                piece,
            );
        }
        pos = next;
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn write_piece(
    out: &mut String,
    cmp: &Comparison,
    marks: &[(usize, usize, Mark)],
    active: &[usize],
    started: &mut [bool],
    side_l: &str,
    prefix: &str,
    piece: &str,
) {
    let mut classes: Vec<&str> = Vec::new();
    let mut pairs: Vec<usize> = Vec::new();
    let mut changes: Vec<usize> = Vec::new();
    let mut tips: Vec<String> = Vec::new();
    let mut best: Option<AlignmentKind> = None;
    let (mut dropped, mut added) = (false, false);
    for &m in active {
        match marks[m].2 {
            Mark::Align(i) => {
                pairs.push(i);
                let k = cmp.alignments[i].kind;
                if best.is_none_or(|b| kind_rank(k) > kind_rank(b)) {
                    best = Some(k);
                }
            }
            Mark::Change(i) => {
                changes.push(i);
                tips.push(change_tip(&cmp.changes[i]));
            }
            Mark::Dropped => dropped = true,
            Mark::Added => added = true,
        }
    }
    pairs.sort_unstable();
    pairs.dedup();
    changes.sort_unstable();
    changes.dedup();
    if let Some(k) = best {
        classes.push("al");
        classes.push(kind_class(k));
    }
    if !changes.is_empty() {
        classes.push("ch");
    }
    if dropped {
        classes.push("dr");
    }
    if added {
        classes.push("ad");
    }
    for &i in &pairs {
        let al = &cmp.alignments[i];
        tips.push(format!(
            "#{} {} · similarity {:.2}",
            i + 1,
            kind_name(al.kind),
            al.similarity
        ));
    }
    if dropped {
        tips.push("dropped: in the source only".to_string());
    }
    if added {
        tips.push("added: in the copy only".to_string());
    }
    // The first piece of each passage carries its id and number badge.
    let first = pairs.iter().copied().find(|&i| !started[i]);
    if let Some(i) = first {
        started[i] = true;
        classes.push("ps");
    }
    out.push_str("<span class=\"");
    out.push_str(&classes.join(" "));
    out.push('"');
    if let Some(i) = first {
        let _ = write!(
            out,
            " id=\"{prefix}{side_l}-p{}\" data-n=\"{}\"",
            i + 1,
            i + 1
        );
    }
    if !pairs.is_empty() {
        let ids: Vec<String> = pairs.iter().map(|i| (i + 1).to_string()).collect();
        let _ = write!(out, " data-p=\"{}\"", ids.join(" "));
    }
    if !changes.is_empty() {
        let ids: Vec<String> = changes.iter().map(|i| (i + 1).to_string()).collect();
        let _ = write!(out, " data-c=\"{}\"", ids.join(" "));
    }
    if !tips.is_empty() {
        out.push_str(" title=\"");
        escape_into(out, &tips.join("\n"));
        out.push('"');
    }
    out.push('>');
    escape_into(out, piece);
    out.push_str("</span>");
}

/// The last path component of a label (the whole label when it has none).
fn short_label(label: &str) -> &str {
    let t = label.trim_end_matches(['/', '\\']);
    match t.rfind(['/', '\\']) {
        Some(i) if i + 1 < t.len() => &t[i + 1..],
        _ => label,
    }
}

fn role(cmp: &Comparison, side: Side) -> &'static str {
    match cmp.direction.source {
        Some(s) if s == side => "source",
        Some(_) => "copy",
        None => "",
    }
}

/// The side-by-side body of one pair: two scrollable columns with the marked-up texts, and the
/// list of changes. `id_prefix` (only `[A-Za-z0-9_-]` is kept) makes element ids unique when
/// several fragments share a page. Needs [`CSS`] and [`JS`] once on the page.
pub fn fragment(cmp: &Comparison, a: &Input<'_>, b: &Input<'_>, id_prefix: &str) -> String {
    let prefix = sanitize_prefix(id_prefix);
    let mut o = String::with_capacity((a.text.len() + b.text.len()) * 2 + 4096);
    let _ = write!(
        o,
        "<div class=\"stm-cmp\" id=\"{prefix}cmp\">\n<div class=\"stm-cols\">\n"
    );
    for (side, input) in [(Side::A, a), (Side::B, b)] {
        let l = if side == Side::A { "a" } else { "b" };
        let r = role(cmp, side);
        let _ = write!(
            o,
            "<section class=\"stm-col\" data-side=\"{l}\">\n<div class=\"stm-colhead\">"
        );
        let _ = write!(o, "<span class=\"stm-side\">{}</span> ", side_letter(side));
        let _ = write!(
            o,
            "<span class=\"stm-label\" title=\"{}\">{}</span>",
            escape(input.label),
            escape(short_label(input.label))
        );
        if !r.is_empty() {
            let _ = write!(o, " <span class=\"stm-role stm-{r}\">{r}</span>");
        }
        let enc = input
            .shown_encoding()
            .map(|e| format!(", {}", escape(&e)))
            .unwrap_or_default();
        let _ = writeln!(
            o,
            " <span class=\"stm-bytes\">{} bytes{enc}</span></div>",
            input.original_len()
        );
        let _ = write!(o, "<div class=\"stm-text\" id=\"{prefix}{l}-text\">");
        o.push_str(&marked_text(cmp, side, input.text, &prefix));
        o.push_str("</div>\n</section>\n");
    }
    o.push_str("</div>\n");
    if !cmp.changes.is_empty() {
        let _ = writeln!(
            o,
            "<div class=\"stm-changes\"><h3>Changes <span class=\"stm-count\">{}</span></h3>\
             <table><thead><tr><th>kind</th><th>A {}</th><th></th><th>B {}</th></tr></thead><tbody>",
            cmp.changes.len(),
            escape(short_label(a.label)),
            escape(short_label(b.label))
        );
        for (i, c) in cmp.changes.iter().enumerate() {
            let cell = |t: Option<&str>| match t {
                Some(t) => format!("<span class=\"stm-val\">{}</span>", escape(t)),
                None => "<span class=\"stm-none\">(none)</span>".to_string(),
            };
            let _ = writeln!(
                o,
                "<tr data-goto-c=\"{}\" title=\"show in both texts\"><td class=\"stm-ck\">{}</td><td class=\"stm-old\">{}</td>\
                 <td class=\"stm-arrow\">→</td><td class=\"stm-new\">{}</td></tr>",
                i + 1,
                change_kind_name(c.kind),
                cell(c.a.as_deref()),
                cell(c.b.as_deref())
            );
        }
        o.push_str("</tbody></table></div>\n");
    }
    o.push_str("</div>\n");
    o
}

/// The header block: relation, score, direction with each piece of evidence, and coverage.
pub fn summary(cmp: &Comparison, a: &Input<'_>, b: &Input<'_>) -> String {
    let label = |s: Side| {
        let l = if s == Side::A { a.label } else { b.label };
        format!(
            "<span title=\"{}\">{}</span>",
            escape(l),
            escape(short_label(l))
        )
    };
    let mut o = String::new();
    o.push_str("<div class=\"stm-summary\">\n<div class=\"stm-facts\">");
    let _ = write!(
        o,
        "<div class=\"stm-fact\"><div class=\"stm-k\">relation</div><div class=\"stm-rel {}\">{}</div></div>",
        relation_class(cmp.relation),
        cmp.relation.as_str()
    );
    let _ = write!(
        o,
        "<div class=\"stm-fact\"><div class=\"stm-k\">score</div><div class=\"stm-v\">{:.2}</div></div>",
        cmp.score
    );
    let dir = match cmp.direction.source {
        Some(s) => {
            let other = if s == Side::A { Side::B } else { Side::A };
            format!(
                "<b>{}</b> {} <span class=\"stm-arr\">→</span> <b>{}</b> {}",
                side_letter(s),
                label(s),
                side_letter(other),
                label(other)
            )
        }
        None => "<span class=\"stm-muted\">unknown</span>".to_string(),
    };
    let _ = write!(
        o,
        "<div class=\"stm-fact stm-wide\"><div class=\"stm-k\">direction (source → copy)</div><div class=\"stm-v\">{dir} \
         <span class=\"stm-conf\">confidence {:.2}</span></div></div>",
        cmp.direction.confidence
    );
    o.push_str("<div class=\"stm-fact stm-wide\"><div class=\"stm-k\">coverage</div>");
    for (s, v) in [(Side::A, cmp.coverage.a), (Side::B, cmp.coverage.b)] {
        let _ = write!(
            o,
            "<div class=\"stm-cov\"><span>{}</span><div class=\"stm-bar\"><i style=\"width:{:.1}%\"></i></div><span>{:.1}%</span></div>",
            side_letter(s),
            pct(v),
            pct(v)
        );
    }
    o.push_str("</div></div>\n");
    if !cmp.direction.evidence.is_empty() {
        o.push_str("<table class=\"stm-evidence\"><thead><tr><th>evidence</th><th>favours</th><th>weight</th><th>detail</th></tr></thead><tbody>\n");
        for e in &cmp.direction.evidence {
            let fav = match e.favours {
                Some(s) => format!("<b>{}</b>", side_letter(s)),
                None => "<span class=\"stm-muted\">neither</span>".to_string(),
            };
            let _ = writeln!(
                o,
                "<tr><td class=\"stm-ek\">{}</td><td>{}</td><td class=\"stm-wt\"><div class=\"stm-w\"><i style=\"width:{:.0}%\"></i></div>{:.2}</td><td>{}</td></tr>",
                escape(&e.kind),
                fav,
                pct(e.weight),
                e.weight,
                escape(&e.detail)
            );
        }
        o.push_str("</tbody></table>\n");
    }
    let counts = [
        (cmp.alignments.len(), "aligned passages"),
        (cmp.changes.len(), "changes"),
        (cmp.dropped.len(), "dropped"),
        (cmp.added.len(), "added"),
    ];
    o.push_str("<div class=\"stm-counts\">");
    for (n, what) in counts {
        let _ = write!(o, "<span><b>{n}</b> {what}</span>");
    }
    o.push_str("</div>\n</div>\n");
    o
}

/// The color key of the marks used in [`fragment`].
pub fn legend() -> String {
    "<div class=\"stm-legend\">\
     <span class=\"al k-v\">verbatim</span>\
     <span class=\"al k-n\">near-verbatim</span>\
     <span class=\"al k-p\">paraphrase</span>\
     <span class=\"ch\">changed detail</span>\
     <span class=\"dr\">dropped (source only)</span>\
     <span class=\"ad\">added (copy only)</span>\
     <span class=\"stm-hint\">Hover a passage to see its counterpart; click to scroll to it. \
     Numbers give the order in B.</span></div>\n"
        .to_string()
}

/// A complete, self-contained HTML page for the comparison of `a` and `b`.
pub fn page(cmp: &Comparison, a: &Input<'_>, b: &Input<'_>, opts: &HtmlOptions) -> String {
    let title = opts
        .title
        .clone()
        .unwrap_or_else(|| format!("stemma: {} ↔ {}", a.label, b.label));
    let mut o =
        String::with_capacity((a.text.len() + b.text.len()) * 2 + CSS.len() + JS.len() + 8192);
    o.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    o.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    let _ = writeln!(o, "<title>{}</title>", escape(&title));
    let _ = writeln!(o, "<style>\n{CSS}\n{PAGE_CSS}\n</style>\n</head>\n<body>");
    let _ = writeln!(
        o,
        "<header class=\"stm-page-head\"><h1>stemma <span>compare</span></h1><div class=\"stm-files\">\
         <span><b>A</b> {}</span><span><b>B</b> {}</span></div></header>",
        escape(a.label),
        escape(b.label)
    );
    o.push_str(&summary(cmp, a, b));
    o.push_str(&legend());
    o.push_str(&fragment(cmp, a, b, "p0-"));
    let _ = write!(o, "<script>\n{JS}\n</script>\n</body>\n</html>\n");
    o
}

/// Styles of [`summary`], [`legend`] and [`fragment`] (all classes start with `stm-` or are
/// scoped under `.stm-cmp` / `.stm-legend`). Include once per page.
pub const CSS: &str = r#"
.stm-cmp, .stm-summary, .stm-legend { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: #1f2328; }
.stm-cols { display: grid; grid-template-columns: 1fr 1fr; gap: 14px; }
.stm-col { border: 1px solid #d0d7de; border-radius: 8px; background: #fff; display: flex; flex-direction: column; min-width: 0; }
.stm-colhead { padding: 8px 12px; border-bottom: 1px solid #d0d7de; background: #f6f8fa; border-radius: 8px 8px 0 0; font-size: 13px; display: flex; gap: 8px; align-items: center; }
.stm-side { font-weight: 700; background: #24292f; color: #fff; border-radius: 4px; padding: 0 6px; }
.stm-label { font-weight: 600; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.stm-bytes { margin-left: auto; color: #656d76; font-size: 12px; white-space: nowrap; }
.stm-role { font-size: 11px; text-transform: uppercase; letter-spacing: .05em; border-radius: 10px; padding: 1px 8px; font-weight: 700; }
.stm-source { background: #dafbe1; color: #116329; border: 1px solid #4ac26b; }
.stm-copy { background: #fff1e5; color: #953800; border: 1px solid #f0883e; }
.stm-text { position: relative; padding: 12px 16px; font-family: Georgia, "DejaVu Serif", serif; font-size: 15px; line-height: 1.75; white-space: pre-wrap; overflow-wrap: anywhere; overflow-y: auto; max-height: 72vh; }
.stm-cmp .al, .stm-legend .al { border-radius: 2px; cursor: pointer; -webkit-box-decoration-break: clone; box-decoration-break: clone; transition: background-color .12s; }
.stm-cmp .k-v, .stm-legend .k-v { background: rgba(207, 34, 46, .20); }
.stm-cmp .k-n, .stm-legend .k-n { background: rgba(212, 140, 0, .24); }
.stm-cmp .k-p, .stm-legend .k-p { background: rgba(9, 105, 218, .15); }
.stm-cmp .k-v.hl { background: rgba(207, 34, 46, .42); }
.stm-cmp .k-n.hl { background: rgba(212, 140, 0, .50); }
.stm-cmp .k-p.hl { background: rgba(9, 105, 218, .34); }
.stm-cmp .al.sel { outline: 2px solid #24292f; outline-offset: 1px; }
.stm-cmp .ps::before { content: attr(data-n); font: 700 10px/1 system-ui, "DejaVu Sans", sans-serif; color: #fff; background: #57606a; border-radius: 3px; padding: 2px 4px; margin-right: 3px; vertical-align: 2px; }
.stm-cmp .ch, .stm-legend .ch { text-decoration: underline wavy #cf222e; text-decoration-thickness: 1.5px; text-underline-offset: 3px; font-weight: 600; cursor: help; }
.stm-cmp .ch.flash { background: #fff8c5; outline: 2px solid #d4a72c; }
.stm-cmp .dr, .stm-legend .dr { color: #6e7781; text-decoration: line-through; text-decoration-color: rgba(110, 119, 129, .7); background: repeating-linear-gradient(135deg, #f6f8fa 0 6px, #eaeef2 6px 12px); }
.stm-cmp .ad, .stm-legend .ad { background: rgba(26, 127, 55, .14); border-bottom: 2px solid rgba(26, 127, 55, .6); }
.stm-changes { margin-top: 14px; }
.stm-changes h3 { font-size: 14px; margin: 0 0 6px; }
.stm-count { background: #eaeef2; border-radius: 10px; padding: 0 7px; font-size: 12px; }
.stm-changes table, .stm-evidence { border-collapse: collapse; font-size: 13px; }
.stm-changes td, .stm-changes th, .stm-evidence td, .stm-evidence th { padding: 4px 10px; border-bottom: 1px solid #eaeef2; text-align: left; vertical-align: top; }
.stm-changes th, .stm-evidence th { color: #656d76; font-weight: 600; font-size: 12px; }
.stm-changes tr[data-goto-c] { cursor: pointer; }
.stm-changes tr[data-goto-c]:hover { background: #f6f8fa; }
.stm-ek, .stm-wt { white-space: nowrap; }
.stm-ck, .stm-ek { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 12px; color: #57606a; }
.stm-old .stm-val { background: #ffebe9; color: #82071e; border-radius: 3px; padding: 0 4px; }
.stm-new .stm-val { background: #dafbe1; color: #116329; border-radius: 3px; padding: 0 4px; }
.stm-none, .stm-muted { color: #8c959f; font-style: italic; }
.stm-arrow { color: #8c959f; }
.stm-summary { background: #fff; border: 1px solid #d0d7de; border-radius: 8px; padding: 14px 16px; margin-bottom: 12px; }
.stm-facts { display: flex; flex-wrap: wrap; gap: 14px 34px; align-items: flex-start; margin-bottom: 10px; }
.stm-k { font-size: 11px; text-transform: uppercase; letter-spacing: .06em; color: #656d76; margin-bottom: 4px; }
.stm-v { font-size: 16px; }
.stm-rel { display: inline-block; font-weight: 700; font-size: 15px; padding: 2px 10px; border-radius: 12px; color: #fff; }
.r-dup { background: #cf222e; } .r-near { background: #bc4c00; } .r-rew { background: #8250df; }
.r-part { background: #0969da; } .r-same { background: #1a7f37; } .r-unrel { background: #6e7781; } .r-tmpl { background: #8c6d1f; }
.stm-arr { color: #656d76; }
.stm-conf { font-size: 13px; color: #656d76; margin-left: 8px; }
.stm-cov { display: flex; align-items: center; gap: 8px; font-size: 13px; }
.stm-bar { width: 160px; height: 8px; background: #eaeef2; border-radius: 4px; overflow: hidden; }
.stm-bar i { display: block; height: 100%; background: #0969da; }
.stm-w { display: inline-block; width: 50px; height: 6px; background: #eaeef2; border-radius: 3px; overflow: hidden; margin-right: 6px; vertical-align: middle; }
.stm-w i { display: block; height: 100%; background: #57606a; }
.stm-evidence { width: 100%; margin-bottom: 8px; }
.stm-counts { display: flex; gap: 18px; font-size: 13px; color: #57606a; }
.stm-counts b { color: #1f2328; }
.stm-legend { display: flex; flex-wrap: wrap; gap: 8px 14px; align-items: center; font-size: 13px; margin: 0 0 12px; }
.stm-legend > span:not(.stm-hint) { padding: 1px 6px; border-radius: 3px; }
.stm-hint { color: #656d76; font-size: 12px; margin-left: auto; }
@media (max-width: 800px) { .stm-cols { grid-template-columns: 1fr; } .stm-text { max-height: none; } }
"#;

const PAGE_CSS: &str = r#"
body { margin: 0; padding: 16px 22px 28px; background: #f6f8fa; }
.stm-page-head { display: flex; align-items: baseline; gap: 20px; margin-bottom: 12px; font-family: system-ui, "DejaVu Sans", sans-serif; }
.stm-page-head h1 { font-size: 20px; margin: 0; color: #1f2328; }
.stm-page-head h1 span { font-weight: 400; color: #656d76; }
.stm-files { display: flex; gap: 18px; font-size: 13px; color: #57606a; flex-wrap: wrap; }
.stm-files b { background: #24292f; color: #fff; border-radius: 4px; padding: 0 6px; margin-right: 4px; }
"#;

/// Interaction for [`fragment`]s: hovering a passage highlights it and its counterpart;
/// clicking scrolls the other column to the counterpart; clicking a change row shows it in
/// both texts. Include once per page; works for any number of fragments.
pub const JS: &str = r#"
(function () {
  if (window.__stemmaCmp) return;
  window.__stemmaCmp = true;
  function ids(el, attr) { return (el.getAttribute(attr) || '').split(' ').filter(Boolean); }
  function mark(root, attr, list, cls, on) {
    list.forEach(function (id) {
      root.querySelectorAll('[' + attr + '~="' + id + '"]').forEach(function (e) { e.classList.toggle(cls, on); });
    });
  }
  function scrollTo(el) {
    var box = el.closest('.stm-text');
    if (!box) return;
    var top = el.offsetTop - box.clientHeight / 3;
    if (box.scrollTo) box.scrollTo({ top: Math.max(0, top), behavior: 'smooth' }); else box.scrollTop = top;
  }
  function passage(ev) { return ev.target.closest ? ev.target.closest('.stm-cmp [data-p]') : null; }
  document.addEventListener('mouseover', function (ev) {
    var el = passage(ev);
    if (!el) return;
    var root = el.closest('.stm-cmp');
    if (root.__hl) mark(root, 'data-p', root.__hl, 'hl', false);
    root.__hl = ids(el, 'data-p');
    mark(root, 'data-p', root.__hl, 'hl', true);
  });
  document.addEventListener('mouseout', function (ev) {
    var el = passage(ev);
    if (!el) return;
    var root = el.closest('.stm-cmp');
    if (root.__hl) mark(root, 'data-p', root.__hl, 'hl', false);
    root.__hl = null;
  });
  document.addEventListener('click', function (ev) {
    var row = ev.target.closest ? ev.target.closest('.stm-cmp [data-goto-c]') : null;
    if (row) {
      var r = row.closest('.stm-cmp'), c = row.getAttribute('data-goto-c');
      r.querySelectorAll('.flash').forEach(function (e) { e.classList.remove('flash'); });
      ['a', 'b'].forEach(function (s) {
        var t = r.querySelector('[data-side="' + s + '"] [data-c~="' + c + '"]');
        if (t) { t.classList.add('flash'); scrollTo(t); }
      });
      return;
    }
    var el = passage(ev);
    if (!el) return;
    var root = el.closest('.stm-cmp');
    var col = el.closest('[data-side]');
    var other = col && col.getAttribute('data-side') === 'a' ? 'b' : 'a';
    var list = ids(el, 'data-p');
    if (root.__sel) mark(root, 'data-p', root.__sel, 'sel', false);
    root.__sel = list;
    mark(root, 'data-p', list, 'sel', true);
    var target = root.querySelector('[data-side="' + other + '"] [data-p~="' + list[0] + '"]');
    if (target) scrollTo(target);
  });
})();
"#;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata::{A, B, sample, span};
    use stemma_compare::{Alignment, Change};

    fn page_of(cmp: &Comparison, a: &str, b: &str) -> String {
        page(
            cmp,
            &Input::new("a.txt", a),
            &Input::new("b.txt", b),
            &HtmlOptions::default(),
        )
    }

    /// Removes tags and unescapes entities: the text a browser would show.
    fn visible_text(html: &str) -> String {
        let mut out = String::new();
        let mut in_tag = false;
        for c in html.chars() {
            match c {
                '<' => in_tag = true,
                '>' if in_tag => in_tag = false,
                c if !in_tag => out.push(c),
                _ => {}
            }
        }
        out.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&amp;", "&")
    }

    fn text_div<'h>(html: &'h str, side: &str) -> &'h str {
        let open = format!("id=\"p0-{side}-text\">");
        let s = html.find(&open).unwrap() + open.len();
        let e = s + html[s..].find("</div>").unwrap();
        &html[s..e]
    }

    #[test]
    fn texts_survive_markup_exactly() {
        let html = page_of(&sample(), A, B);
        assert_eq!(visible_text(text_div(&html, "a")), A);
        assert_eq!(visible_text(text_div(&html, "b")), B);
        assert!(html.contains("class=\"al k-v ps\" id=\"p0-a-p1\" data-n=\"1\" data-p=\"1\""));
        assert!(html.contains("id=\"p0-b-p4\""));
        assert!(html.contains("title=\"name: Matesgora → Matsegora"));
        assert!(html.contains("class=\"dr\""), "dropped is marked in A");
        assert!(html.contains("class=\"ad\""), "added is marked in B");
        assert!(html.contains("near-duplicate"));
        assert!(
            !html.contains("src=") && !html.contains("href="),
            "no external resource"
        );
    }

    #[test]
    fn hostile_text_is_escaped() {
        let evil = "<script>alert('x')</script> & \"q\" <img src=x onerror=alert(1)>\u{0}\u{1b}";
        let mut cmp = sample();
        cmp.alignments = vec![Alignment {
            a: Span::new(0, 8),
            b: Span::new(0, evil.len()),
            kind: AlignmentKind::Verbatim,
            similarity: 1.0,
            weak: false,
        }];
        cmp.changes = vec![Change {
            kind: ChangeKind::Quote,
            a: Some("<b>\"x\"</b>".into()),
            b: Some("' onmouseover='alert(1)".into()),
            a_span: Some(Span::new(1, 7)),
            b_span: Some(Span::new(0, 5)),
        }];
        cmp.direction.evidence[0].detail = "</td><script>bad()</script>".into();
        cmp.dropped.clear();
        cmp.added.clear();
        let html = page(
            &cmp,
            &Input::new("<a>&\"", evil),
            &Input::new("b'", evil),
            &HtmlOptions::default(),
        );
        assert!(!html.contains("<script>alert"));
        assert!(!html.contains("<img"));
        assert!(!html.contains("<script>bad"));
        assert!(!html.contains("' onmouseover"));
        assert!(!html.contains("<a>&\""));
        assert!(
            html.contains("alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot; &lt;img src=x")
        );
        assert!(!html.contains('\u{0}') && !html.contains('\u{1b}'));
        assert_eq!(
            html.matches("<script>").count(),
            1,
            "only the page's own script"
        );
    }

    #[test]
    fn multibyte_spans() {
        let a = "Ünïcödé ✓ — 東京 text. Second ✓ sentence.";
        let b = "Prefix 🙂. Ünïcödé ✓ — 東京 text.";
        let mut cmp = sample();
        cmp.alignments = vec![Alignment {
            a: span(a, "Ünïcödé ✓ — 東京 text."),
            b: span(b, "Ünïcödé ✓ — 東京 text."),
            kind: AlignmentKind::Verbatim,
            similarity: 1.0,
            weak: false,
        }];
        cmp.changes = vec![Change {
            kind: ChangeKind::Name,
            a: Some("東京".into()),
            b: Some("東京".into()),
            a_span: Some(span(a, "東京")),
            b_span: Some(span(b, "東京")),
        }];
        cmp.dropped = vec![span(a, "Second ✓ sentence.")];
        cmp.added = vec![span(b, "Prefix 🙂.")];
        let html = page_of(&cmp, a, b);
        assert_eq!(visible_text(text_div(&html, "a")), a);
        assert_eq!(visible_text(text_div(&html, "b")), b);
        assert!(html.contains(">東京</span>"));
        assert!(
            html.contains("<span class=\"ad\" title=\"added: in the copy only\">Prefix 🙂.</span>")
        );
    }

    #[test]
    fn overlapping_nested_out_of_order_and_bad_spans_do_not_panic() {
        let a = "aé東🙂bcdefghij";
        let b = "0123456789é";
        let mut cmp = sample();
        cmp.alignments = vec![
            Alignment {
                a: Span { start: 5, end: 2 },
                b: Span::new(0, 4),
                kind: AlignmentKind::Paraphrase,
                similarity: 0.5,
                weak: false,
            },
            Alignment {
                a: Span::new(0, 12),
                b: Span::new(3, 9),
                kind: AlignmentKind::NearVerbatim,
                similarity: 0.8,
                weak: false,
            },
            Alignment {
                a: Span::new(2, 8),
                b: Span::new(2, 1000),
                kind: AlignmentKind::Verbatim,
                similarity: 1.0,
                weak: false,
            },
            Alignment {
                a: Span::new(7, 7),
                b: Span::new(11, 12),
                kind: AlignmentKind::Verbatim,
                similarity: 1.0,
                weak: false,
            },
        ];
        cmp.changes = vec![Change {
            kind: ChangeKind::Number,
            a: None,
            b: Some("5".into()),
            a_span: None,
            b_span: Some(Span::new(5, 6)),
        }];
        cmp.direction.source = Some(Side::B); // dropped now indexes B, added indexes A
        cmp.dropped = vec![Span { start: 8, end: 3 }, Span::new(1, 4), Span::new(0, 2)];
        cmp.added = vec![Span::new(1, 9999), Span::new(4, 6)];
        let html = page_of(&cmp, a, b);
        assert_eq!(visible_text(text_div(&html, "a")), a);
        assert_eq!(visible_text(text_div(&html, "b")), b);
        // Well nested: as many closing as opening spans inside each column.
        for side in ["a", "b"] {
            let d = text_div(&html, side);
            assert_eq!(d.matches("<span").count(), d.matches("</span>").count());
        }
        assert!(
            html.contains("data-p=\"2 3\""),
            "overlap carries both pair ids"
        );
        assert!(html.contains("(none) → 5"));
    }

    #[test]
    fn fragments_with_distinct_prefixes_have_distinct_ids() {
        let (a, b) = (Input::new("a", A), Input::new("b", B));
        let f1 = fragment(&sample(), &a, &b, "pair-1-");
        let f2 = fragment(&sample(), &a, &b, "pair-2\"><x ");
        assert!(f1.contains("id=\"pair-1-a-p1\""));
        assert!(f2.contains("id=\"pair-2xa-p1\""));
        assert!(f1.starts_with("<div class=\"stm-cmp\""));
        assert!(!f1.contains("<script") && !f1.contains("<style"));
    }

    #[test]
    fn short_labels() {
        assert_eq!(short_label("../data/x/a.txt"), "a.txt");
        assert_eq!(short_label("C:\\docs\\b.txt"), "b.txt");
        assert_eq!(short_label("plain"), "plain");
        assert_eq!(short_label("dir/"), "dir/");
        assert_eq!(short_label("<stdin>"), "<stdin>");
    }

    #[test]
    fn empty_comparison_renders() {
        let cmp = Comparison {
            relation: Relation::Unrelated,
            score: 0.0,
            probability: 0.9,
            verdict: None,
            direction: stemma_compare::Direction {
                source: None,
                confidence: 0.0,
                evidence: vec![],
            },
            coverage: stemma_compare::Coverage {
                a: f64::NAN,
                b: 0.0,
            },
            alignments: vec![],
            passages: vec![],
            changes: vec![],
            dropped: vec![],
            added: vec![],
        };
        let html = page_of(&cmp, "x < y", "");
        assert!(html.contains("x &lt; y"));
        assert!(html.contains("unknown"));
        assert!(html.contains("width:0.0%"));
    }
}
