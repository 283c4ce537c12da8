//! Reports: a [`Comparison`] pushed into a sink that writes it as JSON, as a
//! terminal report, or as a side-by-side HTML page.

use std::fmt::Write as _;
use std::io::{self, Write};

use crate::changes::{ChangeKind, EditOp};
use crate::compare::{AlignKind, Alignment, Comparison, Source};
use crate::document::Document;
use crate::error::{Error, Result};
use crate::span::Span;
use crate::terminal::terminal_safe;

/// Where a comparison report goes.
///
/// The documents are needed for their text: a [`Comparison`] holds spans and
/// sentence indices into them, not the texts themselves. Give the same
/// documents the comparison was made from, in the same order.
///
/// ```
/// use reprint::{Comparer, Document, ReportSink, TextSink};
///
/// let a = Document::from_text("a.txt", "Officials closed three bridges on Monday.");
/// let b = Document::from_text("b.txt", "Officials closed four bridges on Monday.");
/// let c = Comparer::default().compare(&a, &b);
/// let mut sink = TextSink::new(Vec::new());
/// sink.write(&c, &a, &b)?;
/// let report = String::from_utf8(sink.into_inner()).expect("the report is UTF-8");
/// assert!(report.contains("number changed"));
/// # Ok::<(), reprint::Error>(())
/// ```
pub trait ReportSink {
    /// Writes the report of `c`, the comparison of `a` with `b`.
    ///
    /// Fails if writing fails, or if the documents are not those `c` was
    /// made from.
    fn write(&mut self, c: &Comparison, a: &Document, b: &Document) -> Result<()>;
}

/// Writes the [`Comparison`] as pretty-printed JSON (the documented schema),
/// followed by a newline. The documents are only checked, not written.
#[derive(Debug)]
pub struct JsonSink<W> {
    out: W,
}

impl<W: Write> JsonSink<W> {
    /// A sink writing to `out`.
    pub fn new(out: W) -> JsonSink<W> {
        JsonSink { out }
    }

    /// The writer back.
    pub fn into_inner(self) -> W {
        self.out
    }
}

impl<W: Write> ReportSink for JsonSink<W> {
    fn write(&mut self, c: &Comparison, a: &Document, b: &Document) -> Result<()> {
        check(c, a, b)?;
        let io = |e| io_error("JSON report", e);
        serde_json::to_writer_pretty(&mut self.out, c).map_err(|e| io(e.into()))?;
        self.out.write_all(b"\n").map_err(io)?;
        self.out.flush().map_err(io)
    }
}

/// Writes a readable terminal report: the verdict and direction, then each
/// alignment with both sentences and their word edits marked, the facts
/// that changed under it, and the sentences only one text has.
///
/// Without colour, words of A that the rewrite dropped or replaced are shown
/// as `[-words-]` and words B brought in as `{+words+}`; with colour they are
/// red and green instead.
#[derive(Debug)]
pub struct TextSink<W> {
    out: W,
    color: bool,
    width: usize,
}

impl<W: Write> TextSink<W> {
    /// A sink writing to `out`, without colour, wrapping at 100 columns.
    pub fn new(out: W) -> TextSink<W> {
        TextSink {
            out,
            color: false,
            width: 100,
        }
    }

    /// Whether to use ANSI colours (for a terminal).
    pub fn color(mut self, on: bool) -> TextSink<W> {
        self.color = on;
        self
    }

    /// The width to wrap text at, in columns (at least 40).
    pub fn width(mut self, columns: usize) -> TextSink<W> {
        self.width = columns.max(40);
        self
    }

    /// The writer back.
    pub fn into_inner(self) -> W {
        self.out
    }
}

impl<W: Write> ReportSink for TextSink<W> {
    fn write(&mut self, c: &Comparison, a: &Document, b: &Document) -> Result<()> {
        check(c, a, b)?;
        let mut s = String::new();
        let p = Paint { on: self.color };
        // Writing into a String cannot fail.
        let _ = text_report(&mut s, c, a, b, p, self.width);
        let io = |e| io_error("text report", e);
        self.out.write_all(s.as_bytes()).map_err(io)?;
        self.out.flush().map_err(io)
    }
}

/// Writes one self-contained HTML page (inline CSS and script, no external
/// resources): a header with the verdict, direction and a table of the facts
/// that changed, then A and B side by side in their original form, aligned
/// sentences tinted by kind and linked to their counterparts, word edits
/// marked, and sentences only one text has struck through.
#[derive(Debug)]
pub struct HtmlSink<W> {
    out: W,
}

impl<W: Write> HtmlSink<W> {
    /// A sink writing to `out`.
    pub fn new(out: W) -> HtmlSink<W> {
        HtmlSink { out }
    }

    /// The writer back.
    pub fn into_inner(self) -> W {
        self.out
    }
}

impl<W: Write> ReportSink for HtmlSink<W> {
    fn write(&mut self, c: &Comparison, a: &Document, b: &Document) -> Result<()> {
        check(c, a, b)?;
        let mut s = String::new();
        // Writing into a String cannot fail.
        let _ = html_page(&mut s, c, a, b);
        let io = |e| io_error("HTML report", e);
        self.out.write_all(s.as_bytes()).map_err(io)?;
        self.out.flush().map_err(io)
    }
}

