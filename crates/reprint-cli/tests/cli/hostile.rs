//! Hostile and unlucky inputs: each case of issue 10, run against the binary.

use std::path::Path;
use std::process::Output;

use super::{fixture, reprint, stderr};

/// `reprint scan INPUTS... --out OUT EXTRA...` (paths passed as given, even when not UTF-8).
fn scan(inputs: &[&Path], out: &Path, extra: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_reprint"))
        .arg("scan")
        .args(inputs)
        .arg("--out")
        .arg(out)
        .args(extra)
        .env("NO_COLOR", "1")
        .output()
        .expect("run reprint")
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

/// A text of `n` short stories as JSONL, for scans that must take a moment.
fn corpus(n: usize) -> String {
    let mut s = String::new();
    for i in 0..n {
        s.push_str(&format!(
            "{{\"id\":\"d{i}\",\"text\":\"Item {i}: the harbour board met on day {} and voted {} to {} on the ferry timetable for route {}.\"}}\n",
            i % 31,
            i * 7 % 13,
            i * 11 % 17,
            i * 7919 % 10007
        ));
    }
    s
}

#[cfg(unix)]
#[test]
fn scan_walks_symlink_loops_fifos_and_dangling_links_and_goes_on() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().expect("tempdir");
    let l = dir.path().join("L");
    std::fs::create_dir_all(l.join("sub")).expect("mkdir");
    let article = std::fs::read(fixture("harbour_source.txt")).expect("fixture");
    std::fs::write(l.join("a.txt"), &article).expect("a");
    std::fs::write(
        l.join("sub/b.txt"),
        std::fs::read(fixture("harbour_rewrite.txt")).expect("b"),
    )
    .expect("b");
    for i in 1..=3 {
        symlink(".", l.join(format!("l{i}"))).expect("loop");
    }
    symlink("..", l.join("sub/loop")).expect("loop up");
    let out = dir.path().join("out");
    let started = std::time::Instant::now();
    let o = scan(&[&l], &out, &[]);
    assert!(
        started.elapsed().as_secs() < 30,
        "the loop directory finishes"
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(summary(&out)["documents"], 2, "{}", stderr(&o));
    assert!(stderr(&o).contains("already read"), "{}", stderr(&o));

    // A FIFO named *.txt and a dangling link: both skipped, the rest scanned, exit 3.
    symlink("/no/such/file.txt", l.join("dangling.txt")).expect("dangling");
    let fifo = l.join("pipe.txt");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo");
    // An unreadable file: /proc/self/mem is a regular file whose read fails (even as root).
    if std::path::Path::new("/proc/self/mem").exists() {
        symlink("/proc/self/mem", l.join("mem.txt")).expect("mem link");
    }
    let o = scan(&[&l], &out, &[]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("dangling.txt: dangling symbolic link"),
        "{err}"
    );
    assert!(err.contains("pipe.txt: a FIFO"), "{err}");
    if l.join("mem.txt").exists() {
        assert!(err.contains("mem.txt: read error"), "{err}");
    }
    let s = summary(&out);
    assert_eq!(s["documents"], 2);
    assert_eq!(s["skipped"], if l.join("mem.txt").exists() { 3 } else { 2 });
}

#[test]
fn a_failed_scan_leaves_the_previous_result_and_a_marker() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("news.jsonl");
    std::fs::write(&input, corpus(50)).expect("write");
    let out = dir.path().join("out");
    assert_eq!(scan(&[&input], &out, &[]).status.code(), Some(0));
    let before = std::fs::read_to_string(out.join("summary.json")).expect("summary");
    let pairs_before = std::fs::read(out.join("pairs.jsonl")).expect("pairs");

    // Fails after reading the first input: the second does not exist.
    let missing = dir.path().join("missing.jsonl");
    let o = scan(&[&input, &missing], &out, &[]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(out.join("summary.json")).expect("old summary kept"),
        before
    );
    assert_eq!(
        std::fs::read(out.join("pairs.jsonl")).expect("old pairs"),
        pairs_before
    );
    let marker = std::fs::read_to_string(out.join("INCOMPLETE")).expect("marker");
    assert!(marker.contains("did not finish"), "{marker}");
    let partial = std::fs::read_dir(&out)
        .expect("list")
        .filter_map(|e| e.ok())
        .any(|e| e.file_name().to_string_lossy().ends_with(".partial"));
    assert!(!partial, "partial files removed");

    // The next good run replaces everything and removes the marker.
    assert_eq!(scan(&[&input], &out, &[]).status.code(), Some(0));
    assert!(!out.join("INCOMPLETE").exists());

    // A truncated .gz is a skipped record, not a failure: the records before the break stay.
    let gz = dir.path().join("cut.jsonl.gz");
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    std::io::Write::write_all(&mut enc, corpus(3000).as_bytes()).expect("gzip");
    let full = enc.finish().expect("gzip");
    std::fs::write(&gz, &full[..full.len() / 2]).expect("write");
    let o = scan(&[&gz], &out, &[]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stderr(&o).contains("read error"), "{}", stderr(&o));
    let docs = summary(&out)["documents"].as_u64().unwrap_or(0);
    assert!(docs > 100 && docs < 3000, "{docs}");
}

