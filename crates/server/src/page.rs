//! The web page at `/`: check a pasted or uploaded article, browse indexed documents and
//! families (the derivation graph drawn as SVG by `stemma_render::graph`), open any pair side
//! by side (`/view/compare`, the compare HTML view). One HTML file with its CSS and script
//! inline, compiled into the binary: the page loads nothing from the network.

/// The page (`src/page.html`).
pub const INDEX_HTML: &str = include_str!("page.html");

#[cfg(test)]
mod tests {
    use super::INDEX_HTML;

    #[test]
    fn page_loads_nothing_from_the_network() {
        for bad in ["src=\"http", "href=\"http", "url(http", "@import", "//cdn"] {
            assert!(!INDEX_HTML.contains(bad), "{bad}");
        }
        for id in [
            "id=\"text\"",
            "id=\"check\"",
            "id=\"results\"",
            "id=\"view-frame\"",
        ] {
            assert!(INDEX_HTML.contains(id), "{id}");
        }
    }
}