fn io_error(what: &str, source: io::Error) -> Error {
    Error::Io {
        path: what.to_string(),
        source,
    }
}

/// Refuses documents the comparison was not made from (their spans and
/// sentence indices would point at the wrong text).
fn check(c: &Comparison, a: &Document, b: &Document) -> Result<()> {
    for (side, info, d) in [("A", &c.doc_a, a), ("B", &c.doc_b, b)] {
        if info.bytes != d.input_len() || info.sentences != d.sentences.len() {
            return Err(io_error(
                d.id(),
                io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!(
                        "not document {side} of the comparison being reported (that is {}, {} bytes, {} sentences)",
                        info.id, info.bytes, info.sentences
                    ),
                ),
            ));
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Shared vocabulary

/// The reasons of a verdict or a direction, as an HTML list (nothing when there are none).
fn reason_list(s: &mut String, reasons: &[String]) -> std::fmt::Result {
    if !reasons.is_empty() {
        s.push_str("<ul class=\"reasons\">\n");
        for r in reasons {
            writeln!(s, "<li>{}</li>", escape(r))?;
        }
        s.push_str("</ul>\n");
    }
    Ok(())
}

fn kind_name(k: AlignKind) -> &'static str {
    match k {
        AlignKind::Verbatim => "verbatim",
        AlignKind::NearVerbatim => "near-verbatim",
        AlignKind::Paraphrase => "paraphrase",
    }
}

/// The CSS class suffix of a kind (the JSON name).
fn kind_class(k: AlignKind) -> &'static str {
    match k {
        AlignKind::Verbatim => "verbatim",
        AlignKind::NearVerbatim => "near_verbatim",
        AlignKind::Paraphrase => "paraphrase",
    }
}

/// What a change did to its fact.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tone {
    Changed,
    Removed,
    Added,
    Kept,
}

impl Tone {
    fn word(self) -> &'static str {
        match self {
            Tone::Changed => "changed",
            Tone::Removed => "removed",
            Tone::Added => "added",
            Tone::Kept => "kept",
        }
    }
}

/// The fact a change concerns, and what happened to it.
fn describe(k: ChangeKind) -> (&'static str, Tone) {
    use ChangeKind::*;
    match k {
        NumberChanged => ("number", Tone::Changed),
        NumberRemoved => ("number", Tone::Removed),
        NumberAdded => ("number", Tone::Added),
        TimeChanged => ("time", Tone::Changed),
        TimeRemoved => ("time", Tone::Removed),
        TimeAdded => ("time", Tone::Added),
        NameChanged => ("name", Tone::Changed),
        NameRemoved => ("name", Tone::Removed),
        NameAdded => ("name", Tone::Added),
        QuoteKept => ("quote", Tone::Kept),
        QuoteAltered => ("quote", Tone::Changed),
        QuoteRemoved => ("quote", Tone::Removed),
        QuoteAdded => ("quote", Tone::Added),
        DatelineChanged => ("dateline", Tone::Changed),
        BylineChanged => ("byline", Tone::Changed),
        ClauseRemoved => ("clause", Tone::Removed),
        ClauseAdded => ("clause", Tone::Added),
        Omitted => ("sentence", Tone::Removed),
        Added => ("sentence", Tone::Added),
    }
}

