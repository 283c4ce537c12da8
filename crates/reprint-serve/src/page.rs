//! The web page: one HTML file, its script and its style sheet, compiled into the binary
//! (nothing is fetched from elsewhere, so it works offline). The script inserts every piece
//! of document text as text (`textContent`, text nodes), never as markup.

use axum::http::header;
use axum::response::IntoResponse;

const HTML: &str = include_str!("../assets/index.html");
const SCRIPT: &str = include_str!("../assets/app.js");
const STYLE: &str = include_str!("../assets/app.css");

/// `GET /`.
pub(crate) async fn index() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], HTML)
}

/// `GET /assets/app.js`.
pub(crate) async fn script() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        SCRIPT,
    )
}

/// `GET /assets/app.css`.
pub(crate) async fn style() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], STYLE)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Document text reaches the page only through text nodes: the script never parses
    /// markup from strings.
    #[test]
    fn the_script_never_inserts_markup() {
        for sink in [
            "innerHTML",
            "outerHTML",
            "insertAdjacentHTML",
            "document.write",
            "DOMParser",
            "createContextualFragment",
            "eval(",
            "new Function",
        ] {
            assert!(!SCRIPT.contains(sink), "app.js uses {sink}");
        }
    }

    /// Nothing is fetched from another origin: no URL with a scheme or `//` host in the page.
    #[test]
    fn the_page_is_self_contained() {
        for asset in [HTML, SCRIPT, STYLE] {
            // The SVG namespace is a name, not a fetch.
            let asset = asset.replace("http://www.w3.org/2000/svg", "");
            assert!(!asset.contains("http://") && !asset.contains("https://"));
            assert!(!asset.contains("src=\"//") && !asset.contains("href=\"//"));
        }
        assert!(HTML.contains("/assets/app.js") && HTML.contains("/assets/app.css"));
    }
}
