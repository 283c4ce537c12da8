//! The fuzz targets' seed corpora (fuzz/seeds/), replayed as ordinary tests: every input a
//! fuzzer ever crashed on is kept there, so a fixed crash stays fixed without cargo-fuzz.

use std::path::{Path, PathBuf};

use reprint::{Comparer, Document};

fn seeds(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz/seeds")
        .join(target);
    let mut out: Vec<(PathBuf, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .map(|p| {
            let bytes = std::fs::read(&p).expect("seed");
            (p, bytes)
        })
        .collect();
    out.sort();
    assert!(out.len() >= 5, "{target}: {} seeds", out.len());
    out
}

/// The compare_pair target's split: at the first 0xFF 0x00, else in the middle.
fn split(data: &[u8]) -> (&[u8], &[u8]) {
    let cut = data
        .windows(2)
        .position(|w| w == [0xFF, 0x00])
        .unwrap_or(data.len() / 2);
    (&data[..cut], &data[(cut + 2).min(data.len())..])
}

#[test]
fn fuzz_seeds_and_past_crashes_compare_cleanly() {
    for (path, data) in seeds("compare_pair") {
        let (a, b) = split(&data);
        let (Ok(da), Ok(db)) = (Document::from_bytes("a", a), Document::from_bytes("b", b)) else {
            continue;
        };
        let c = Comparer::default().compare(&da, &db);
        assert!((0.0..=1.0).contains(&c.verdict.score), "{}", path.display());
        for p in &c.passages {
            assert!(
                p.a.end <= a.len() && p.b.end <= b.len(),
                "{}",
                path.display()
            );
        }
    }
    // The html_escape target compares the two halves of its text around '|'.
    for (path, data) in seeds("html_escape") {
        let text = String::from_utf8_lossy(&data);
        let (a, b) = text.split_at(text.find('|').unwrap_or(0));
        if let (Ok(da), Ok(db)) = (
            Document::from_bytes("a", a.as_bytes()),
            Document::from_bytes("b", b.as_bytes()),
        ) {
            let c = Comparer::default().compare(&da, &db);
            assert!(c.verdict.score <= 1.0, "{}", path.display());
        }
    }
}

#[test]
fn fuzz_seeds_normalise_within_their_input() {
    for (path, data) in seeds("normalize_tokens") {
        let Ok(doc) = Document::from_bytes("seed", &data) else {
            continue;
        };
        for s in doc.sentence_spans() {
            assert!(
                s.start <= s.end && s.end <= data.len(),
                "{}",
                path.display()
            );
        }
    }
}