fn percent(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

fn direction_text(c: &Comparison) -> String {
    let conf = c.direction.confidence;
    match c.direction.source {
        Source::A => format!("A is the source, B derives from it (confidence {conf:.2})"),
        Source::B => format!("B is the source, A derives from it (confidence {conf:.2})"),
        Source::Unknown => "unknown".to_string(),
    }
}

fn sentence_list(side: &str, idx: &[usize]) -> String {
    let list: Vec<String> = idx.iter().map(usize::to_string).collect();
    format!("{side}[{}]", list.join(","))
}

/// The alignment each sentence belongs to, per document.
fn owners(c: &Comparison, a: &Document, b: &Document) -> (Vec<Option<usize>>, Vec<Option<usize>>) {
    let mut oa = vec![None; a.sentences.len()];
    let mut ob = vec![None; b.sentences.len()];
    for (n, al) in c.alignments.iter().enumerate() {
        for &i in &al.a_sentences {
            if let Some(o) = oa.get_mut(i) {
                *o = Some(n);
            }
        }
        for &j in &al.b_sentences {
            if let Some(o) = ob.get_mut(j) {
                *o = Some(n);
            }
        }
    }
    (oa, ob)
}

/// Shortens `s` to at most `max` characters, ending with an ellipsis.
fn shorten(s: &str, max: usize) -> String {
    let s = collapse(s);
    if s.chars().count() <= max {
        return s;
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.truncate(out.trim_end().len());
    out.push('…');
    out
}

/// Whitespace runs become single spaces; the ends are trimmed. Every piece of document
/// text in the terminal report passes through here, so control characters left after that
/// (ESC, BEL, ...) are escaped too.
fn collapse(s: &str) -> String {
    let joined = s.split_whitespace().collect::<Vec<_>>().join(" ");
    terminal_safe(&joined).into_owned()
}

// ---------------------------------------------------------------------------
// Text

#[derive(Debug, Clone, Copy)]
struct Paint {
    on: bool,
}

const BOLD: &str = "1";
const DIM: &str = "2";
const RED: &str = "31";
const GREEN: &str = "32";
const YELLOW: &str = "33";
const CYAN: &str = "36";

impl Paint {
    fn paint(self, code: &str, s: &str) -> String {
        if self.on && !s.is_empty() {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }

    fn tone(self, t: Tone, s: &str) -> String {
        match t {
            Tone::Changed => self.paint(YELLOW, s),
            Tone::Removed => self.paint(RED, s),
            Tone::Added => self.paint(GREEN, s),
            Tone::Kept => self.paint(DIM, s),
        }
    }
}

/// Visible width: characters outside ANSI escape sequences.
fn visible_len(s: &str) -> usize {
    let mut n = 0;
    let mut in_escape = false;
    for ch in s.chars() {
        if in_escape {
            in_escape = ch != 'm';
        } else if ch == '\x1b' {
            in_escape = true;
        } else {
            n += 1;
        }
    }
    n
}

/// Wraps space-separated `text` (which may hold ANSI codes) at `width`
/// columns: the first line starts with `first`, the others with `rest`.
fn wrap(out: &mut String, first: &str, rest: &str, text: &str, width: usize) {
    let mut line = first.to_string();
    let mut len = visible_len(first);
    let indent = visible_len(rest);
    let mut empty = true;
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let w = visible_len(word);
        if !empty && len + 1 + w > width {
            out.push_str(line.trim_end());
            out.push('\n');
            line = rest.to_string();
            len = indent;
            empty = true;
        }
        if !empty {
            line.push(' ');
            len += 1;
        }
        line.push_str(word);
        len += w;
        empty = false;
    }
    out.push_str(line.trim_end());
    out.push('\n');
}

/// One side of an alignment as display text: its sentences' repaired text
/// joined by spaces, with the byte ranges covered by word edits.
fn side_view(d: &Document, sentences: &[usize], edits: &[Span]) -> (String, Vec<(usize, usize)>) {
    let mut text = String::new();
    let mut marks: Vec<(usize, usize)> = Vec::new();
    // Each token: its range in `text` and its original span.
    let mut toks: Vec<(usize, usize, Span)> = Vec::new();
    for &i in sentences {
        let Some(s) = d.sentences.get(i) else {
            continue;
        };
        if !text.is_empty() {
            text.push(' ');
        }
        let base = text.len();
        text.push_str(&d.text[s.start..s.end]);
        for k in s.tok_start..s.tok_end {
            let t = &d.tokens[k];
            toks.push((
                base + t.start as usize - s.start,
                base + t.end as usize - s.start,
                d.token_span(k, k + 1),
            ));
        }
    }
    for e in edits {
        let inside: Vec<&(usize, usize, Span)> = toks
            .iter()
            .filter(|t| t.2.start >= e.start && t.2.end <= e.end)
            .collect();
        if let (Some(f), Some(l)) = (inside.first(), inside.last()) {
            marks.push((f.0, l.1));
        }
    }
    marks.sort_unstable();
    // Join ranges separated by nothing but spaces.
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for m in marks {
        match merged.last_mut() {
            Some(last) if text[last.1.min(m.0)..m.0].trim().is_empty() => last.1 = last.1.max(m.1),
            _ => merged.push(m),
        }
    }
    (text, merged)
}

/// `text` with whitespace collapsed and the marked ranges shown: coloured
/// when painting, else between `open` and `close`.
fn marked(
    text: &str,
    marks: &[(usize, usize)],
    p: Paint,
    color: &str,
    open: &str,
    close: &str,
) -> String {
    let mut out = String::new();
    let mut cursor = 0;
    let plain = |out: &mut String, s: &str| {
        let lead = s.starts_with(char::is_whitespace);
        let trail = s.ends_with(char::is_whitespace);
        let c = collapse(s);
        if lead && !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&c);
        if trail && !c.is_empty() {
            out.push(' ');
        }
    };
    for &(s, e) in marks {
        if s < cursor || e > text.len() || !text.is_char_boundary(s) || !text.is_char_boundary(e) {
            continue;
        }
        plain(&mut out, &text[cursor..s]);
        let words = collapse(&text[s..e]);
        if p.on {
            // Colour each word, so a wrapped line never carries colour over.
            let coloured: Vec<String> = words.split(' ').map(|w| p.paint(color, w)).collect();
            out.push_str(&coloured.join(" "));
        } else {
            out.push_str(open);
            out.push_str(&words);
            out.push_str(close);
        }
        cursor = e;
    }
    plain(&mut out, &text[cursor..]);
    out.trim().to_string()
}

fn text_report(
    s: &mut String,
    c: &Comparison,
    a: &Document,
    b: &Document,
    p: Paint,
    width: usize,
) -> std::fmt::Result {
    let (owner_a, owner_b) = owners(c, a, b);
    for (side, info) in [("A", &c.doc_a), ("B", &c.doc_b)] {
        writeln!(
            s,
            "{}  {}  ({} words, {} sentences)",
            p.paint(BOLD, side),
            terminal_safe(&info.id),
            info.words,
            info.sentences
        )?;
    }
    writeln!(s)?;
    let v = &c.verdict;
    writeln!(
        s,
        "Verdict    {}  score {:.2}{}",
        p.paint(BOLD, &v.label.name().to_uppercase()),
        v.score,
        v.probability
            .map(|x| format!("  probability of reuse {x:.2}"))
            .unwrap_or_default()
    )?;
    for r in &v.reasons {
        wrap(s, "           - ", "             ", r, width);
    }
    writeln!(
        s,
        "Coverage   A {}  B {}",
        percent(v.coverage_a),
        percent(v.coverage_b)
    )?;
    writeln!(s, "Source     {}", direction_text(c))?;
    for r in &c.direction.reasons {
        wrap(s, "           - ", "             ", &collapse(r), width);
    }
    let words: usize = c.passages.iter().map(|x| x.words).sum();
    writeln!(
        s,
        "Passages   {} verbatim or near-verbatim, {} words in all",
        c.passages.len(),
        words
    )?;

    section(s, p, &format!("Alignments ({})", c.alignments.len()), width)?;
    for (n, al) in c.alignments.iter().enumerate() {
        alignment_block(s, c, a, b, n, al, p, width)?;
    }

    let others: Vec<_> = c
        .changes
        .iter()
        .filter(|ch| {
            ch.alignment.is_none() && !matches!(ch.kind, ChangeKind::Omitted | ChangeKind::Added)
        })
        .collect();
    if !others.is_empty() {
        section(s, p, &format!("Other changes ({})", others.len()), width)?;
        for ch in others {
            fact_line(s, ch, p, width);
        }
    }

    for (title, side, owner, d) in [
        ("Omitted: only in A", "A", &owner_a, a),
        ("Added: only in B", "B", &owner_b, b),
    ] {
        let lonely: Vec<usize> = (0..owner.len()).filter(|&i| owner[i].is_none()).collect();
        section(s, p, &format!("{title} ({})", lonely.len()), width)?;
        if lonely.is_empty() {
            writeln!(s, "(none)")?;
        }
        let tone = if side == "A" {
            Tone::Removed
        } else {
            Tone::Added
        };
        for i in lonely {
            let tag = format!("{side}[{i}]");
            let first = format!("{}  ", p.tone(tone, &tag));
            let rest = " ".repeat(tag.chars().count() + 2);
            wrap(s, &first, &rest, &collapse(d.sentence_text(i)), width);
        }
    }
    Ok(())
}

fn section(s: &mut String, p: Paint, title: &str, width: usize) -> std::fmt::Result {
    let rule = "─".repeat(width.min(80).saturating_sub(title.chars().count() + 4));
    writeln!(s)?;
    writeln!(s, "{}", p.paint(BOLD, &format!("── {title} {rule}")))
}

#[allow(clippy::too_many_arguments)]
fn alignment_block(
    s: &mut String,
    c: &Comparison,
    a: &Document,
    b: &Document,
    n: usize,
    al: &Alignment,
    p: Paint,
    width: usize,
) -> std::fmt::Result {
    let kind_color = match al.kind {
        AlignKind::Verbatim => GREEN,
        AlignKind::NearVerbatim => CYAN,
        AlignKind::Paraphrase => YELLOW,
    };
    writeln!(s)?;
    writeln!(
        s,
        "{}  {} ⇄ {}  {}  {:.2}",
        p.paint(BOLD, &format!("#{n}")),
        sentence_list("A", &al.a_sentences),
        sentence_list("B", &al.b_sentences),
        p.paint(kind_color, kind_name(al.kind)),
        al.score
    )?;
    let a_edits: Vec<Span> = al.edits.iter().filter_map(|e| e.a).collect();
    let b_edits: Vec<Span> = al
        .edits
        .iter()
        .filter(|e| e.op != EditOp::Delete)
        .filter_map(|e| e.b)
        .collect();
    let (ta, ma) = side_view(a, &al.a_sentences, &a_edits);
    let (tb, mb) = side_view(b, &al.b_sentences, &b_edits);
    wrap(
        s,
        &format!("    {}  ", p.paint(BOLD, "A")),
        "       ",
        &marked(&ta, &ma, p, RED, "[-", "-]"),
        width,
    );
    let shown_b = if al.kind == AlignKind::Verbatim {
        p.paint(DIM, "(the same words)")
    } else {
        marked(&tb, &mb, p, GREEN, "{+", "+}")
    };
    wrap(
        s,
        &format!("    {}  ", p.paint(BOLD, "B")),
        "       ",
        &shown_b,
        width,
    );
    for ch in c.changes.iter().filter(|ch| ch.alignment == Some(n)) {
        fact_line(s, ch, p, width);
    }
    Ok(())
}

fn fact_line(s: &mut String, ch: &crate::changes::Change, p: Paint, width: usize) {
    let (fact, tone) = describe(ch.kind);
    let label = format!("{fact} {}", tone.word());
    // A dateline or byline only one text has: the other side is "(none)".
    let quoted = |t: &str| {
        if t.is_empty() {
            "(none)".to_string()
        } else {
            format!("\"{}\"", shorten(t, 60))
        }
    };
    let what = match tone {
        Tone::Changed => format!("{} → {}", quoted(&ch.a_text), quoted(&ch.b_text)),
        Tone::Removed | Tone::Kept => quoted(&ch.a_text),
        Tone::Added => quoted(&ch.b_text),
    };
    let first = format!("      {}  ", p.tone(tone, &format!("{label:<15}")));
    wrap(s, &first, &" ".repeat(23), &what, width);
}

// ---------------------------------------------------------------------------
// HTML

/// Escapes text for HTML content and attribute values.
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    escape_into(&mut out, s);
    out
}

