//! Ingest and repair: bytes become text, PDF-extraction damage is mended, and
//! every output byte keeps a way back to the input bytes it came from.

use crate::error::{Error, Result};

/// One stretch of output text and the input bytes it came from.
///
/// A *linear* piece is a verbatim copy (output and input lengths are equal);
/// any other piece replaced `from_start..from_end` by its output text, which
/// may be empty (a deletion).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Piece {
    pub to: usize,
    pub from_start: usize,
    pub from_end: usize,
    pub linear: bool,
}

/// A piecewise map from output offsets back to input offsets.
///
/// Invariant: the pieces' input ranges tile `0..input_len` in order, and their
/// output ranges tile `0..output_len` in order.
#[derive(Debug, Clone, Default)]
pub(crate) struct OffsetMap {
    pieces: Vec<Piece>,
    out_len: usize,
    in_len: usize,
}

impl OffsetMap {
    fn piece_at(&self, pos: usize) -> Option<&Piece> {
        let idx = self.pieces.partition_point(|p| p.to <= pos);
        idx.checked_sub(1).map(|i| &self.pieces[i])
    }

    /// The input offset where output byte `pos` starts.
    pub fn start(&self, pos: usize) -> usize {
        if pos >= self.out_len {
            return self.in_len;
        }
        match self.piece_at(pos) {
            Some(p) if p.linear => p.from_start + (pos - p.to),
            Some(p) => p.from_start,
            None => 0,
        }
    }

    /// The input offset where an output range ending (exclusively) at `pos` ends.
    pub fn end(&self, pos: usize) -> usize {
        if pos == 0 {
            return self.start(0);
        }
        match self.piece_at(pos - 1) {
            Some(p) if p.linear => p.from_start + (pos - p.to),
            Some(p) => p.from_end,
            None => 0,
        }
    }

    #[cfg(test)]
    pub fn pieces(&self) -> &[Piece] {
        &self.pieces
    }
}

/// Builds an output string and its [`OffsetMap`] by copying or replacing
/// consecutive stretches of the input.
struct MapBuilder {
    out: String,
    pieces: Vec<Piece>,
    cursor: usize,
}

impl MapBuilder {
    fn new(capacity: usize) -> MapBuilder {
        MapBuilder {
            out: String::with_capacity(capacity),
            pieces: Vec::new(),
            cursor: 0,
        }
    }

    fn copy(&mut self, input: &str, end: usize) {
        if end <= self.cursor {
            return;
        }
        let to = self.out.len();
        self.out.push_str(&input[self.cursor..end]);
        match self.pieces.last_mut() {
            Some(p)
                if p.linear
                    && p.from_end == self.cursor
                    && p.to + (p.from_end - p.from_start) == to =>
            {
                p.from_end = end;
            }
            _ => self.pieces.push(Piece {
                to,
                from_start: self.cursor,
                from_end: end,
                linear: true,
            }),
        }
        self.cursor = end;
    }

    fn replace(&mut self, end: usize, with: &str) {
        debug_assert!(end >= self.cursor);
        self.pieces.push(Piece {
            to: self.out.len(),
            from_start: self.cursor,
            from_end: end,
            linear: false,
        });
        self.out.push_str(with);
        self.cursor = end;
    }

    fn finish(self, in_len: usize) -> (String, OffsetMap) {
        let out_len = self.out.len();
        (
            self.out,
            OffsetMap {
                pieces: self.pieces,
                out_len,
                in_len,
            },
        )
    }
}

/// The decoded input: text plus, when the bytes were not valid UTF-8, a map
/// from the decoded text back to the bytes.
pub(crate) struct Decoded {
    pub text: String,
    pub map: Option<OffsetMap>,
    pub warnings: Vec<String>,
}

/// Decodes bytes as UTF-8, replacing invalid sequences by U+FFFD with a
/// warning. Empty and binary inputs are errors.
/// Input that is not UTF-8 text at all.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum NotUtf8 {
    /// UTF-16, little- or big-endian (`"little"`, `"big"`).
    Utf16(&'static str),
    /// Binary data: the offset of a NUL byte.
    Binary(usize),
}

