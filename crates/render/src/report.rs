//! The `stemma scan` report: one self-contained HTML page to browse story families and open any
//! related pair side by side.
//!
//! The page embeds its data as one JSON block and builds lists with inline JavaScript, so it
//! stays usable for thousands of pairs: families and pairs are listed a page at a time, and a
//! pair's side-by-side view ([`crate::html::fragment`], prepared by the caller) is inserted into
//! the document only when opened. The page loads nothing from the network.

use crate::html::{CSS, JS, escape, legend};
use serde::Serialize;

/// A document mentioned in the report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportDoc {
    /// User-visible id.
    pub id: String,
    /// Publication time (seconds since the Unix epoch), if known.
    pub date: Option<i64>,
    /// Publisher, if known.
    pub source: Option<String>,
    /// Length in bytes.
    pub len: usize,
    /// The encoding the document's file was decoded from, when it was not plain UTF-8
    /// (`windows-1252`, `UTF-8 (BOM)`, …).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
}

/// A related pair.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportPair {
    /// Index into [`Report::docs`] of side A.
    pub a: usize,
    /// Index into [`Report::docs`] of side B.
    pub b: usize,
    /// Relation name.
    pub relation: String,
    /// Relation score.
    pub score: f64,
    /// `"a"` or `"b"`: the source side, if known.
    pub source: Option<String>,
    /// Confidence of the direction.
    pub confidence: f64,
    /// Side-by-side HTML ([`crate::html::fragment`]), when embedded.
    pub fragment: Option<String>,
}

/// An edge of a family's derivation graph.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportEdge {
    /// Index into [`Report::docs`] of the source.
    pub source: usize,
    /// Index into [`Report::docs`] of the copy.
    pub copy: usize,
    /// Relation name.
    pub relation: String,
    /// Relation score.
    pub score: f64,
    /// Index into [`Report::pairs`], when listed.
    pub pair: Option<usize>,
}

/// A story family.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportFamily {
    /// Family number (as in `families.jsonl`).
    pub id: usize,
    /// Number of documents in the family (`members` may list fewer).
    pub size: usize,
    /// Number of edges in the family (`edges` may list fewer).
    pub edge_count: usize,
    /// Indices into [`Report::docs`], root first (possibly the first ones only).
    pub members: Vec<usize>,
    /// Index into [`Report::docs`] of the root.
    pub root: usize,
    /// Derivation edges (possibly the first ones only).
    pub edges: Vec<ReportEdge>,
    /// Number of partial-reuse links to other families (`links` may list fewer).
    pub link_count: usize,
    /// Partial reuse linking a member to another family (possibly the first ones only).
    pub links: Vec<ReportLink>,
    /// The derivation graph ([`crate::graph::svg`]), when drawn (small enough families).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub graph: Option<String>,
}

/// A derivation relation of a family member that is not a tree edge.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportLink {
    /// Index into [`Report::docs`] of the member.
    pub doc: usize,
    /// Index into [`Report::docs`] of the other document.
    pub other: usize,
    /// Id of the other document's family (as in `families.jsonl`), if it has one.
    pub family: Option<usize>,
    /// Relation score.
    pub score: f64,
    /// Index into [`Report::pairs`], when listed.
    pub pair: Option<usize>,
}

/// Everything the report shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// Page title.
    pub title: String,
    /// Summary rows (label, value).
    pub summary: Vec<(String, String)>,
    /// Notes shown prominently (e.g. what was left out of the page).
    pub notes: Vec<String>,
    /// Documents referenced by pairs and families.
    pub docs: Vec<ReportDoc>,
    /// Related pairs.
    pub pairs: Vec<ReportPair>,
    /// Story families, largest first.
    pub families: Vec<ReportFamily>,
}

/// JSON safe inside a `<script>` element: `<`, `>`, `&` and line separators escaped.
fn script_json(report: &Report) -> String {
    let s = serde_json::to_string(report).unwrap_or_else(|_| "{}".to_string());
    let mut o = String::with_capacity(s.len() + s.len() / 16);
    for c in s.chars() {
        match c {
            '<' => o.push_str("\\u003c"),
            '>' => o.push_str("\\u003e"),
            '&' => o.push_str("\\u0026"),
            '\u{2028}' => o.push_str("\\u2028"),
            '\u{2029}' => o.push_str("\\u2029"),
            c => o.push(c),
        }
    }
    o
}

