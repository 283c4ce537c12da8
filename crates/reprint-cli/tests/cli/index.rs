//! `reprint index add|remove|stats` and `reprint query` (issue 11), run against the binary.

use std::collections::HashSet;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};

use reprint::index::Index;
use reprint::ScanSettings;
use serde_json::Value;

use super::{repo, reprint, stderr};

fn run(args: &[&Path]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_reprint"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run reprint")
}

/// A pseudo-random article of made-up words (distinct per seed).
fn article(seed: u64, sentences: usize) -> String {
    const SYL: [&str; 16] = [
        "ka", "lo", "mer", "tin", "va", "res", "po", "dul", "shi", "gan", "fe", "rom", "sal",
        "bri", "nu", "cot",
    ];
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut next = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let mut out = String::new();
    for _ in 0..sentences {
        for i in 0..10 {
            if i > 0 {
                out.push(' ');
            }
            for _ in 0..3 {
                out.push_str(SYL[(next() % 16) as usize]);
            }
        }
        out.push_str(". ");
    }
    out
}

#[test]
fn add_stats_query_remove_on_the_examples() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ix = dir.path().join("ix");
    let pairs = dir.path().join("pairs");
    let news = repo("examples/scan/news.jsonl");
    let o = run(&[
        Path::new("index"),
        Path::new("add"),
        &ix,
        Path::new(&news),
        Path::new("--pairs"),
        &pairs,
        Path::new("--batch"),
        Path::new("4"),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("committed 4 of 9 documents"), "{err}");
    assert!(
        err.contains("committed 9 of 9 documents (9 in the index)"),
        "{err}"
    );
    // The same pairs as `scan` (ids and labels).
    let scanned = dir.path().join("scan");
    let s = run(&[
        Path::new("scan"),
        Path::new(&news),
        Path::new("-o"),
        &scanned,
    ]);
    assert!(s.status.success());
    let labelled = |p: &Path| {
        let mut v: Vec<(String, String, String)> = std::fs::read_to_string(p)
            .expect("pairs.jsonl")
            .lines()
            .map(|l| {
                let j: Value = serde_json::from_str(l).expect("JSON");
                let (a, b) = (j["a"]["id"].to_string(), j["b"]["id"].to_string());
                let (a, b) = if a < b { (a, b) } else { (b, a) };
                (a, b, j["label"].to_string())
            })
            .collect();
        v.sort();
        v
    };
    let from_index = labelled(&pairs.join("pairs.jsonl"));
    assert_eq!(from_index, labelled(&scanned.join("pairs.jsonl")));
    assert_eq!(from_index.len(), 4);
    assert!(pairs.join("summary.json").exists() && !pairs.join("INCOMPLETE").exists());

    let o = reprint(&["index", "stats", &ix.display().to_string(), "--json"]);
    assert!(o.status.success());
    let st: Value = serde_json::from_slice(&o.stdout).expect("stats JSON");
    assert_eq!(st["documents"], 9);
    assert!(st["disk_bytes"].as_u64().expect("disk") > 0);

    // Query with two files: one JSON line each, in order; the rewrite finds its original.
    let q1 = dir.path().join("q1.txt");
    let q2 = dir.path().join("q2.txt");
    let corpus = std::fs::read_to_string(&news).expect("news");
    let gazette: Value = serde_json::from_str(corpus.lines().next().expect("line")).expect("JSON");
    std::fs::write(&q1, gazette["text"].as_str().expect("text")).expect("write");
    std::fs::write(&q2, article(77, 12)).expect("write");
    let o = run(&[
        Path::new("query"),
        &ix,
        &q1,
        &q2,
        Path::new("--json"),
        Path::new("--date"),
        Path::new("2026-03-09"),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = String::from_utf8(o.stdout).expect("UTF-8");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2);
    assert!(lines[0].starts_with("{\"query\":{\"id\":"), "{}", lines[0]);
    let first: Value = serde_json::from_str(lines[0]).expect("JSON");
    let second: Value = serde_json::from_str(lines[1]).expect("JSON");
    assert_eq!(
        first["query"]["bytes"],
        gazette["text"].as_str().unwrap().len()
    );
    let m = first["matches"].as_array().expect("matches");
    assert_eq!(m[0]["id"], "gazette-0412");
    assert_eq!(
        m[0]["copies"],
        serde_json::json!([]),
        "no byte-identical copy"
    );
    assert!(m.iter().any(|x| x["id"] == "metro-2231"));
    let scores: Vec<f64> = m.iter().map(|x| x["score"].as_f64().unwrap()).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
    // The query is dated after the Gazette (2026-03-02): the match is the source.
    assert_eq!(m[0]["direction"]["source"], "match");
    assert!(second["matches"].as_array().expect("matches").is_empty());

    // The terminal report shows the best match side by side.
    let o = run(&[Path::new("query"), &ix, &q1]);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains("gazette-0412") && text.contains("side by side"),
        "{text}"
    );

    let o = reprint(&[
        "index",
        "remove",
        &ix.display().to_string(),
        "gazette-0412",
        "nope",
    ]);
    assert_eq!(o.status.code(), Some(3), "an id not in the index: exit 3");
    assert!(stderr(&o).contains("removed 1 documents"), "{}", stderr(&o));
    let o = reprint(&["index", "stats", &ix.display().to_string(), "--json"]);
    let st: Value = serde_json::from_slice(&o.stdout).expect("stats JSON");
    assert_eq!(st["documents"], 8);
}