/// Looks at the first 8 KiB: a UTF-16 byte order mark, or NUL bytes in every other position
/// (UTF-16 text without a mark), is UTF-16; any other NUL byte is binary.
pub(crate) fn sniff(bytes: &[u8]) -> Option<NotUtf8> {
    if bytes.starts_with(&[0xFF, 0xFE]) {
        return Some(NotUtf8::Utf16("little"));
    }
    if bytes.starts_with(&[0xFE, 0xFF]) {
        return Some(NotUtf8::Utf16("big"));
    }
    let head = &bytes[..bytes.len().min(8192) & !1];
    let first_nul = head.iter().position(|&b| b == 0)?;
    let pairs = head.len() / 2;
    let zeros = |parity: usize| {
        head.iter()
            .skip(parity)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count()
    };
    let (even, odd) = (zeros(0), zeros(1));
    // Mostly ASCII-range UTF-16: one byte of nearly every pair is zero, the other rarely.
    if pairs >= 4 && odd * 10 >= pairs * 9 && even * 10 < pairs {
        return Some(NotUtf8::Utf16("little"));
    }
    if pairs >= 4 && even * 10 >= pairs * 9 && odd * 10 < pairs {
        return Some(NotUtf8::Utf16("big"));
    }
    Some(NotUtf8::Binary(first_nul))
}

/// What to tell the user about a UTF-16 input.
pub(crate) fn utf16_message(order: &str) -> String {
    format!(
        "UTF-16 ({order}-endian) text: only UTF-8 is read; convert it first, \
         e.g. `iconv -f UTF-16 -t UTF-8 FILE > FILE.utf8.txt`"
    )
}

/// Why bytes read as a text file cannot be used, if they can't.
pub(crate) fn not_utf8_text(bytes: &[u8]) -> Option<String> {
    match sniff(bytes)? {
        NotUtf8::Utf16(order) => Some(utf16_message(order)),
        NotUtf8::Binary(pos) => Some(format!("binary file (NUL byte at offset {pos})")),
    }
}

pub(crate) fn decode(id: &str, bytes: &[u8]) -> Result<Decoded> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(Error::Empty { id: id.to_string() });
    }
    match sniff(bytes) {
        Some(NotUtf8::Utf16(order)) => {
            return Err(Error::Input {
                path: id.to_string(),
                message: utf16_message(order),
            })
        }
        Some(NotUtf8::Binary(pos)) => {
            return Err(Error::Binary {
                id: id.to_string(),
                reason: format!("NUL byte at offset {pos}"),
            })
        }
        None => {}
    }
    let mut warnings = Vec::new();
    let bom = if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        3
    } else {
        0
    };
    if let Ok(text) = std::str::from_utf8(&bytes[bom..]) {
        if bom == 0 {
            return Ok(Decoded {
                text: text.to_string(),
                map: None,
                warnings,
            });
        }
    }
    // Slow path: a BOM to drop or invalid sequences to replace.
    let mut b = MapBuilder::new(bytes.len());
    let mut pos = 0;
    if bom > 0 {
        b.pieces.push(Piece {
            to: 0,
            from_start: 0,
            from_end: 3,
            linear: false,
        });
        pos = 3;
    }
    let mut invalid_bytes = 0usize;
    let mut first_bad = Vec::new();
    for chunk in bytes[pos..].utf8_chunks() {
        let valid = chunk.valid();
        if !valid.is_empty() {
            let to = b.out.len();
            b.out.push_str(valid);
            b.pieces.push(Piece {
                to,
                from_start: pos,
                from_end: pos + valid.len(),
                linear: true,
            });
            pos += valid.len();
        }
        let bad = chunk.invalid().len();
        if bad > 0 {
            if first_bad.len() < 5 {
                first_bad.push(pos.to_string());
            }
            invalid_bytes += bad;
            b.pieces.push(Piece {
                to: b.out.len(),
                from_start: pos,
                from_end: pos + bad,
                linear: false,
            });
            b.out.push('\u{FFFD}');
            pos += bad;
        }
    }
    if invalid_bytes * 10 > bytes.len() {
        return Err(Error::Binary {
            id: id.to_string(),
            reason: format!(
                "{invalid_bytes} of {} bytes are not valid UTF-8",
                bytes.len()
            ),
        });
    }
    if invalid_bytes > 0 {
        warnings.push(format!(
            "{id}: {invalid_bytes} byte(s) of invalid UTF-8 replaced by U+FFFD (first at byte offset(s) {})",
            first_bad.join(", ")
        ));
    }
    b.cursor = pos;
    let (text, map) = b.finish(bytes.len());
    Ok(Decoded {
        text,
        map: Some(map),
        warnings,
    })
}