/// The complete, self-contained report page.
pub fn render(report: &Report) -> String {
    let mut o = String::new();
    o.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    o.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    o.push_str(&format!("<title>{}</title>\n", escape(&report.title)));
    o.push_str(&format!(
        "<style>\n{CSS}\n{REPORT_CSS}\n</style>\n</head>\n<body>\n"
    ));
    o.push_str(&format!(
        "<header class=\"rp-head\"><h1>{}</h1><dl class=\"rp-sum\">",
        escape(&report.title)
    ));
    for (k, v) in &report.summary {
        o.push_str(&format!(
            "<div><dt>{}</dt><dd>{}</dd></div>",
            escape(k),
            escape(v)
        ));
    }
    o.push_str("</dl></header>\n");
    for n in &report.notes {
        o.push_str(&format!("<p class=\"rp-note\">{}</p>\n", escape(n)));
    }
    o.push_str(
        "<nav class=\"rp-tabs\"><button data-tab=\"families\" class=\"on\">Families</button>\
         <button data-tab=\"pairs\">Pairs</button>\
         <input id=\"rp-filter\" type=\"search\" placeholder=\"filter by id or relation\"></nav>\n\
         <main><section id=\"rp-families\"></section><section id=\"rp-pairs\" hidden></section></main>\n\
         <div id=\"rp-view\" hidden><div class=\"rp-viewbar\"><button id=\"rp-close\">close</button>\
         <span id=\"rp-viewtitle\"></span></div>",
    );
    o.push_str(&legend());
    o.push_str("<div id=\"rp-viewbody\"></div></div>\n");
    o.push_str("<script type=\"application/json\" id=\"rp-data\">");
    o.push_str(&script_json(report));
    o.push_str("</script>\n");
    o.push_str(&format!(
        "<script>\n{JS}\n{REPORT_JS}\n</script>\n</body>\n</html>\n"
    ));
    o
}

