//! HTML report escaping: an escaped string holds no markup character and reads back as
//! the input; a whole report of two arbitrary texts holds only the page's own tags, and
//! one script.
#![no_main]

use libfuzzer_sys::fuzz_target;
use reprint::{Comparer, Document, HtmlSink, ReportSink};

/// The tags the HTML sink writes itself.
const TAGS: &[&str] = &[
    "!doctype", "a", "b", "body", "div", "h1", "h2", "head", "header", "html", "li", "main",
    "meta", "p", "script", "section", "span", "style", "table", "tbody", "td", "th", "thead",
    "title", "tr", "ul",
];

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let escaped = reprint::fuzzing::html_escape(&text);
    assert!(!escaped.contains(['<', '>', '"', '\'']));
    assert_eq!(unescape(&escaped), text);

    let cut = text.find('|').unwrap_or(text.len() / 2);
    let cut = (0..=cut).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
    let (a, b) = text.split_at(cut);
    // The ids are user text too (file names).
    let (Ok(da), Ok(db)) = (
        Document::from_bytes(b.chars().take(40).collect::<String>(), a.as_bytes()),
        Document::from_bytes(a.chars().take(40).collect::<String>(), b.as_bytes()),
    ) else {
        return;
    };
    let c = Comparer::default().compare(&da, &db);
    let mut page = Vec::new();
    HtmlSink::new(&mut page).write(&c, &da, &db).expect("HTML to memory");
    let page = String::from_utf8(page).expect("UTF-8 page");
    // Outside the page's style and script, every '<' opens one of the page's own tags.
    let body = page.split("</script>").next().unwrap_or("");
    let style_end = body.find("</style>").map_or(0, |i| i + 8);
    let script_start = body.rfind("<script>").unwrap_or(body.len());
    for (i, _) in body[style_end..script_start].match_indices('<') {
        let rest = &body[style_end + i + 1..];
        let name: String = rest
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '!')
            .collect::<String>()
            .to_ascii_lowercase();
        assert!(TAGS.contains(&name.as_str()), "unexpected tag <{name} in the page");
    }
    assert_eq!(page.matches("<script").count(), 1);
});
