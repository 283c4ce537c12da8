//! Hostile and unlucky inputs: each case of issue 10, run against the binary.

use std::path::Path;
use std::process::Output;

use super::{fixture, reprint, stderr};

/// `reprint scan INPUTS... --out OUT EXTRA...`.
fn scan(inputs: &[&Path], out: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["scan".to_string()];
    args.extend(inputs.iter().map(|p| p.display().to_string()));
    args.extend(["--out".to_string(), out.display().to_string()]);
    args.extend(extra.iter().map(|s| s.to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    reprint(&args)
}

/// summary.json of a scan's output directory.
fn summary(out: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(out.join("summary.json")).expect("summary.json");
    serde_json::from_str(&text).expect("summary JSON")
}

#[test]
fn compare_refuses_bad_dates_naming_the_option() {
    let (a, b) = (
        fixture("harbour_source.txt"),
        fixture("harbour_rewrite.txt"),
    );
    for (opt, bad, why) in [
        ("--date-a", "2024-13-45", "month 13"),
        ("--date-b", "2024-02-30", "29 days"),
        ("--date-a", "abc", "YYYY-MM-DD"),
        ("--date-b", "2024-1-1", "2 digits"),
        ("--date-a", "2024-01-01T25:00Z", "hour 25"),
    ] {
        let o = reprint(&["compare", &a, &b, opt, bad]);
        assert_eq!(o.status.code(), Some(2), "{opt} {bad}: {}", stderr(&o));
        let err = stderr(&o);
        assert!(err.contains(opt) && err.contains(why), "{err}");
        assert!(o.stdout.is_empty(), "no report for a refused date");
    }
}

#[test]
fn compare_orders_dates_by_time_not_by_string() {
    let (a, b) = (
        fixture("harbour_source.txt"),
        fixture("harbour_rewrite.txt"),
    );
    let direction = |da: &str, db: &str| {
        let o = reprint(&["compare", &a, &b, "--json", "--date-a", da, "--date-b", db]);
        assert!(o.status.success(), "{}", stderr(&o));
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
        v["direction"]["source"].as_str().unwrap_or("").to_string()
    };
    // As strings "2024-01-01T10:00+05:00" sorts after "2024-01-01T06:00Z"; in time it is before.
    assert_eq!(
        direction("2024-01-01T10:00+05:00", "2024-01-01T06:00Z"),
        "a"
    );
    assert_eq!(direction("2024-01-10", "2024-01-09T23:00Z"), "b");
}

#[test]
fn scan_warns_about_a_bad_date_and_treats_the_record_as_undated() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("dated.jsonl");
    let text = "The harbour board approved the new ferry timetable on Monday after a long debate.";
    let records = format!(
        "{{\"id\":\"good\",\"date\":\"2024-02-29\",\"text\":\"{text}\"}}\n\
         {{\"id\":\"feb30\",\"date\":\"2024-02-30\",\"text\":\"{text}\"}}\n\
         {{\"id\":\"junk\",\"date\":\"abc\",\"text\":\"{text}\"}}\n"
    );
    std::fs::write(&input, records).expect("write");
    let out = dir.path().join("out");
    let o = scan(&[&input], &out, &[]);
    // Warnings are not skips: every record is scanned.
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("dated.jsonl:2 (feb30)") && err.contains("29 days"),
        "{err}"
    );
    assert!(err.contains("dated.jsonl:3 (junk)"), "{err}");
    let summary = summary(&out);
    assert_eq!(summary["documents"], 3);
    assert_eq!(summary["warnings"], 2);
}
