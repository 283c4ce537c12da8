//! The `reprint` binary as a user runs it: exit statuses, output formats and messages.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn reprint(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_reprint"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run reprint")
}

fn repo(rel: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(rel)
        .display()
        .to_string()
}

fn fixture(name: &str) -> String {
    repo(&format!("crates/reprint/tests/fixtures/{name}"))
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// `reprint scan INPUT --out OUT EXTRA...`.
fn scan_into(input: &Path, out: &Path, extra: &[&str]) -> Output {
    let (input, out) = (input.display().to_string(), out.display().to_string());
    let mut args = vec!["scan", input.as_str(), "--out", out.as_str()];
    args.extend_from_slice(extra);
    reprint(&args)
}

#[test]
fn compare_prints_a_report_and_json() {
    let (a, b) = (
        fixture("harbour_source.txt"),
        fixture("harbour_rewrite.txt"),
    );
    let text = reprint(&["compare", &a, &b]);
    assert!(text.status.success(), "{}", stderr(&text));
    let out = String::from_utf8(text.stdout).expect("UTF-8 report");
    assert!(out.contains("Verdict"), "{out}");
    assert!(out.contains("Alignments"), "{out}");
    assert!(
        !out.contains('\u{1b}'),
        "no colour when NO_COLOR is set or not a TTY"
    );

    let json = reprint(&["compare", &a, &b, "--json"]);
    assert!(json.status.success(), "{}", stderr(&json));
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON");
    assert_eq!(v["verdict"]["label"], "derived");
    // Offsets index the files as given.
    let bytes = std::fs::read(&a).expect("fixture");
    let first = &v["alignments"][0]["a"];
    let (s, e) = (
        first[0].as_u64().expect("start") as usize,
        first[1].as_u64().expect("end") as usize,
    );
    assert!(s < e && e <= bytes.len());
}

#[test]
fn min_probability_demotes_a_pair_under_it_and_refuses_a_bad_value() {
    let (a, b) = (
        fixture("harbour_source.txt"),
        fixture("harbour_rewrite.txt"),
    );
    let json = |extra: &[&str]| {
        let mut args = vec!["compare", a.as_str(), b.as_str(), "--json"];
        args.extend_from_slice(extra);
        let o = reprint(&args);
        assert!(o.status.success(), "{}", stderr(&o));
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
        v["verdict"].clone()
    };
    let plain = json(&[]);
    assert_eq!(plain["label"], "derived");
    let p = plain["probability"].as_f64().expect("a probability");
    let above = format!("{:.3}", (p + 0.01).min(1.0));
    let below = format!("{:.3}", p - 0.01);
    assert_eq!(json(&["--min-probability", &below])["label"], "derived");
    let demoted = json(&["--min-probability", &above]);
    assert_eq!(demoted["label"], "related", "{demoted}");
    assert_eq!(demoted["probability"].as_f64(), Some(p));
    let bad = reprint(&["compare", &a, &b, "--min-probability", "1.5"]);
    assert!(!bad.status.success());
    assert!(stderr(&bad).contains("min_probability"), "{}", stderr(&bad));
}

#[test]
fn dates_lower_the_probability_only_within_one_series() {
    let read = |name: &str| std::fs::read_to_string(fixture(name)).expect("fixture");
    let (a, b) = (read("harbour_source.txt"), read("harbour_rewrite.txt"));
    // The rewrite six years after the source: by the same outlet, and by another one.
    let scan = |series_b: &str| {
        let dir = tempfile::tempdir().expect("tempdir");
        let input = dir.path().join("in.jsonl");
        let line = |id: &str, series: &str, date: &str, text: &str| {
            serde_json::json!({"id": id, "series": series, "date": date, "text": text}).to_string()
        };
        let body = format!(
            "{}\n{}\n",
            line("a", "harbour-gazette", "2020-03-01", &a),
            line("b", series_b, "2026-03-01", &b)
        );
        std::fs::write(&input, body).expect("write");
        let out = dir.path().join("out");
        let o = scan_into(&input, &out, &["--emit", "derived,partial,related", "-q"]);
        assert!(o.status.success(), "{}", stderr(&o));
        let pairs = std::fs::read_to_string(out.join("pairs.jsonl")).expect("pairs");
        let v: serde_json::Value =
            serde_json::from_str(pairs.lines().next().expect("one pair")).expect("JSON");
        v["comparison"]["verdict"].clone()
    };
    let other = scan("the-coast-times");
    let same = scan("harbour-gazette");
    assert_eq!(other["label"], "derived", "{other}");
    assert_eq!(same["label"], "related", "{same}");
    let (po, ps) = (
        other["probability"].as_f64().expect("p"),
        same["probability"].as_f64().expect("p"),
    );
    assert!(ps < 0.5 && po > 0.5, "{ps} {po}");
    // `compare` takes the same fact as --same-series.
    let (fa, fb) = (
        fixture("harbour_source.txt"),
        fixture("harbour_rewrite.txt"),
    );
    let cmp = |extra: &[&str]| {
        let mut args = vec![
            "compare",
            fa.as_str(),
            fb.as_str(),
            "--json",
            "--date-a",
            "2020-03-01",
            "--date-b",
            "2026-03-01",
        ];
        args.extend_from_slice(extra);
        let o = reprint(&args);
        assert!(o.status.success(), "{}", stderr(&o));
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
        v["verdict"].clone()
    };
    assert_eq!(cmp(&[])["probability"], other["probability"]);
    assert_eq!(cmp(&["--same-series"])["probability"], same["probability"]);
    assert_eq!(cmp(&["--same-series"])["label"], "related");
}

#[test]
fn compare_writes_escaped_html() {
    let dir = tempfile::tempdir().expect("tempdir");
    let a = dir.path().join("a.txt");
    let b = dir.path().join("b.txt");
    let body = "The mayor said <script>alert('x')</script> the bridge will reopen on Friday \
        after three weeks of repairs costing 40,000 pounds. Drivers were told to expect \
        delays near the river crossing during the morning rush hour.";
    std::fs::write(&a, body).expect("write");
    std::fs::write(&b, body.replace("Friday", "Monday")).expect("write");
    let html = dir.path().join("out.html");
    let o = reprint(&[
        "compare",
        &a.display().to_string(),
        &b.display().to_string(),
        "--html",
        &html.display().to_string(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let page = std::fs::read_to_string(&html).expect("HTML written");
    assert!(page.contains("&lt;script&gt;"), "document text is escaped");
    assert!(!page.contains("<script>alert"), "no raw document markup");
}

#[test]
fn compare_refuses_empty_binary_and_missing_files_by_name() {
    let dir = tempfile::tempdir().expect("tempdir");
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, "  \n").expect("write");
    let binary = dir.path().join("photo.png");
    std::fs::write(&binary, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00").expect("write");
    let good = fixture("glacier.txt");
    for (bad, name) in [
        (empty.display().to_string(), "empty.txt"),
        (binary.display().to_string(), "photo.png"),
        ("/no/such/file.txt".to_string(), "file.txt"),
    ] {
        let o = reprint(&["compare", &bad, &good]);
        assert_eq!(o.status.code(), Some(2), "{name}");
        let err = stderr(&o);
        assert!(err.contains(name), "{err}");
        assert!(!err.contains("panicked"), "{err}");
        // The cause is printed once.
        assert!(err.matches("os error").count() <= 1, "{err}");
    }
}

#[test]
fn scan_writes_pairs_clusters_and_summary() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out");
    let corpus = repo("examples/scan/news.jsonl");
    let o = reprint(&[
        "scan",
        &corpus,
        "--out",
        &out.display().to_string(),
        "--detail",
        "full",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let pairs = std::fs::read_to_string(out.join("pairs.jsonl")).expect("pairs.jsonl");
    assert!(pairs.lines().count() >= 3, "{pairs}");
    for line in pairs.lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("pair JSON");
        // Full detail carries the changes as `compare --json` does.
        assert!(v["comparison"]["changes"].is_array(), "{line}");
    }
    let clusters = std::fs::read_to_string(out.join("clusters.jsonl")).expect("clusters");
    assert!(clusters.contains("\"root\":\"gazette-0412\""), "{clusters}");
    let summary: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(out.join("summary.json")).expect("summary.json"),
    )
    .expect("summary JSON");
    assert_eq!(summary["documents"], 9);
    assert!(stderr(&o).contains("scanned 9 documents"), "{}", stderr(&o));
}

#[test]
fn scan_exits_3_when_records_were_skipped_and_names_them() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input: PathBuf = dir.path().join("bad.jsonl");
    std::fs::write(
        &input,
        "{\"id\": \"a\", \"text\": \"A short item about the harbour.\"}\n{not json\n",
    )
    .expect("write");
    let out = dir.path().join("out");
    let o = scan_into(&input, &out, &[]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stderr(&o).contains("bad.jsonl:2"), "{}", stderr(&o));

    let q = reprint(&[
        "scan",
        &input.display().to_string(),
        "--out",
        &out.display().to_string(),
        "--quiet",
    ]);
    assert_eq!(q.status.code(), Some(3));
    assert!(stderr(&q).is_empty(), "{}", stderr(&q));

    let missing = reprint(&[
        "scan",
        "/no/such/corpus.jsonl",
        "--out",
        &out.display().to_string(),
    ]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("corpus.jsonl"));
    assert_eq!(
        stderr(&missing).matches("os error").count(),
        1,
        "{}",
        stderr(&missing)
    );
}

/// Hostile and unlucky inputs (issue 10).
#[path = "cli/hostile.rs"]
mod hostile;

/// The index and queries (issue 11).
#[path = "cli/index.rs"]
mod index;

#[test]
fn background_table_is_built_used_and_validated() {
    let dir = tempfile::tempdir().expect("tempdir");
    let table = dir.path().join("bg.bin");
    let table_s = table.display().to_string();
    let corpus = repo("examples/scan/news.jsonl");
    let built = reprint(&["background", &corpus, "--out", &table_s]);
    assert!(built.status.success(), "{}", stderr(&built));
    assert!(stderr(&built).contains("documents"), "{}", stderr(&built));
    let (a, b) = (
        fixture("harbour_source.txt"),
        fixture("harbour_rewrite.txt"),
    );
    let json = reprint(&["compare", &a, &b, "--json", "--background", &table_s]);
    assert!(json.status.success(), "{}", stderr(&json));
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON");
    assert_eq!(v["verdict"]["label"], "derived");
    assert!(v["verdict"]["reasons"]
        .to_string()
        .contains("shared fingerprints"));
    // Not a table: refused, naming the file.
    let bad = dir.path().join("not-a-table.bin");
    std::fs::write(&bad, "just some words").expect("write");
    let bad_s = bad.display().to_string();
    let refused = reprint(&["compare", &a, &b, "--background", &bad_s]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        stderr(&refused).contains("not-a-table.bin"),
        "{}",
        stderr(&refused)
    );
}