/// A line of the input: its full range and its content without surrounding
/// whitespace.
#[derive(Debug, Clone, Copy)]
struct Line {
    start: usize,
    content_start: usize,
    content_end: usize,
}

impl Line {
    fn is_blank(&self) -> bool {
        self.content_start == self.content_end
    }
}

fn split_lines(text: &str) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    let mut push = |start: usize, end: usize| {
        let line = &text[start..end];
        let trimmed_start = line.len() - line.trim_start().len();
        let trimmed = line.trim();
        let content_start = start + trimmed_start;
        lines.push(Line {
            start,
            content_start,
            content_end: content_start + trimmed.len(),
        });
    };
    for (i, &c) in bytes.iter().enumerate() {
        if c == b'\n' || c == 0x0c {
            push(start, i);
            start = i + 1;
        }
    }
    push(start, text.len());
    lines
}

const CLOSERS: &[char] = &['"', '\'', '\u{201D}', '\u{2019}', ')', ']', '\u{BB}', '*'];

fn ends_terminal(line: &str) -> bool {
    let t = line.trim_end_matches(CLOSERS);
    t.ends_with(['.', '!', '?', '\u{2026}', ':', ';'])
}

/// How the break between two non-blank lines is repaired.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Join {
    /// A real boundary: paragraph, headline or list item.
    Hard,
    /// A wrapped line: the break becomes one space.
    Soft,
    /// A word hyphenated at the line end: hyphen and break are removed.
    Dehyphen,
}

/// Repairs hard-wrapped, PDF-extracted text.
///
/// - Lines wrapped inside a sentence are joined with a space.
/// - Words hyphenated across a line end are joined.
/// - Blank-line gaps that cut a sentence (page breaks) are closed.
/// - Headline lines and paragraphs stay separate units: every remaining
///   boundary becomes a single `\n`.
pub(crate) fn repair(text: &str) -> (String, OffsetMap) {
    let lines = split_lines(text);
    let nonblank: Vec<&Line> = lines.iter().filter(|l| !l.is_blank()).collect();
    let mut lens: Vec<usize> = nonblank
        .iter()
        .map(|l| text[l.content_start..l.content_end].chars().count())
        .collect();
    lens.sort_unstable();
    let open = nonblank
        .iter()
        .filter(|l| !ends_terminal(&text[l.content_start..l.content_end]))
        .count();
    let width = lens.get(lens.len() * 9 / 10).copied().unwrap_or(0);
    let median = lens.get(lens.len() / 2).copied().unwrap_or(0);
    // A hard-wrapped text has many lines that stop mid-sentence, and lines of
    // bounded width.
    let wrapped = nonblank.len() >= 4 && open * 10 >= nonblank.len() * 3 && median <= 200;

    let mut b = MapBuilder::new(text.len());
    let mut prev: Option<(usize, &Line)> = None;
    for (idx, line) in lines.iter().enumerate() {
        if line.is_blank() {
            continue;
        }
        if let Some((pidx, p)) = prev {
            let gap = idx - pidx - 1;
            let ptext = &text[p.content_start..p.content_end];
            let ntext = &text[line.content_start..line.content_end];
            let join = decide_join(
                ptext,
                ntext,
                gap,
                line.content_start > line.start,
                wrapped,
                width,
            );
            match join {
                Join::Hard => {
                    b.copy(text, p.content_end);
                    b.replace(line.content_start, "\n");
                }
                Join::Soft => {
                    b.copy(text, p.content_end);
                    b.replace(line.content_start, " ");
                }
                Join::Dehyphen => {
                    let hyphen_len = ptext.chars().next_back().map_or(1, char::len_utf8);
                    b.copy(text, p.content_end - hyphen_len);
                    b.replace(line.content_start, "");
                }
            }
        }
        prev = Some((idx, line));
    }
    b.copy(text, text.len());
    b.finish(text.len())
}