/// Starts a scan of a corpus large enough to be running after `wait`, sends it `signal`
/// (a name for `kill`), and returns the output directory's state.
#[cfg(unix)]
fn interrupted_scan(signal: &str) -> (Option<i32>, Option<i32>, String, tempfile::TempDir) {
    use std::os::unix::process::ExitStatusExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let small = dir.path().join("small.jsonl");
    std::fs::write(&small, corpus(30)).expect("write");
    let big = dir.path().join("big.jsonl");
    std::fs::write(&big, corpus(200_000)).expect("write");
    let out = dir.path().join("out");
    assert_eq!(scan(&[&small], &out, &[]).status.code(), Some(0));
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_reprint"))
        .args([
            "scan",
            &big.display().to_string(),
            "--out",
            &out.display().to_string(),
        ])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start scan");
    std::thread::sleep(std::time::Duration::from_millis(1500));
    assert!(
        child.try_wait().expect("poll").is_none(),
        "the scan is still running"
    );
    let killed = std::process::Command::new("kill")
        .args([&format!("-{signal}"), &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(killed.success());
    let o = child.wait_with_output().expect("wait");
    (o.status.code(), o.status.signal(), stderr(&o), dir)
}

#[cfg(unix)]
#[test]
fn interrupted_scans_keep_the_previous_result_and_say_so() {
    for (signal, code) in [("INT", 130), ("TERM", 143)] {
        let (status, _, err, dir) = interrupted_scan(signal);
        assert_eq!(status, Some(code), "{signal}: {err}");
        assert!(err.contains("nothing new was written"), "{err}");
        assert!(err.contains("previous complete result"), "{err}");
        let out = dir.path().join("out");
        assert_eq!(summary(&out)["documents"], 30, "the old summary, intact");
        assert!(out.join("INCOMPLETE").exists());
        assert!(!out.join("pairs.jsonl.partial").exists());
    }
    // SIGKILL cannot be caught: the marker written at the start stays, the old result too,
    // and the unfinished output only under its .partial name.
    let (_, signal, _, dir) = interrupted_scan("KILL");
    assert_eq!(signal, Some(9));
    let out = dir.path().join("out");
    assert_eq!(summary(&out)["documents"], 30);
    let marker = std::fs::read_to_string(out.join("INCOMPLETE")).expect("marker");
    assert!(marker.contains("has not finished"), "{marker}");
}

#[test]
fn control_characters_never_reach_the_terminal_raw() {
    let dir = tempfile::tempdir().expect("tempdir");
    let attack = "\u{1b}]0;PWNED\u{7}\u{1b}[2J";
    let source = std::fs::read_to_string(fixture("harbour_source.txt")).expect("fixture");
    let a = dir.path().join(format!("a{attack}.txt"));
    std::fs::write(&a, format!("{attack} {source} {attack}")).expect("write");
    let b = fixture("harbour_rewrite.txt");
    let o = reprint(&["compare", &a.display().to_string(), &b]);
    assert!(o.status.success(), "{}", stderr(&o));
    let report = String::from_utf8_lossy(&o.stdout);
    assert!(!report.contains(['\u{1b}', '\u{7}']), "{report}");
    assert!(
        report.contains("\\x1b]0;PWNED\\x07"),
        "escaped, still visible: {report}"
    );
    // JSON is unaffected: it escapes control characters itself and keeps the id as given.
    let json = reprint(&["compare", &a.display().to_string(), &b, "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON");
    assert!(v["doc_a"]["id"]
        .as_str()
        .is_some_and(|id| id.contains(attack)));
    // Errors naming the file.
    let missing = dir.path().join(format!("gone{attack}.txt"));
    let o = reprint(&["compare", &missing.display().to_string(), &b]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!stderr(&o).contains('\u{1b}'), "{}", stderr(&o));

    // Ids in scan listings: no raw escape, and a newline cannot fake another line.
    let input = dir.path().join("ids.jsonl");
    std::fs::write(
        &input,
        "{\"id\":\"x\\u001b]0;PWNED\\u0007\",\"text\":\"   \"}\n\
         {\"id\":\"y\\nskipped fake.jsonl:9 (z): forged\",\"text\":\"\"}\n",
    )
    .expect("write");
    let o = scan(&[&input], &dir.path().join("out"), &[]);
    let err = stderr(&o);
    assert!(!err.contains('\u{1b}'), "{err}");
    assert_eq!(
        err.lines().filter(|l| l.starts_with("skipped")).count(),
        2,
        "{err}"
    );
}

#[test]
fn bad_option_values_are_echoed_escaped() {
    // clap repeats a bad value in its usage error; a carriage return or a bell in it must not
    // reach the terminal raw (a CR would let the value overwrite the start of the line).
    let o = reprint(&["scan", "x", "--out", "o", "--threads", "1\rfake\u{7}"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(!err.contains(['\r', '\u{7}', '\u{1b}']), "{err:?}");
    assert!(err.contains("1\\rfake"), "escaped, still visible: {err}");
    // Help and version still print as before, on stdout, with status 0.
    let o = reprint(&["--help"]);
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stdout).contains("Usage: reprint"));
}

#[test]
fn threads_are_capped() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("news.jsonl");
    std::fs::write(&input, corpus(9)).expect("write");
    let started = std::time::Instant::now();
    let o = scan(&[&input], &dir.path().join("out"), &["--threads", "100000"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(started.elapsed().as_secs() < 20);
    assert!(
        stderr(&o).contains("--threads 100000 capped at"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn jsonl_with_a_bom_an_invalid_byte_and_long_ids_loses_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("r.jsonl");
    let mut data = b"\xEF\xBB\xBF{\"id\":\"one\",\"text\":\"The first record.\"}\n".to_vec();
    data.extend_from_slice(b"{\"id\":\"two\",\"text\":\"The caf\xe9 record.\"}\n");
    data.extend_from_slice(b"{\"id\":123456789012345678901234567890,\"text\":\"Third.\"}\n");
    data.extend_from_slice(b"{\"id\":123456789012345678901234567891,\"text\":\"Fourth.\"}\n");
    std::fs::write(&input, data).expect("write");
    let out = dir.path().join("out");
    let o = scan(&[&input], &out, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let s = summary(&out);
    assert_eq!(s["documents"], 4);
    assert_eq!(s["warnings"], 1);
    assert!(
        stderr(&o).contains("r.jsonl:2 (two): invalid UTF-8"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn compare_reads_a_bounded_amount() {
    let article = fixture("harbour_source.txt");
    if std::path::Path::new("/dev/zero").exists() {
        let o = reprint(&["compare", "/dev/zero", &article]);
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(stderr(&o).contains("--max-bytes"), "{}", stderr(&o));
    }
    let o = reprint(&["compare", &article, &article, "--max-bytes", "100"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("longer than --max-bytes 100"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn clear_messages_for_utf16_wordless_files_and_an_output_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let article = fixture("harbour_source.txt");
    let u16 = dir.path().join("u16.txt");
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend("Words in UTF-16.".encode_utf16().flat_map(u16::to_le_bytes));
    std::fs::write(&u16, bytes).expect("write");
    let o = reprint(&["compare", &u16.display().to_string(), &article]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("UTF-16") && !stderr(&o).contains("binary"),
        "{}",
        stderr(&o)
    );

    for (name, text) in [
        ("punct.txt", "!!! ... ???"),
        ("emoji.txt", "🎉🎉 🎉"),
        ("blank.txt", " \n "),
    ] {
        let p = dir.path().join(name);
        std::fs::write(&p, text).expect("write");
        let o = reprint(&["compare", &p.display().to_string(), &article]);
        assert_eq!(o.status.code(), Some(2), "{name}");
        assert!(
            stderr(&o).contains("holds no words"),
            "{name}: {}",
            stderr(&o)
        );
    }

    let file = dir.path().join("not-a-dir");
    std::fs::write(&file, "x").expect("write");
    let input = dir.path().join("in.jsonl");
    std::fs::write(&input, corpus(3)).expect("write");
    let o = scan(&[&input], &file, &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("exists and is not a directory"),
        "{}",
        stderr(&o)
    );

    // A file name that is not UTF-8 is read like any other.
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let odd = dir.path().join(std::ffi::OsStr::from_bytes(b"caf\xe9.txt"));
        std::fs::copy(&article, &odd).expect("copy");
        let o = scan(&[&odd], &dir.path().join("out"), &[]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert_eq!(summary(&dir.path().join("out"))["documents"], 1);
    }
}
