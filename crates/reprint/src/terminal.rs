//! Text shown on a terminal: the one place user-controlled text is made safe to print.
//!
//! Document text, file names and record ids come from the user's data. Printed raw, an ESC,
//! OSC or BEL byte can retitle or clear the terminal, and a newline in an id can fake extra
//! lines of a listing. [`terminal_safe`] escapes every such character; JSON output does not
//! use it (JSON escapes control characters itself).

use std::borrow::Cow;
use std::fmt::Write;

/// Whether a character must not reach a terminal raw: C0 and C1 control characters, DEL,
/// and the bidirectional overrides and isolates that reorder what follows them.
fn is_unsafe(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `text` with every control character escaped, ready to print on a terminal.
///
/// Newline, carriage return and tab become `\n`, `\r` and `\t`; other control characters,
/// DEL and the bidirectional controls become `\x1b` or `\u{202e}`; a backslash stays as it
/// is. Text with nothing to escape is returned as is, without copying.
///
/// ```
/// use reprint::terminal_safe;
/// assert_eq!(terminal_safe("plain café"), "plain café");
/// assert_eq!(terminal_safe("a\u{1b}]0;PWNED\u{7}b\nc"), "a\\x1b]0;PWNED\\x07b\\nc");
/// ```
pub fn terminal_safe(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if is_unsafe(c) && (c as u32) < 0x80 => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if is_unsafe(c) => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_every_control_character() {
        let attack = "\u{1b}]0;PWNED\u{7}\u{1b}[2J";
        let safe = terminal_safe(attack);
        assert_eq!(safe, "\\x1b]0;PWNED\\x07\\x1b[2J");
        for c in (0u32..0x20).chain(0x7f..0xa0).filter_map(char::from_u32) {
            let s = c.to_string();
            let out = terminal_safe(&s);
            assert!(!out.chars().any(char::is_control), "{c:?} -> {out:?}");
        }
        assert_eq!(terminal_safe("\u{9b}31m"), "\\u{9b}31m");
        assert_eq!(terminal_safe("id\nskipped x: fake"), "id\\nskipped x: fake");
        assert_eq!(terminal_safe("abc\u{202e}txt.exe"), "abc\\u{202e}txt.exe");
    }

    #[test]
    fn leaves_ordinary_text_alone() {
        for s in [
            "",
            "plain",
            "Zürich — 5 °C, 北京",
            "emoji 🎉",
            "back\\slash",
        ] {
            assert!(matches!(terminal_safe(s), Cow::Borrowed(b) if b == s));
        }
    }
}
