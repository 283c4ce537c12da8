//! The Microsoft Research Paraphrase Corpus file format: tab-separated,
//! UTF-8 with a byte-order mark, header
//! `Quality\t#1 ID\t#2 ID\t#1 String\t#2 String`. Sentences contain double
//! quotes, so no CSV quote handling is done: lines are split on tabs only.

use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pair {
    pub paraphrase: bool,
    pub id1: String,
    pub id2: String,
    pub s1: String,
    pub s2: String,
    /// 1-based line number in the file.
    pub line: usize,
}

pub const DEFAULT_FILE: &str = "msr_paraphrase_train.txt";

/// Accepts the file itself or the folder holding `msr_paraphrase_train.txt`.
pub fn resolve(path: &Path) -> Result<PathBuf> {
    if path.is_dir() {
        let f = path.join(DEFAULT_FILE);
        if !f.is_file() {
            bail!("MSRP file not found: {}", f.display());
        }
        Ok(f)
    } else if path.is_file() {
        Ok(path.to_path_buf())
    } else {
        bail!("MSRP corpus not found: {}", path.display())
    }
}

pub fn parse(text: &str) -> Result<Vec<Pair>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text.split('\n').enumerate();
    match lines.next() {
        Some((_, h)) if h.trim_end_matches('\r').starts_with("Quality\t") => {}
        other => bail!(
            "expected an MSRP header starting with \"Quality<TAB>\", found {:?}",
            other.map(|(_, h)| h)
        ),
    }
    let mut pairs = Vec::new();
    for (i, raw) in lines {
        let line = raw.trim_end_matches('\r');
        if line.trim().is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() != 5 {
            bail!(
                "line {}: expected 5 tab-separated fields, found {}",
                i + 1,
                f.len()
            );
        }
        let paraphrase = match f[0].trim() {
            "1" => true,
            "0" => false,
            q => bail!("line {}: Quality must be 0 or 1, found {q:?}", i + 1),
        };
        pairs.push(Pair {
            paraphrase,
            id1: f[1].to_string(),
            id2: f[2].to_string(),
            s1: f[3].to_string(),
            s2: f[4].to_string(),
            line: i + 1,
        });
    }
    Ok(pairs)
}

pub fn load(path: &Path) -> Result<(PathBuf, Vec<Pair>)> {
    let file = resolve(path)?;
    let bytes = std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
    let text = String::from_utf8_lossy(&bytes);
    let pairs = parse(&text).with_context(|| format!("parsing {}", file.display()))?;
    Ok((file, pairs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_bom_tabs_and_quotes() {
        let text = "\u{feff}Quality\t#1 ID\t#2 ID\t#1 String\t#2 String\n\
                    1\t11\t12\tHe said \"yes, sir\".\t\"Yes, sir,\" he said.\r\n\
                    0\t21\t22\tA \"quoted\ttab\"?\tB\n";
        // The third line has 6 fields: a tab inside quotes is still a
        // separator, so it is an error rather than a silently merged field.
        assert!(parse(text).is_err());
        let ok = "\u{feff}Quality\t#1 ID\t#2 ID\t#1 String\t#2 String\n\
                  1\t11\t12\tHe said \"yes, sir\".\t\"Yes, sir,\" he said.\r\n\
                  0\t21\t22\tA \"half quote\tB";
        let pairs = parse(ok).expect("valid");
        assert_eq!(pairs.len(), 2);
        assert!(pairs[0].paraphrase);
        assert_eq!(pairs[0].s1, "He said \"yes, sir\".");
        assert_eq!(pairs[0].s2, "\"Yes, sir,\" he said.");
        assert_eq!(pairs[1].s1, "A \"half quote");
        assert!(!pairs[1].paraphrase);
        assert_eq!(pairs[1].line, 3);
    }

    #[test]
    fn rejects_bad_quality() {
        let t = "Quality\t#1 ID\t#2 ID\t#1 String\t#2 String\n2\ta\tb\tc\td\n";
        assert!(parse(t).is_err());
        assert!(parse("nope\n").is_err());
    }
}
