//! A family's derivation graph drawn as one self-contained SVG: documents placed by date on
//! the x axis (undated ones in a column of their own at the right), each edge an arrow from
//! source to copy labelled with its relation. The server's web page and the scan report both
//! draw families with [`svg`], so they look the same.
//!
//! Layout: a document's x is proportional to its date between the family's first and last
//! date; documents that would overlap go to the next free lane below. Nothing is computed
//! about the family here: the caller gives the nodes and edges.

use std::fmt::Write as _;

use crate::html::escape;

/// A document of the graph.
#[derive(Debug, Clone, PartialEq)]
pub struct GraphNode {
    /// Shown in the box (the document id).
    pub label: String,
    /// Shown on hover, with the date.
    pub title: Option<String>,
    /// Publication time (seconds since the Unix epoch), if known.
    pub date: Option<i64>,
}

/// A `source → copy` edge.
#[derive(Debug, Clone, PartialEq)]
pub struct GraphEdge {
    /// Index of the source in [`Graph::nodes`].
    pub source: usize,
    /// Index of the copy in [`Graph::nodes`].
    pub copy: usize,
    /// Relation name (`near-duplicate`, `rewrite`, …): the label and the color.
    pub relation: String,
    /// Relation score, shown on hover.
    pub score: f64,
    /// One `data-NAME="VALUE"` attribute put on the edge's group and label (NAME keeps only
    /// `[a-z0-9-]`), so a page script can open the pair when it is clicked.
    pub data: Option<(String, String)>,
}

/// The nodes and edges to draw.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Graph {
    /// Documents.
    pub nodes: Vec<GraphNode>,
    /// Edges (an edge naming a node that does not exist is skipped).
    pub edges: Vec<GraphEdge>,
}

const NODE_W: f64 = 128.0;
const NODE_H: f64 = 26.0;
const LANE_H: f64 = 58.0;
const MARGIN: f64 = 24.0;
const GAP: f64 = 12.0;

/// Color of a relation's edges.
fn color(relation: &str) -> &'static str {
    match relation {
        "duplicate" => "#cf222e",
        "near-duplicate" => "#bc4c00",
        "rewrite" => "#8250df",
        "partial" => "#0969da",
        _ => "#57606a",
    }
}

fn short(label: &str, max: usize) -> String {
    if label.chars().count() <= max {
        label.to_string()
    } else {
        let s: String = label.chars().take(max - 1).collect();
        format!("{s}…")
    }
}

/// `YYYY-MM-DD` of a date; with `HH:MM` when `precise`.
fn day(secs: i64, precise: bool) -> String {
    let iso = stemma_compare::format_date(secs);
    if precise {
        format!("{} {}", &iso[..10], &iso[11..16])
    } else {
        iso[..10].to_string()
    }
}

/// Node x positions (left edges): dated by date, undated after them in reading order.
fn x_positions(nodes: &[GraphNode]) -> (Vec<f64>, f64, Option<(i64, i64, f64)>) {
    let dated: Vec<i64> = nodes.iter().filter_map(|n| n.date).collect();
    let n_dated = dated.len();
    let span_w = (n_dated.max(2) as f64 * (NODE_W * 1.2)).clamp(NODE_W * 2.0, 1100.0);
    let (lo, hi) = (
        dated.iter().copied().min().unwrap_or(0),
        dated.iter().copied().max().unwrap_or(0),
    );
    let mut xs = vec![0.0; nodes.len()];
    let mut undated_x = MARGIN;
    let axis = if n_dated > 0 {
        undated_x = MARGIN + span_w + NODE_W + 3.0 * GAP;
        Some((lo, hi, span_w))
    } else {
        None
    };
    let mut k = 0usize;
    for (i, n) in nodes.iter().enumerate() {
        xs[i] = match n.date {
            Some(d) if hi > lo => MARGIN + (d - lo) as f64 / (hi - lo) as f64 * span_w,
            Some(_) => MARGIN + span_w / 2.0,
            None => {
                k += 1;
                undated_x + ((k - 1) % 3) as f64 * (NODE_W + GAP)
            }
        };
    }
    let has_undated = nodes.iter().any(|n| n.date.is_none());
    let width = if has_undated {
        undated_x + 3.0 * (NODE_W + GAP) + MARGIN
    } else {
        MARGIN + span_w + NODE_W + MARGIN
    };
    (xs, width, axis)
}

