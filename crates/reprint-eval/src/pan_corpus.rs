//! Loading a PAN-PC style corpus: `source-documents/*.txt`,
//! `suspicious-documents/*.txt` and, beside each suspicious document, an XML
//! file with its ground truth:
//!
//! ```xml
//! <document reference="suspicious-document00001.txt">
//!   <feature name="plagiarism" type="artificial" obfuscation="none"
//!            this_offset="10" this_length="20" source_reference="source-document00002.txt"
//!            source_offset="30" source_length="21"/>
//! </document>
//! ```
//!
//! The files are simple and machine-written, so a small tag scanner reads
//! them; it understands attributes in single or double quotes and the five
//! predefined XML entities.

use anyhow::{bail, Context, Result};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One `<feature name="plagiarism" .../>` element, offsets in characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TruthCase {
    pub obfuscation: String,
    pub this_offset: usize,
    pub this_length: usize,
    pub source_reference: String,
    pub source_offset: usize,
    pub source_length: usize,
}

/// Attributes of every start or empty tag named `tag` in `xml`, in order.
pub fn tags_with_attrs(xml: &str, tag: &str) -> Result<Vec<BTreeMap<String, String>>> {
    let mut out = Vec::new();
    let open = format!("<{tag}");
    let mut rest = xml;
    while let Some(pos) = rest.find(&open) {
        let after = &rest[pos + open.len()..];
        // Must be followed by whitespace, '/' or '>' (not `<featureX`).
        match after.chars().next() {
            Some(c) if c.is_whitespace() || c == '/' || c == '>' => {}
            _ => {
                rest = after;
                continue;
            }
        }
        let end = find_tag_end(after).with_context(|| format!("unterminated <{tag}> tag"))?;
        out.push(parse_attrs(&after[..end])?);
        rest = &after[end..];
    }
    Ok(out)
}

/// Index of the `>` closing a tag, skipping quoted attribute values.
fn find_tag_end(s: &str) -> Option<usize> {
    let mut quote: Option<char> = None;
    for (i, c) in s.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == '>' => return Some(i),
            None => {}
        }
    }
    None
}

fn parse_attrs(s: &str) -> Result<BTreeMap<String, String>> {
    let mut attrs = BTreeMap::new();
    let mut rest = s.trim_start();
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
        if rest.is_empty() {
            break;
        }
        let eq = rest
            .find('=')
            .with_context(|| format!("attribute without value near {rest:?}"))?;
        let name = rest[..eq].trim().to_string();
        let after = rest[eq + 1..].trim_start();
        let q = after
            .chars()
            .next()
            .filter(|&c| c == '"' || c == '\'')
            .with_context(|| format!("unquoted value for attribute {name}"))?;
        let close = after[1..]
            .find(q)
            .with_context(|| format!("unterminated value for attribute {name}"))?;
        attrs.insert(name, unescape(&after[1..1 + close]));
        rest = &after[close + 2..];
    }
    Ok(attrs)
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

fn num(attrs: &BTreeMap<String, String>, key: &str) -> Result<usize> {
    let v = attrs
        .get(key)
        .with_context(|| format!("missing attribute {key}"))?;
    v.trim()
        .parse()
        .with_context(|| format!("attribute {key}={v:?} is not a non-negative integer"))
}

/// Reads the plagiarism cases of one ground-truth XML file.
pub fn parse_truth(xml: &str) -> Result<Vec<TruthCase>> {
    let mut cases = Vec::new();
    for attrs in tags_with_attrs(xml, "feature")? {
        if attrs.get("name").map(String::as_str) != Some("plagiarism") {
            continue;
        }
        // PAN-PC-11 writes `obfuscation` on artificial cases only; simulated
        // (manual) cases are reported under their type.
        let obfuscation = attrs
            .get("obfuscation")
            .or_else(|| attrs.get("type"))
            .cloned()
            .unwrap_or_else(|| "unknown".to_string());
        cases.push(TruthCase {
            obfuscation,
            this_offset: num(&attrs, "this_offset")?,
            this_length: num(&attrs, "this_length")?,
            source_reference: attrs
                .get("source_reference")
                .cloned()
                .context("missing attribute source_reference")?,
            source_offset: num(&attrs, "source_offset")?,
            source_length: num(&attrs, "source_length")?,
        });
    }
    Ok(cases)
}