fn decide_join(
    prev: &str,
    next: &str,
    gap: usize,
    indented: bool,
    wrapped: bool,
    width: usize,
) -> Join {
    let mut pchars = prev.chars().rev();
    let last = pchars.next().unwrap_or(' ');
    let before_last = pchars.next().unwrap_or(' ');
    let first = next.chars().next().unwrap_or(' ');
    let lower_next = first.is_lowercase();
    let terminal = ends_terminal(prev);
    if (last == '-' || last == '\u{AD}') && before_last.is_alphabetic() && lower_next && gap <= 4 {
        return Join::Dehyphen;
    }
    if gap == 0 {
        if lower_next && !terminal {
            return Join::Soft;
        }
        let long = prev.chars().count() * 10 >= width * 6;
        if wrapped && !indented && (!terminal || long) {
            return Join::Soft;
        }
        return Join::Hard;
    }
    // A gap of blank lines closes only when the sentence visibly goes on.
    if lower_next && !terminal && gap <= 6 {
        return Join::Soft;
    }
    Join::Hard
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repaired(text: &str) -> String {
        repair(text).0
    }

    #[test]
    fn unwraps_hard_wrapped_paragraphs() {
        let text = "The council met on Monday to discuss the new budget for\nthe coming year and the\nplans for the harbour.\nIt ended late.\nMembers said the vote\nwould come soon.\n";
        assert_eq!(
            repaired(text),
            "The council met on Monday to discuss the new budget for the coming year and the plans for the harbour.\nIt ended late.\nMembers said the vote would come soon.\n"
        );
    }

    #[test]
    fn joins_hyphenated_words_and_page_gaps() {
        let text = "The ministry warned of a resur-\ngence of attacks on the\n\n\n\nborder posts.";
        assert_eq!(
            repaired(text),
            "The ministry warned of a resurgence of attacks on the border posts."
        );
    }

    #[test]
    fn keeps_headlines_and_paragraphs_apart() {
        let text = "Harbour Plan Approved After Long Debate\nThe council approved the harbour plan on Monday.\nThe vote was close.\n";
        assert_eq!(
            repaired(text),
            "Harbour Plan Approved After Long Debate\nThe council approved the harbour plan on Monday.\nThe vote was close.\n"
        );
    }

    #[test]
    fn offsets_map_back_to_input() {
        let text =
            "Plans for a new bridge were\ndelayed again, offi-\ncials said.\n\nA second story.";
        let (out, map) = repair(text);
        let at = out.find("officials").expect("word present");
        let span = (map.start(at), map.end(at + "officials".len()));
        assert_eq!(&text[span.0..span.1], "offi-\ncials");
        let whole = (map.start(0), map.end(out.len()));
        assert_eq!(whole, (0, text.len()));
    }

    #[test]
    fn decode_rejects_empty_and_binary_and_repairs_invalid_utf8() {
        assert!(matches!(decode("e", b"  \n\t"), Err(Error::Empty { .. })));
        assert!(matches!(
            decode("b", b"PK\x03\x04\x00\x01"),
            Err(Error::Binary { .. })
        ));
        let bytes = b"caf\xe9 au lait and more text here";
        let d = decode("x", bytes).expect("mostly valid text decodes");
        assert!(d.text.starts_with("caf\u{FFFD} au"));
        assert_eq!(d.warnings.len(), 1);
        let map = d.map.expect("lossy decode keeps a map");
        let at = d.text.find("au").expect("au present");
        assert_eq!(map.start(at), 5);
        assert_eq!(map.end(d.text.len()), bytes.len());
    }

    #[test]
    fn utf16_is_named_not_called_binary() {
        let le: Vec<u8> = "Plain words in UTF-16."
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let be: Vec<u8> = "Plain words in UTF-16."
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .collect();
        assert_eq!(sniff(&le), Some(NotUtf8::Utf16("little")));
        assert_eq!(sniff(&be), Some(NotUtf8::Utf16("big")));
        let mut bom = vec![0xFF, 0xFE];
        bom.extend_from_slice(&le);
        assert_eq!(sniff(&bom), Some(NotUtf8::Utf16("little")));
        assert_eq!(
            sniff(b"PK\x03\x04\x00\x01\x02\x03\x04\x05"),
            Some(NotUtf8::Binary(4))
        );
        assert_eq!(sniff("Ordinary text, café.".as_bytes()), None);
        let Err(e) = decode("u.txt", &le) else {
            panic!("UTF-16 refused")
        };
        assert!(e.to_string().contains("UTF-16 (little-endian)"), "{e}");
        assert!(!e.to_string().contains("binary"), "{e}");
    }

    #[test]
    fn pieces_tile_the_input() {
        let text = "A wrapped line that goes on\nand on until\n\n\nit stops. Then a head-\nline.\n";
        let (_, map) = repair(text);
        let mut at = 0;
        for p in map.pieces() {
            assert_eq!(p.from_start, at);
            at = p.from_end;
        }
        assert_eq!(at, text.len());
    }
}