fn escape_into(out: &mut String, s: &str) {
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

const CSS: &str = r#"
:root{--verbatim:#b7e4c7;--near:#cfe3ff;--para:#fde7b0;--del:#b3261e;--ins:#116b2f}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d1d1f;background:#f6f6f4}
header,section.facts{padding:12px 20px;background:#fff;border-bottom:1px solid #ddd}
h1{font-size:20px;margin:0 0 6px}
h2{font-size:16px;margin:0 0 8px}
.docs td{padding:0 10px 0 0}
.docs .id{font-family:ui-monospace,Menlo,Consolas,monospace}
.verdict{font-size:17px;margin:8px 0 4px}
.label{display:inline-block;padding:1px 8px;border-radius:4px;font-weight:700;text-transform:uppercase;color:#fff;background:#666}
.l-derived{background:#b3261e}.l-partial{background:#c26a00}.l-related{background:#4a6fa5}
.reasons{margin:4px 0;padding-left:22px}
.legend span{margin-right:12px;padding:1px 6px;border-radius:3px}
table.f{border-collapse:collapse;width:100%;font-size:14px}
table.f th,table.f td{border-bottom:1px solid #e4e4e4;padding:3px 8px;text-align:left;vertical-align:top}
table.f th{background:#f0f0ee}
table.f tr[data-al]{cursor:pointer}
table.f td.n{white-space:nowrap;font-family:ui-monospace,Menlo,Consolas,monospace}
.t-changed td.k{color:#8a5a00;font-weight:600}.t-removed td.k{color:var(--del);font-weight:600}
.t-added td.k{color:var(--ins);font-weight:600}.t-kept{color:#777}
main{display:grid;grid-template-columns:1fr 1fr;gap:16px;padding:16px 20px}
.col{background:#fff;border:1px solid #ddd;border-radius:6px;min-width:0}
.col h2{padding:8px 14px;margin:0;border-bottom:1px solid #ddd;background:#fafafa;overflow-wrap:anywhere}
.text{white-space:pre-wrap;overflow-wrap:break-word;padding:12px 14px;max-height:90vh;overflow-y:auto;font-family:Georgia,"Times New Roman",serif;font-size:16px;line-height:1.6}
.s{border-radius:3px;cursor:pointer}
.k-verbatim{background:var(--verbatim)}.k-near_verbatim{background:var(--near)}.k-paraphrase{background:var(--para)}
.s[data-n]::before{content:attr(data-n);font:600 10px/1 system-ui,sans-serif;color:#fff;background:#555;border-radius:8px;padding:1px 4px;margin-right:3px;vertical-align:2px}
.s.un{color:#888;text-decoration:line-through;cursor:default}
.s.un::after{content:attr(data-only);font:600 10px/1 system-ui,sans-serif;color:#fff;background:#999;border-radius:3px;padding:1px 4px;margin-left:4px;text-decoration:none;display:inline-block;vertical-align:2px}
.del{color:var(--del);text-decoration:line-through;text-decoration-color:rgba(179,38,30,.55)}
.ins{color:var(--ins);text-decoration:underline;text-decoration-color:rgba(17,107,47,.55)}
.hl{outline:2px solid #e8590c;background:#ffd8a8}
tr.hl{outline:none}
"#;

const JS: &str = r#"
(function(){
function each(sel,f){Array.prototype.forEach.call(document.querySelectorAll(sel),f);}
function hl(n,on){each('[data-al="'+n+'"]',function(x){x.classList.toggle('hl',on);});}
each('[data-al]',function(el){
 el.addEventListener('mouseenter',function(){hl(el.getAttribute('data-al'),true);});
 el.addEventListener('mouseleave',function(){hl(el.getAttribute('data-al'),false);});
 el.addEventListener('click',function(ev){
  ev.preventDefault();
  (el.getAttribute('data-pair')||'').split(' ').forEach(function(id){
   var t=document.getElementById(id);if(t){t.scrollIntoView({block:'center'});}
  });
 });
});
})();
"#;

fn html_page(s: &mut String, c: &Comparison, a: &Document, b: &Document) -> std::fmt::Result {
    let (owner_a, owner_b) = owners(c, a, b);
    let v = &c.verdict;
    s.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    s.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    writeln!(
        s,
        "<title>reprint: {} ⇄ {}</title>",
        escape(&c.doc_a.id),
        escape(&c.doc_b.id)
    )?;
    writeln!(s, "<style>{CSS}</style>\n</head>\n<body>\n<header>")?;
    s.push_str("<h1>reprint compare</h1>\n<table class=\"docs\">\n");
    for (side, info) in [("A", &c.doc_a), ("B", &c.doc_b)] {
        writeln!(
            s,
            "<tr><th>{side}</th><td class=\"id\">{}</td><td>{} words, {} sentences</td></tr>",
            escape(&info.id),
            info.words,
            info.sentences
        )?;
    }
    s.push_str("</table>\n");
    let words: usize = c.passages.iter().map(|x| x.words).sum();
    writeln!(
        s,
        "<p class=\"verdict\"><span class=\"label l-{0}\">{0}</span> score {1:.2}{6} · coverage A {2} · B {3} · {4} verbatim passages ({5} words)</p>",
        v.label.name(),
        v.score,
        percent(v.coverage_a),
        percent(v.coverage_b),
        c.passages.len(),
        words,
        v.probability
            .map(|x| format!(" · probability of reuse {x:.2}"))
            .unwrap_or_default()
    )?;
    reason_list(s, &v.reasons)?;
    writeln!(
        s,
        "<p class=\"dir\"><b>Source:</b> {}</p>",
        escape(&direction_text(c))
    )?;
    reason_list(s, &c.direction.reasons)?;
    s.push_str(
        "<p class=\"legend\"><span class=\"k-verbatim\">verbatim</span><span class=\"k-near_verbatim\">near-verbatim</span><span class=\"k-paraphrase\">paraphrase</span><span class=\"del\">words A dropped or replaced</span><span class=\"ins\">words B brought in</span><span class=\"s un\" data-only=\"only in one text\">unmatched</span> Hover a sentence to see its counterpart; click to scroll to it.</p>\n</header>\n",
    );

    facts_table(s, c, a, b)?;

    s.push_str("<main>\n");
    for (side, d, owner, other) in [("a", a, &owner_a, "b"), ("b", b, &owner_b, "a")] {
        let upper = side.to_uppercase();
        write!(
            s,
            "<div class=\"col\" id=\"col-{side}\"><h2>{upper} · {}</h2><div class=\"text\">",
            escape(d.id())
        )?;
        column(s, c, d, side, other, owner)?;
        s.push_str("</div></div>\n");
    }
    s.push_str("</main>\n");
    writeln!(s, "<script>{JS}</script>\n</body>\n</html>")
}

/// The ids of an alignment's sentences on one side, space-separated.
fn ids(side: &str, idx: &[usize]) -> String {
    let list: Vec<String> = idx.iter().map(|i| format!("{side}-{i}")).collect();
    list.join(" ")
}

fn facts_table(s: &mut String, c: &Comparison, a: &Document, b: &Document) -> std::fmt::Result {
    // Changes grouped by alignment in order; unaligned ones last.
    let mut rows: Vec<&crate::changes::Change> = c.changes.iter().collect();
    rows.sort_by_key(|ch| ch.alignment.unwrap_or(usize::MAX));
    let facts = rows
        .iter()
        .filter(|ch| describe(ch.kind).1 != Tone::Kept)
        .count();
    writeln!(
        s,
        "<section class=\"facts\"><h2>What changed ({facts} changes, {} quotes kept)</h2>",
        rows.len() - facts
    )?;
    if rows.is_empty() {
        s.push_str("<p>Nothing.</p></section>\n");
        return Ok(());
    }
    s.push_str("<table class=\"f\"><thead><tr><th>where</th><th>change</th><th>A</th><th>B</th></tr></thead><tbody>\n");
    let spans_a = a.sentence_spans();
    let spans_b = b.sentence_spans();
    for ch in rows {
        let (fact, tone) = describe(ch.kind);
        // Where: the alignment, or the lone sentence.
        let (al, pair, place) = match ch
            .alignment
            .and_then(|n| c.alignments.get(n).map(|x| (n, x)))
        {
            Some((n, x)) => (
                format!("{n}"),
                format!("{} {}", ids("a", &x.a_sentences), ids("b", &x.b_sentences)),
                format!(
                    "#{n} {}⇄{}",
                    sentence_list("A", &x.a_sentences),
                    sentence_list("B", &x.b_sentences)
                ),
            ),
            None => {
                let (side, spans, at) = match (ch.a, ch.b) {
                    (Some(sp), _) => ("a", &spans_a, sp),
                    (None, Some(sp)) => ("b", &spans_b, sp),
                    (None, None) => ("a", &spans_a, Span::default()),
                };
                let i = spans.partition_point(|x| x.end <= at.start);
                (
                    format!("u-{side}-{i}"),
                    format!("{side}-{i}"),
                    format!("{}[{i}]", side.to_uppercase()),
                )
            }
        };
        let cell = |t: &str| {
            if t.is_empty() {
                "—".to_string()
            } else {
                escape(&shorten(t, 200))
            }
        };
        writeln!(
            s,
            "<tr class=\"t-{}\" data-al=\"{}\" data-pair=\"{}\"><td class=\"n\"><a href=\"#{}\">{}</a></td><td class=\"k\">{} {}</td><td>{}</td><td>{}</td></tr>",
            tone.word(),
            escape(&al),
            escape(&pair),
            escape(pair.split(' ').next().unwrap_or_default()),
            escape(&place),
            fact,
            tone.word(),
            cell(&ch.a_text),
            cell(&ch.b_text)
        )?;
    }
    s.push_str("</tbody></table></section>\n");
    Ok(())
}

/// One document's original text, sentence by sentence, with alignments,
/// edits and unmatched sentences marked.
fn column(
    s: &mut String,
    c: &Comparison,
    d: &Document,
    side: &str,
    other: &str,
    owner: &[Option<usize>],
) -> std::fmt::Result {
    let bytes = d.original();
    let text = |from: usize, to: usize| {
        let to = to.min(bytes.len());
        String::from_utf8_lossy(&bytes[from.min(to)..to]).into_owned()
    };
    let only = if side == "a" {
        "only in A"
    } else {
        "only in B"
    };
    let mut cursor = 0;
    for (i, span) in d.sentence_spans().into_iter().enumerate() {
        let start = span.start.max(cursor);
        let end = span.end.max(start);
        escape_into(s, &text(cursor, start));
        match owner
            .get(i)
            .copied()
            .flatten()
            .and_then(|n| c.alignments.get(n).map(|al| (n, al)))
        {
            Some((n, al)) => {
                let pair = if side == "a" {
                    ids(other, &al.b_sentences)
                } else {
                    ids(other, &al.a_sentences)
                };
                write!(
                    s,
                    "<span class=\"s k-{kind}\" id=\"{side}-{i}\" data-al=\"{n}\" data-n=\"{n}\" data-pair=\"{pair}\" title=\"#{n} {name} {score:.2}\">",
                    kind = kind_class(al.kind),
                    pair = escape(&pair),
                    name = kind_name(al.kind),
                    score = al.score,
                )?;
                // Word edits of this side, clipped to the sentence.
                let mut edits: Vec<Span> = al
                    .edits
                    .iter()
                    .filter_map(|e| if side == "a" { e.a } else { e.b })
                    .filter(|e| e.start < end && start < e.end)
                    .map(|e| Span::new(e.start.max(start), e.end.min(end)))
                    .collect();
                edits.sort_unstable();
                let class = if side == "a" { "del" } else { "ins" };
                let mut at = start;
                for e in edits {
                    if e.start < at {
                        continue;
                    }
                    escape_into(s, &text(at, e.start));
                    write!(s, "<span class=\"{class}\">")?;
                    escape_into(s, &text(e.start, e.end));
                    s.push_str("</span>");
                    at = e.end;
                }
                escape_into(s, &text(at, end));
            }
            None => {
                write!(
                    s,
                    "<span class=\"s un\" id=\"{side}-{i}\" data-al=\"u-{side}-{i}\" data-only=\"{only}\" title=\"{only}\">"
                )?;
                escape_into(s, &text(start, end));
            }
        }
        s.push_str("</span>");
        cursor = end;
    }
    escape_into(s, &text(cursor, bytes.len()));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compare::Comparer;

    const SOURCE: &str = include_str!("../tests/fixtures/report_source.txt");
    const REWRITE: &str = include_str!("../tests/fixtures/report_rewrite.txt");

    fn pair() -> (Document, Document, Comparison) {
        let a = Document::from_text("source.txt", SOURCE);
        let b = Document::from_text("rewrite.txt", REWRITE);
        let c = Comparer::default().compare(&a, &b);
        (a, b, c)
    }

    fn render(sink: &mut dyn ReportSink, c: &Comparison, a: &Document, b: &Document) {
        sink.write(c, a, b).expect("writing to memory");
    }

    fn text(color: bool) -> String {
        let (a, b, c) = pair();
        let mut sink = TextSink::new(Vec::new()).color(color).width(90);
        render(&mut sink, &c, &a, &b);
        String::from_utf8(sink.into_inner()).expect("UTF-8")
    }

    fn html(a: &Document, b: &Document) -> String {
        let c = Comparer::default().compare(a, b);
        let mut sink = HtmlSink::new(Vec::new());
        render(&mut sink, &c, a, b);
        String::from_utf8(sink.into_inner()).expect("UTF-8")
    }

    #[test]
    fn escape_neutralises_markup_and_quotes() {
        assert_eq!(
            escape("<script>alert(1)</script>"),
            "&lt;script&gt;alert(1)&lt;/script&gt;"
        );
        assert_eq!(escape("Tom & Jerry"), "Tom &amp; Jerry");
        assert_eq!(escape(r#"say "hi" it's"#), "say &quot;hi&quot; it&#39;s");
        assert_eq!(escape("&amp;"), "&amp;amp;");
        assert_eq!(escape("plain — text"), "plain — text");
    }

    #[test]
    fn text_report_snapshot() {
        insta::assert_snapshot!(text(false));
    }

    #[test]
    fn json_snapshot() {
        let (a, b, c) = pair();
        let mut sink = JsonSink::new(Vec::new());
        render(&mut sink, &c, &a, &b);
        let out = String::from_utf8(sink.into_inner()).expect("UTF-8");
        let back: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
        assert_eq!(back["verdict"]["label"], "derived");
        insta::assert_snapshot!(out);
    }

    #[test]
    fn text_report_shows_edits_facts_and_dropped_sentence() {
        let t = text(false);
        assert!(t.contains("{+4,300+}"), "{t}");
        assert!(t.contains("[-3,400-]"), "{t}");
        assert!(t.contains("number changed   \"3,400\" → \"4,300\""), "{t}");
        assert!(t.contains("A[5]  The council opened"), "{t}");
        // Lines of the hard-wrapped source are unwrapped.
        assert!(t.contains("Marta Lindqvist"), "{t}");
        assert!(!t.contains('\x1b'));
    }

    #[test]
    fn colour_replaces_markers() {
        let t = text(true);
        assert!(t.contains("\x1b[31m3,400\x1b[0m"), "{t}");
        assert!(t.contains("\x1b[32m4,300\x1b[0m"), "{t}");
        assert!(!t.contains("[-") && !t.contains("{+"));
    }

    #[test]
    fn wrapping_respects_width_and_ignores_colour_codes() {
        let mut out = String::new();
        let words = "\x1b[31mred\x1b[0m word ".repeat(20);
        wrap(&mut out, "  A  ", "     ", &words, 40);
        for line in out.lines() {
            assert!(visible_len(line) <= 40, "{line:?}");
            assert!(line.starts_with("  "));
        }
        assert_eq!(out.matches("red").count(), 20);
    }

    #[test]
    fn side_view_marks_edit_words_in_repaired_text() {
        let a = Document::from_text("a", "The bridge was closed on\nMonday by the city.");
        let b = Document::from_text("b", "The bridge was closed last week by the city.");
        let c = Comparer::default().compare(&a, &b);
        let al = &c.alignments[0];
        let spans: Vec<Span> = al.edits.iter().filter_map(|e| e.a).collect();
        let (t, m) = side_view(&a, &al.a_sentences, &spans);
        let shown = marked(&t, &m, Paint { on: false }, RED, "[-", "-]");
        assert_eq!(shown, "The bridge was closed [-on Monday-] by the city.");
    }

    #[test]
    fn html_never_contains_document_markup_unescaped() {
        let evil = "Mayor <b>Ann</b> said \"no\" & left. <script>alert(1)</script> Then it rained.";
        let a = Document::from_text("<script>alert('id')</script>.txt", evil);
        let b = Document::from_text(
            "b.txt",
            "Mayor <b>Ann</b> said \"no\" & left. <script>alert(1)</script> Later it rained.",
        );
        let page = html(&a, &b);
        assert!(!page.contains("<script>alert"), "{page}");
        assert!(!page.contains("<b>Ann"), "{page}");
        assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(page.contains("&lt;script&gt;alert(&#39;id&#39;)&lt;/script&gt;.txt"));
        // Exactly one script element: ours.
        assert_eq!(page.matches("<script>").count(), 1);
    }

    #[test]
    fn html_shows_the_original_text_with_links_between_pairs() {
        let (a, b, _) = pair();
        let page = html(&a, &b);
        assert!(page.starts_with("<!DOCTYPE html>"));
        assert!(!page.contains("http://") && !page.contains("https://"));
        // The original keeps its line breaks and hyphenation.
        assert!(page.contains("Lind-\nqvist"));
        assert!(page.contains("id=\"a-1\""));
        assert!(page.contains("data-pair=\"b-1\""));
        assert!(page.contains("class=\"s k-verbatim\""));
        assert!(page.contains("data-only=\"only in A\""));
        assert!(page.contains("<span class=\"del\">3,400</span>"));
        assert!(page.contains("<span class=\"ins\">4,300</span>"));
        assert!(page.contains("number changed"));
        // Stripping the markup gives back each document's input.
        let col_b = page
            .split("<div class=\"col\" id=\"col-b\">")
            .nth(1)
            .and_then(|x| x.split("<div class=\"text\">").nth(1))
            .and_then(|x| x.split("</div></div>").next())
            .expect("column B");
        assert_eq!(unescape(&strip_tags(col_b)), REWRITE);
    }

    fn strip_tags(s: &str) -> String {
        let mut out = String::new();
        let mut in_tag = false;
        for ch in s.chars() {
            match ch {
                '<' => in_tag = true,
                '>' => in_tag = false,
                c if !in_tag => out.push(c),
                _ => {}
            }
        }
        out
    }

    fn unescape(s: &str) -> String {
        s.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&amp;", "&")
    }

    #[test]
    fn sinks_refuse_documents_of_another_comparison() {
        let (a, b, c) = pair();
        let other = Document::from_text("other.txt", "Something else entirely.");
        let mut sink = TextSink::new(Vec::new());
        let err = sink.write(&c, &a, &other).expect_err("mismatch");
        assert!(err.to_string().contains("other.txt"), "{err}");
        assert!(sink.write(&c, &a, &b).is_ok());
    }

    #[test]
    fn invalid_utf8_input_renders_without_panicking() {
        let bytes = b"The river rose \xff\xfe two metres on Monday. Roads closed.";
        let a = Document::from_bytes("a", bytes).expect("mostly text");
        let b = Document::from_text("b", "The river rose two metres on Tuesday. Roads closed.");
        let page = html(&a, &b);
        assert!(page.contains("Roads closed."));
    }
}