const REPORT_CSS: &str = r#"
body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: #1f2328; background: #f6f8fa; }
.rp-head { padding: 12px 20px; background: #24292f; color: #fff; display: flex; gap: 24px; align-items: center; flex-wrap: wrap; }
.rp-head h1 { margin: 0; font-size: 20px; }
.rp-sum { display: flex; gap: 18px; margin: 0; }
.rp-sum div { display: flex; gap: 6px; } .rp-sum dt { opacity: .7; } .rp-sum dd { margin: 0; font-weight: 700; }
.rp-note { margin: 8px 20px; padding: 8px 12px; background: #fff8c5; border: 1px solid #d4a72c; border-radius: 6px; }
.rp-tabs { display: flex; gap: 8px; padding: 10px 20px; align-items: center; }
.rp-tabs button { border: 1px solid #d0d7de; background: #fff; border-radius: 6px; padding: 4px 12px; cursor: pointer; }
.rp-tabs button.on { background: #0969da; color: #fff; border-color: #0969da; }
#rp-filter { margin-left: auto; padding: 4px 8px; min-width: 260px; }
main { padding: 0 20px 20px; }
.rp-fam { background: #fff; border: 1px solid #d0d7de; border-radius: 8px; margin: 8px 0; padding: 8px 12px; }
.rp-fam h3 { margin: 0 0 6px; font-size: 15px; }
.rp-edge { display: flex; gap: 8px; align-items: baseline; padding: 2px 0; font-size: 13px; }
.rp-rel { border-radius: 10px; padding: 0 8px; font-size: 12px; background: #ddf4ff; }
.rp-rel.duplicate { background: #ffebe9; } .rp-rel.near-duplicate { background: #fff1e5; }
.rp-rel.rewrite { background: #fbefff; } .rp-rel.partial { background: #ddf4ff; } .rp-rel.same-story { background: #eaeef2; }
a.rp-open { cursor: pointer; color: #0969da; text-decoration: underline; }
table.rp-table { border-collapse: collapse; width: 100%; background: #fff; font-size: 13px; }
.rp-table th, .rp-table td { border-bottom: 1px solid #d0d7de; padding: 4px 8px; text-align: left; }
.rp-more { margin: 10px 0; }
#rp-view { position: fixed; inset: 0; background: #f6f8fa; overflow: auto; padding: 10px 20px; }
.rp-viewbar { display: flex; gap: 12px; align-items: center; margin-bottom: 8px; }
.rp-muted { color: #57606a; }
.rp-graph { overflow-x: auto; margin: 4px 0 8px; }
"#;

const REPORT_JS: &str = r#"
(function () {
  var D = JSON.parse(document.getElementById('rp-data').textContent);
  var PAGE = 100, famShown = PAGE, pairShown = PAGE, filter = '';
  function el(tag, cls, text) { var e = document.createElement(tag); if (cls) e.className = cls; if (text != null) e.textContent = text; return e; }
  function doc(i) { return D.docs[i] || { id: '?' }; }
  function rel(r) { return el('span', 'rp-rel ' + r, r); }
  function openLink(p) {
    var pr = D.pairs[p];
    if (!pr) return el('span', 'rp-muted', '(not listed)');
    if (!pr.fragment) return el('span', 'rp-muted', 'no view embedded (see pairs.jsonl)');
    var a = el('a', 'rp-open', 'open side by side'); a.setAttribute('data-pair', p); return a;
  }
  function matches(ids, rels) {
    if (!filter) return true;
    return ids.concat(rels).some(function (s) { return String(s).toLowerCase().indexOf(filter) >= 0; });
  }
  function renderFamilies() {
    var box = document.getElementById('rp-families'); box.textContent = '';
    var list = D.families.filter(function (f) {
      return matches(f.members.map(function (m) { return doc(m).id; }), f.edges.map(function (e) { return e.relation; }));
    });
    if (!list.length) box.appendChild(el('p', 'rp-muted', 'No family.'));
    list.slice(0, famShown).forEach(function (f) {
      var d = el('div', 'rp-fam');
      d.appendChild(el('h3', null, 'Family ' + f.id + ' — ' + f.size + ' documents, ' + f.edge_count + ' edges, root ' + doc(f.root).id));
      if (f.graph) { var g = el('div', 'rp-graph'); g.innerHTML = f.graph; d.appendChild(g); }
      if (f.edges.length < f.edge_count) d.appendChild(el('p', 'rp-muted', 'showing ' + f.edges.length + ' of ' + f.edge_count + ' edges (all in families.jsonl)'));
      f.edges.forEach(function (e) {
        var r = el('div', 'rp-edge');
        r.appendChild(el('span', null, doc(e.source).id + ' → ' + doc(e.copy).id));
        r.appendChild(rel(e.relation));
        r.appendChild(el('span', 'rp-muted', 'score ' + e.score.toFixed(2)));
        if (e.pair != null) r.appendChild(openLink(e.pair));
        d.appendChild(r);
      });
      if (f.link_count) d.appendChild(el('p', 'rp-muted', 'partial reuse linking other families' + (f.links.length < f.link_count ? ' (showing ' + f.links.length + ' of ' + f.link_count + ', all in families.jsonl)' : '') + ':'));
      f.links.forEach(function (l) {
        var r = el('div', 'rp-edge');
        r.appendChild(el('span', null, doc(l.doc).id + ' ↔ ' + doc(l.other).id + (l.family ? ' (family ' + l.family + ')' : '')));
        r.appendChild(rel('partial'));
        r.appendChild(el('span', 'rp-muted', 'score ' + l.score.toFixed(2)));
        if (l.pair != null) r.appendChild(openLink(l.pair));
        d.appendChild(r);
      });
      box.appendChild(d);
    });
    more(box, list.length, famShown, function () { famShown += PAGE; renderFamilies(); });
  }
  function renderPairs() {
    var box = document.getElementById('rp-pairs'); box.textContent = '';
    var idx = [];
    D.pairs.forEach(function (p, i) { if (matches([doc(p.a).id, doc(p.b).id], [p.relation])) idx.push(i); });
    var t = el('table', 'rp-table'), h = el('tr');
    ['A', 'B', 'relation', 'score', 'source', ''].forEach(function (x) { h.appendChild(el('th', null, x)); });
    t.appendChild(h);
    idx.slice(0, pairShown).forEach(function (i) {
      var p = D.pairs[i], r = el('tr');
      r.appendChild(el('td', null, doc(p.a).id)); r.appendChild(el('td', null, doc(p.b).id));
      var c = el('td'); c.appendChild(rel(p.relation)); r.appendChild(c);
      r.appendChild(el('td', null, p.score.toFixed(2)));
      r.appendChild(el('td', null, p.source ? doc(p.source === 'a' ? p.a : p.b).id + ' (' + p.confidence.toFixed(2) + ')' : 'unknown'));
      var o = el('td'); o.appendChild(openLink(i)); r.appendChild(o);
      t.appendChild(r);
    });
    box.appendChild(t);
    more(box, idx.length, pairShown, function () { pairShown += PAGE; renderPairs(); });
  }
  function more(box, total, shown, fn) {
    if (total <= shown) return;
    var b = el('button', 'rp-more', 'show more (' + (total - shown) + ' left)');
    b.onclick = fn; box.appendChild(b);
  }
  function openPair(i) {
    var p = D.pairs[i];
    if (!p || !p.fragment) return;
    document.getElementById('rp-viewtitle').textContent = doc(p.a).id + ' ↔ ' + doc(p.b).id + ' — ' + p.relation + ' ' + p.score.toFixed(2);
    document.getElementById('rp-viewbody').innerHTML = p.fragment;
    document.getElementById('rp-view').hidden = false;
  }
  document.addEventListener('click', function (ev) {
    var t = ev.target;
    if (t.getAttribute && t.getAttribute('data-pair') != null) { openPair(+t.getAttribute('data-pair')); return; }
    if (t.id === 'rp-close') { document.getElementById('rp-view').hidden = true; document.getElementById('rp-viewbody').textContent = ''; return; }
    var tab = t.getAttribute && t.getAttribute('data-tab');
    if (tab) {
      document.querySelectorAll('.rp-tabs button').forEach(function (b) { b.classList.toggle('on', b === t); });
      document.getElementById('rp-families').hidden = tab !== 'families';
      document.getElementById('rp-pairs').hidden = tab !== 'pairs';
    }
  });
  document.getElementById('rp-filter').addEventListener('input', function (ev) {
    filter = ev.target.value.trim().toLowerCase(); famShown = PAGE; pairShown = PAGE; renderFamilies(); renderPairs();
  });
  renderFamilies(); renderPairs();
})();
"#;

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Report {
        Report {
            title: "scan <test>".into(),
            summary: vec![("documents".into(), "3".into())],
            notes: vec!["only 1 of 2 pairs embedded".into()],
            docs: vec![
                ReportDoc {
                    id: "a</script>".into(),
                    date: None,
                    source: None,
                    len: 10,
                    encoding: None,
                },
                ReportDoc {
                    id: "b".into(),
                    date: Some(5),
                    source: Some("X".into()),
                    len: 12,
                    encoding: None,
                },
            ],
            pairs: vec![ReportPair {
                a: 0,
                b: 1,
                relation: "rewrite".into(),
                score: 0.7,
                source: Some("a".into()),
                confidence: 0.8,
                fragment: Some("<div class=\"stm-cmp\">x</div>".into()),
            }],
            families: vec![ReportFamily {
                id: 1,
                size: 2,
                edge_count: 1,
                members: vec![0, 1],
                root: 0,
                edges: vec![ReportEdge {
                    source: 0,
                    copy: 1,
                    relation: "rewrite".into(),
                    score: 0.7,
                    pair: Some(0),
                }],
                link_count: 1,
                links: vec![ReportLink {
                    doc: 1,
                    other: 0,
                    family: Some(2),
                    score: 0.4,
                    pair: None,
                }],
                graph: Some("<svg class=\"stm-graph\"></svg>".into()),
            }],
        }
    }

    #[test]
    fn page_embeds_data_safely_and_loads_nothing() {
        let html = render(&sample());
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert!(html.contains("scan &lt;test&gt;"));
        assert!(html.contains("only 1 of 2 pairs embedded"));
        // The id with `</script>` cannot end the data block early.
        assert!(!html.contains("a</script>"));
        let start = html.find("id=\"rp-data\">").unwrap() + "id=\"rp-data\">".len();
        let end = start + html[start..].find("</script>").unwrap();
        let back: serde_json::Value = serde_json::from_str(&html[start..end]).unwrap();
        assert_eq!(back["docs"][0]["id"], "a</script>");
        assert_eq!(back["families"][0]["links"][0]["family"], 2);
        assert_eq!(
            back["pairs"][0]["fragment"],
            "<div class=\"stm-cmp\">x</div>"
        );
        for bad in ["src=\"http", "href=\"http", "url(http", "@import"] {
            assert!(!html.contains(bad), "{bad}");
        }
    }
}