/// A loaded document: its file name (the PAN reference) and raw bytes.
#[derive(Debug, Clone)]
pub struct RawDoc {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// A suspicious document with its ground truth.
#[derive(Debug, Clone)]
pub struct SuspDoc {
    pub doc: RawDoc,
    pub cases: Vec<TruthCase>,
}

#[derive(Debug, Clone)]
pub struct PanCorpus {
    pub sources: Vec<RawDoc>,
    pub suspicious: Vec<SuspDoc>,
}

fn txt_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let path = entry
            .with_context(|| format!("reading {}", dir.display()))?
            .path();
        if path.extension().and_then(|e| e.to_str()) == Some("txt") {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Loads `dir/source-documents` and `dir/suspicious-documents`. A suspicious
/// document without an XML file has no cases (and says so on stderr).
pub fn load(dir: &Path) -> Result<PanCorpus> {
    let src_dir = dir.join("source-documents");
    let susp_dir = dir.join("suspicious-documents");
    for d in [&src_dir, &susp_dir] {
        if !d.is_dir() {
            bail!("PAN corpus folder not found: {}", d.display());
        }
    }
    let mut sources = Vec::new();
    for p in txt_files(&src_dir)? {
        let bytes = std::fs::read(&p).with_context(|| format!("reading {}", p.display()))?;
        sources.push(RawDoc {
            name: file_name(&p),
            bytes,
        });
    }
    let mut suspicious = Vec::new();
    for p in txt_files(&susp_dir)? {
        let bytes = std::fs::read(&p).with_context(|| format!("reading {}", p.display()))?;
        let xml_path = p.with_extension("xml");
        let cases = if xml_path.is_file() {
            let xml = std::fs::read_to_string(&xml_path)
                .with_context(|| format!("reading {}", xml_path.display()))?;
            parse_truth(&xml).with_context(|| format!("parsing {}", xml_path.display()))?
        } else {
            eprintln!(
                "warning: {} has no ground-truth XML; counted as clean",
                p.display()
            );
            Vec::new()
        };
        suspicious.push(SuspDoc {
            doc: RawDoc {
                name: file_name(&p),
                bytes,
            },
            cases,
        });
    }
    if sources.is_empty() || suspicious.is_empty() {
        bail!(
            "PAN corpus {} has {} source and {} suspicious documents; need both",
            dir.display(),
            sources.len(),
            suspicious.len()
        );
    }
    Ok(PanCorpus {
        sources,
        suspicious,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const XML: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<document reference="suspicious-document00042.txt">
	<feature name="plagiarism" type="simulated" this_offset="2582" this_length="570" source_reference="source-document00029.txt" source_offset="12936" source_length="572"/>
	<feature name="plagiarism" type="artificial" obfuscation="random-shuffling"
		this_offset="5" this_length="7"
		source_reference='source-document00001.txt' source_offset="0" source_length="9" />
	<feature name="about" authors="A &amp; B"/>
	<featureset name="plagiarism" this_offset="x"/>
</document>"#;

    #[test]
    fn parses_cases_and_skips_other_features() {
        let cases = parse_truth(XML).expect("valid XML");
        assert_eq!(cases.len(), 2);
        assert_eq!(
            cases[0],
            TruthCase {
                obfuscation: "simulated".into(),
                this_offset: 2582,
                this_length: 570,
                source_reference: "source-document00029.txt".into(),
                source_offset: 12936,
                source_length: 572,
            }
        );
        assert_eq!(cases[1].obfuscation, "random-shuffling");
        assert_eq!(cases[1].source_reference, "source-document00001.txt");
        assert_eq!(cases[1].source_length, 9);
    }

    #[test]
    fn unescapes_entities() {
        let tags = tags_with_attrs(XML, "feature").expect("valid XML");
        assert_eq!(tags[2]["authors"], "A & B");
        assert_eq!(tags.len(), 3, "<featureset> is not <feature>");
    }

    #[test]
    fn bad_numbers_are_errors() {
        let bad = r#"<feature name="plagiarism" this_offset="-1" this_length="1" source_reference="s" source_offset="0" source_length="1"/>"#;
        assert!(parse_truth(bad).is_err());
        let unterminated = r#"<feature name="plagiarism" this_offset="1"#;
        assert!(parse_truth(unterminated).is_err());
    }
}