#[test]
fn bad_records_are_named_and_exit_3_and_bad_indexes_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("in.jsonl");
    let mut f = std::fs::File::create(&input).expect("create");
    writeln!(
        f,
        "{}",
        serde_json::json!({"id": "a", "text": article(1, 8)})
    )
    .unwrap();
    writeln!(f, "{{not json").unwrap();
    writeln!(f, "{}", serde_json::json!({"id": "b", "text": ""})).unwrap();
    writeln!(
        f,
        "{}",
        serde_json::json!({"id": "c", "text": article(2, 8)})
    )
    .unwrap();
    drop(f);
    let ix = dir.path().join("ix");
    let o = run(&[Path::new("index"), Path::new("add"), &ix, &input]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("in.jsonl:2"), "{err}");
    assert!(err.contains("in.jsonl:3 (b): empty text"), "{err}");
    let index = Index::open(&ix, &ScanSettings::default()).expect("open");
    assert_eq!(index.len().expect("len"), 2);

    // A directory that is not an index, and a query of a missing file.
    let other = dir.path().join("other");
    std::fs::create_dir(&other).unwrap();
    std::fs::write(other.join("x.txt"), "x").unwrap();
    let o = run(&[Path::new("index"), Path::new("add"), &other, &input]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("not empty"), "{}", stderr(&o));
    let o = run(&[Path::new("index"), Path::new("stats"), &other]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no reprint index"), "{}", stderr(&o));
    let missing = dir.path().join("missing.txt");
    let o = run(&[Path::new("query"), &ix, &missing]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("missing.txt"), "{}", stderr(&o));
}

/// kill -9 during `index add` of a large input: the index opens, every batch reported
/// committed is there and queryable, and no document is there twice.
#[test]
fn kill_9_during_add_keeps_every_committed_batch() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("big.jsonl");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&input).expect("create"));
    let n = 6000u64;
    for i in 0..n {
        let rec = serde_json::json!({"id": format!("d{i}"), "text": article(i + 10, 10)});
        writeln!(f, "{rec}").unwrap();
    }
    drop(f);
    let ix = dir.path().join("ix");
    let mut child = Command::new(env!("CARGO_BIN_EXE_reprint"))
        .args(["index", "add"])
        .arg(&ix)
        .arg(&input)
        .args(["--batch", "200", "--threads", "1"])
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("spawn");
    let mut reader = BufReader::new(child.stderr.take().expect("stderr"));
    let mut committed = 0u64;
    let mut line = String::new();
    while reader.read_line(&mut line).expect("read") > 0 {
        if let Some(rest) = line.strip_prefix("committed ") {
            committed = rest.split(' ').next().unwrap().parse().expect("count");
            if committed >= 600 {
                break;
            }
        }
        line.clear();
    }
    child.kill().expect("kill -9"); // SIGKILL on Unix
    child.wait().expect("wait");
    assert!(
        committed >= 600,
        "the add was killed after {committed} committed documents"
    );
    assert!(
        committed < n,
        "the add finished before the kill: make the input larger"
    );

    let index = Index::open(&ix, &ScanSettings::default()).expect("the index opens");
    let ids = index.ids().expect("ids");
    let unique: HashSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "no document twice");
    assert!(ids.len() as u64 >= committed, "{} < {committed}", ids.len());
    assert_eq!(index.len().expect("len"), ids.len() as u64);
    // Every committed document is there, in order, and queryable.
    for (i, id) in ids.iter().enumerate().take(committed as usize) {
        assert_eq!(id, &format!("d{i}"));
    }
    for i in [0u64, committed / 2, committed - 1] {
        let text = article(i + 10, 10);
        let r = index
            .query("q", text.as_bytes(), &Default::default())
            .expect("query");
        assert_eq!(
            r.matches.first().map(|m| m.id.as_str()),
            Some(format!("d{i}").as_str())
        );
    }
}