/// The graph as an `<svg>` element (inline it in HTML or serve it as `image/svg+xml`).
pub fn svg(graph: &Graph) -> String {
    let nodes = &graph.nodes;
    let (xs, width, axis) = x_positions(nodes);
    // Lanes: in order of x, each node takes the first lane where it does not overlap.
    let mut order: Vec<usize> = (0..nodes.len()).collect();
    order.sort_by(|&a, &b| xs[a].total_cmp(&xs[b]).then(a.cmp(&b)));
    let mut lane_end: Vec<f64> = Vec::new();
    let mut lane = vec![0usize; nodes.len()];
    for &i in &order {
        let l = lane_end
            .iter()
            .position(|&end| end + GAP <= xs[i])
            .unwrap_or(lane_end.len());
        if l == lane_end.len() {
            lane_end.push(0.0);
        }
        lane_end[l] = xs[i] + NODE_W;
        lane[i] = l;
    }
    let lanes = lane_end.len().max(1);
    let top = MARGIN + 6.0;
    let y = |i: usize| top + lane[i] as f64 * LANE_H;
    let axis_y = top + (lanes as f64 - 1.0) * LANE_H + NODE_H + 26.0;
    let height = axis_y + 30.0;
    let center = |i: usize| (xs[i] + NODE_W / 2.0, y(i) + NODE_H / 2.0);

    let mut o = String::new();
    let _ = write!(
        o,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"stm-graph\" width=\"{width:.0}\" \
         height=\"{height:.0}\" viewBox=\"0 0 {width:.0} {height:.0}\" role=\"img\" \
         font-family=\"system-ui, 'DejaVu Sans', sans-serif\" font-size=\"12\">"
    );
    let _ = write!(
        o,
        "<title>derivation graph: {} documents, {} edges</title>",
        nodes.len(),
        graph.edges.len()
    );
    // Axis.
    if let Some((lo, hi, span_w)) = axis {
        let x0 = MARGIN + NODE_W / 2.0;
        let _ = write!(
            o,
            "<g class=\"stm-axis\" stroke=\"#8c959f\"><line x1=\"{x0:.1}\" y1=\"{axis_y:.1}\" x2=\"{:.1}\" y2=\"{axis_y:.1}\"/></g>",
            x0 + span_w
        );
        let precise = hi - lo < 3 * 86_400;
        let ticks: Vec<i64> = if hi > lo {
            vec![lo, lo + (hi - lo) / 2, hi]
        } else {
            vec![lo]
        };
        for t in ticks {
            let x = match hi > lo {
                true => x0 + (t - lo) as f64 / (hi - lo) as f64 * span_w,
                false => x0 + span_w / 2.0,
            };
            let _ = write!(
                o,
                "<line x1=\"{x:.1}\" y1=\"{:.1}\" x2=\"{x:.1}\" y2=\"{:.1}\" stroke=\"#8c959f\"/>\
                 <text x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"#57606a\">{}</text>",
                axis_y - 4.0,
                axis_y + 4.0,
                axis_y + 18.0,
                day(t, precise)
            );
        }
    }
    if nodes.iter().any(|n| n.date.is_none()) {
        let ux = xs
            .iter()
            .zip(nodes)
            .filter(|(_, n)| n.date.is_none())
            .map(|(x, _)| *x)
            .fold(f64::INFINITY, f64::min);
        let _ = write!(
            o,
            "<text x=\"{ux:.1}\" y=\"{:.1}\" fill=\"#57606a\">undated</text>",
            axis_y + 18.0
        );
    }
    // Edges, under the nodes.
    for e in &graph.edges {
        if e.source >= nodes.len() || e.copy >= nodes.len() || e.source == e.copy {
            continue;
        }
        let ((x1, y1), (x2, y2)) = (center(e.source), center(e.copy));
        let (dx, dy) = (x2 - x1, y2 - y1);
        let len = (dx * dx + dy * dy).sqrt().max(1e-6);
        let clip = |ux: f64, uy: f64| {
            let tx = if ux.abs() > 1e-9 {
                (NODE_W / 2.0 + 2.0) / ux.abs()
            } else {
                f64::INFINITY
            };
            let ty = if uy.abs() > 1e-9 {
                (NODE_H / 2.0 + 2.0) / uy.abs()
            } else {
                f64::INFINITY
            };
            tx.min(ty)
        };
        let (ux, uy) = (dx / len, dy / len);
        let t = clip(ux, uy).min(len / 2.0);
        let (sx, sy) = (x1 + ux * t, y1 + uy * t);
        let (ex, ey) = (x2 - ux * t, y2 - uy * t);
        let c = color(&e.relation);
        let data = match &e.data {
            Some((k, v)) => {
                let k: String = k
                    .chars()
                    .filter(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-')
                    .collect();
                format!(" data-{k}=\"{}\"", escape(v))
            }
            None => String::new(),
        };
        let (from, to) = (&nodes[e.source].label, &nodes[e.copy].label);
        let _ = write!(
            o,
            "<g class=\"stm-edge\"{data}><title>{} → {}: {} {:.2}</title>\
             <line x1=\"{sx:.1}\" y1=\"{sy:.1}\" x2=\"{ex:.1}\" y2=\"{ey:.1}\" stroke=\"{c}\" stroke-width=\"2\"/>",
            escape(from),
            escape(to),
            escape(&e.relation),
            e.score
        );
        // Arrowhead at the copy.
        let (px, py) = (-uy, ux);
        let (bx, by) = (ex - ux * 9.0, ey - uy * 9.0);
        let _ = write!(
            o,
            "<polygon points=\"{ex:.1},{ey:.1} {:.1},{:.1} {:.1},{:.1}\" fill=\"{c}\"/>",
            bx + px * 4.5,
            by + py * 4.5,
            bx - px * 4.5,
            by - py * 4.5
        );
        let (mx, my) = ((sx + ex) / 2.0, (sy + ey) / 2.0 - 4.0);
        let _ = write!(
            o,
            "<text class=\"stm-edge-label\"{data} x=\"{mx:.1}\" y=\"{my:.1}\" text-anchor=\"middle\" \
             fill=\"{c}\" font-size=\"11\" paint-order=\"stroke\" stroke=\"#fff\" stroke-width=\"3\" \
             style=\"cursor:pointer\">{}</text></g>",
            escape(&e.relation)
        );
    }
    // Nodes.
    let has_parent: Vec<bool> = (0..nodes.len())
        .map(|i| graph.edges.iter().any(|e| e.copy == i && e.source != i))
        .collect();
    for (i, n) in nodes.iter().enumerate() {
        let (x, yy) = (xs[i], y(i));
        let root = !has_parent[i];
        let mut tip = n.label.clone();
        if let Some(t) = &n.title {
            tip.push_str(" — ");
            tip.push_str(t);
        }
        match n.date {
            Some(d) => {
                tip.push_str(" (");
                tip.push_str(&day(d, true));
                tip.push(')');
            }
            None => tip.push_str(" (undated)"),
        }
        let _ = write!(
            o,
            "<g class=\"stm-node{}\" data-doc=\"{}\"><title>{}</title>\
             <rect x=\"{x:.1}\" y=\"{yy:.1}\" width=\"{NODE_W}\" height=\"{NODE_H}\" rx=\"6\" \
             fill=\"{}\" stroke=\"{}\" stroke-width=\"1.5\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"#1f2328\">{}</text></g>",
            if root { " stm-root" } else { "" },
            escape(&n.label),
            escape(&tip),
            if root { "#dafbe1" } else { "#ffffff" },
            if root { "#1a7f37" } else { "#8c959f" },
            x + NODE_W / 2.0,
            yy + NODE_H / 2.0 + 4.0,
            escape(&short(&n.label, 18))
        );
    }
    o.push_str("</svg>");
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(label: &str, date: Option<i64>) -> GraphNode {
        GraphNode {
            label: label.into(),
            title: None,
            date,
        }
    }

    fn edge(source: usize, copy: usize, relation: &str) -> GraphEdge {
        GraphEdge {
            source,
            copy,
            relation: relation.into(),
            score: 0.8,
            data: Some(("pair".into(), format!("{source}-{copy}"))),
        }
    }

    /// The x of each node's box, read back from the SVG, by label.
    fn node_x(svg: &str, label: &str) -> f64 {
        let at = svg.find(&format!("data-doc=\"{label}\"")).unwrap();
        let rest = &svg[at..];
        let x = rest.find("<rect x=\"").unwrap() + 9;
        rest[x..x + rest[x..].find('"').unwrap()].parse().unwrap()
    }

    #[test]
    fn documents_are_placed_by_date_and_edges_labelled() {
        let day = 86_400;
        let g = Graph {
            nodes: vec![
                node("late", Some(10 * day)),
                node("early", Some(0)),
                node("mid", Some(5 * day)),
                node("nodate", None),
            ],
            edges: vec![
                edge(1, 2, "rewrite"),
                edge(2, 0, "near-duplicate"),
                edge(1, 3, "partial"),
            ],
        };
        let s = svg(&g);
        assert!(s.starts_with("<svg") && s.ends_with("</svg>"));
        let (e, m, l, u) = (
            node_x(&s, "early"),
            node_x(&s, "mid"),
            node_x(&s, "late"),
            node_x(&s, "nodate"),
        );
        assert!(e < m && m < l && l < u, "{e} {m} {l} {u}");
        // Mid is halfway between early and late.
        assert!(((m - e) - (l - m)).abs() < 1.0);
        assert_eq!(s.matches("class=\"stm-edge\"").count(), 3);
        assert!(s.contains(">rewrite</text>") && s.contains(">near-duplicate</text>"));
        assert!(s.contains("data-pair=\"1-2\""));
        assert!(s.contains("1970-01-01") && s.contains("1970-01-11"));
        assert!(s.contains(">undated</text>"));
        // Only the root (no parent) is marked as such.
        assert_eq!(s.matches("stm-root").count(), 1);
        assert!(s.contains("class=\"stm-node stm-root\" data-doc=\"early\""));
    }

    #[test]
    fn same_date_documents_do_not_overlap_and_text_is_escaped() {
        let g = Graph {
            nodes: vec![
                node("<a>", Some(100)),
                node("b&", Some(100)),
                node("c", Some(100)),
            ],
            edges: vec![edge(0, 1, "duplicate"), edge(0, 9, "rewrite")],
        };
        let s = svg(&g);
        assert!(s.contains("&lt;a&gt;") && s.contains("b&amp;"));
        assert!(!s.contains("<a>"));
        // Three lanes: the boxes have distinct y.
        let ys: std::collections::HashSet<&str> = s
            .split("<rect x=\"")
            .skip(1)
            .map(|r| r.split("y=\"").nth(1).unwrap().split('"').next().unwrap())
            .collect();
        assert_eq!(ys.len(), 3);
        // The edge to a missing node is skipped.
        assert_eq!(s.matches("class=\"stm-edge\"").count(), 1);
    }
}
