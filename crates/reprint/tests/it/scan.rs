//! End-to-end tests of `scan`: real readers, the real verifier, clusters and the summary,
//! on texts written for these tests (`examples/scan/news.jsonl` and generated ones).

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use proptest::prelude::*;
use reprint::{scan_paths, MemorySink, NoProgress, ScanSettings, ScanSummary};
use serde_json::Value;

pub(crate) fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/scan/news.jsonl")
}

fn run(inputs: &[PathBuf], settings: &ScanSettings) -> (MemorySink, ScanSummary) {
    let mut sink = MemorySink::default();
    let summary = scan_paths(inputs, settings, &mut sink, &NoProgress).expect("scan runs");
    (sink, summary)
}

pub(crate) fn parse(lines: &[String]) -> Vec<Value> {
    lines
        .iter()
        .map(|l| serde_json::from_str(l).expect("output line is JSON"))
        .collect()
}

/// The unordered id pairs of `pairs.jsonl`.
fn id_pairs(pairs: &[Value]) -> BTreeSet<(String, String)> {
    pairs
        .iter()
        .map(|p| {
            let a = p["a"]["id"].as_str().expect("a.id").to_string();
            let b = p["b"]["id"].as_str().expect("b.id").to_string();
            if a < b {
                (a, b)
            } else {
                (b, a)
            }
        })
        .collect()
}

fn pair(a: &str, b: &str) -> (String, String) {
    if a < b {
        (a.into(), b.into())
    } else {
        (b.into(), a.into())
    }
}

/// A deterministic pseudo-random article: sentences of made-up words built from syllables
/// (about 14,000 distinct words), so that two seeds give two unrelated texts.
pub(crate) fn filler(seed: u64, sentences: usize) -> String {
    const SYL: [&str; 24] = [
        "ka", "lo", "mer", "tin", "va", "res", "po", "dul", "shi", "gan", "fe", "rom", "sal",
        "bri", "nu", "cot", "wen", "ha", "zor", "pli", "mu", "tek", "da", "ves",
    ];
    const GLUE: [&str; 8] = [
        "the", "near", "with", "after", "under", "beside", "over", "and",
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
        let n = 8 + (next() % 8) as usize;
        for i in 0..n {
            if i > 0 {
                out.push(' ');
            }
            if i % 3 == 1 {
                out.push_str(GLUE[(next() % 8) as usize]);
                continue;
            }
            let syllables = 2 + (next() % 2) as usize;
            for k in 0..syllables {
                let s = SYL[(next() % 24) as usize];
                if i == 0 && k == 0 {
                    out.push_str(&s[..1].to_ascii_uppercase());
                    out.push_str(&s[1..]);
                } else {
                    out.push_str(s);
                }
            }
        }
        out.push_str(". ");
    }
    out
}

pub(crate) fn write_jsonl(path: &Path, records: &[Value]) {
    let mut f = std::fs::File::create(path).expect("create JSONL");
    for r in records {
        writeln!(f, "{r}").expect("write JSONL");
    }
}

#[test]
fn example_corpus_finds_the_reprints_and_nothing_else() {
    let (sink, summary) = run(&[example()], &ScanSettings::default());
    let pairs = parse(&sink.pairs);
    let found = id_pairs(&pairs);

    // The ferry story: a verbatim reprint and a paraphrased rewrite of the Gazette original.
    assert!(
        found.contains(&pair("gazette-0412", "coastwire-88")),
        "{found:?}"
    );
    assert!(
        found.contains(&pair("gazette-0412", "metro-2231")),
        "{found:?}"
    );
    // The library story: a week-in-review column copies two of its paragraphs.
    assert!(
        found.contains(&pair("courier-1177", "ledger-3090")),
        "{found:?}"
    );
    // Same-topic (another ferry story) and unrelated stories are never reported.
    for lone in ["gazette-0419", "metro-2240", "coastwire-91", "courier-1180"] {
        assert!(
            found.iter().all(|(a, b)| a != lone && b != lone),
            "{lone} was paired: {found:?}"
        );
    }

    // Every reported pair carries a verified verdict and passages with offsets into the text.
    for p in &pairs {
        let label = p["label"].as_str().expect("label");
        assert!(label == "derived" || label == "partial", "{label}");
        assert_eq!(p["comparison"]["verdict"]["label"], p["label"]);
    }
    let verbatim = pairs
        .iter()
        .find(|p| p["b"]["id"] == "coastwire-88" || p["a"]["id"] == "coastwire-88")
        .filter(|p| p["a"]["id"] == "gazette-0412" || p["b"]["id"] == "gazette-0412")
        .expect("the verbatim reprint");
    assert_eq!(verbatim["label"], "derived");
    let passages = verbatim["comparison"]["passages"]
        .as_array()
        .expect("passages");
    let longest = passages
        .iter()
        .map(|p| p["words"].as_u64().unwrap_or(0))
        .max()
        .unwrap_or(0);
    assert!(
        longest >= 150,
        "the reprinted body is one passage: {longest}"
    );
    // The dates decide the direction: the Gazette printed it first.
    let src = verbatim["comparison"]["direction"]["source"].as_str();
    let gazette_side = if verbatim["a"]["id"] == "gazette-0412" {
        "a"
    } else {
        "b"
    };
    assert_eq!(src, Some(gazette_side));
    // Fields the user gave are passed through.
    let with_url = if verbatim["a"]["id"] == "gazette-0412" {
        &verbatim["a"]
    } else {
        &verbatim["b"]
    };
    assert_eq!(with_url["fields"]["section"], "Transport");

    // Clusters: the three ferry texts are one cascade rooted at the earliest.
    let clusters = parse(&sink.clusters);
    let ferry = clusters
        .iter()
        .find(|c| {
            c["members"]
                .as_array()
                .is_some_and(|m| m.iter().any(|d| d["id"] == "metro-2231"))
        })
        .expect("the ferry cluster");
    assert_eq!(ferry["root"], "gazette-0412");
    assert_eq!(ferry["root_by"], "date");
    assert_eq!(ferry["size"], 3);
    assert_eq!(ferry["edges"].as_array().map(Vec::len), Some(2));

    assert_eq!(summary.documents, 9);
    assert_eq!(summary.skipped, 0);
    assert_eq!(summary.pairs as usize, pairs.len());
    assert_eq!(summary.clusters as usize, clusters.len());
}

#[test]
fn skip_same_series_and_date_window_filter_candidates() {
    // Both reprints of the Gazette story come from other outlets, so skipping same-series
    // pairs keeps them; a one-day window keeps only the next-day reprint.
    let settings = ScanSettings::builder()
        .date_window(Some(1))
        .build()
        .expect("settings");
    let (sink, _) = run(&[example()], &settings);
    let found = id_pairs(&parse(&sink.pairs));
    assert!(found.contains(&pair("gazette-0412", "coastwire-88")));
    assert!(
        !found.contains(&pair("gazette-0412", "metro-2231")),
        "2 days apart"
    );
    assert!(
        !found.contains(&pair("courier-1177", "ledger-3090")),
        "4 days apart"
    );

    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("one-outlet.jsonl");
    let copy = filler(7, 12);
    write_jsonl(
        &path,
        &[
            serde_json::json!({"id": "x1", "series": "Same", "text": copy}),
            serde_json::json!({"id": "x2", "series": "Same", "text": copy}),
            serde_json::json!({"id": "x3", "series": "Other", "text": copy}),
        ],
    );
    let settings = ScanSettings::builder()
        .skip_same_series(true)
        .build()
        .expect("settings");
    let (sink, _) = run(&[path], &settings);
    let found = id_pairs(&parse(&sink.pairs));
    assert_eq!(
        found,
        [pair("x1", "x3"), pair("x2", "x3")].into_iter().collect()
    );
}

#[test]
fn malformed_records_are_skipped_with_file_and_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("mixed.jsonl");
    let story = filler(11, 10);
    let mut f = std::fs::File::create(&path).expect("create");
    writeln!(f, "{}", serde_json::json!({"id": "ok-1", "text": story})).unwrap();
    writeln!(f, "{{\"id\": \"broken\", \"text\": \"unterminated").unwrap();
    writeln!(f, "{}", serde_json::json!({"id": "no-text"})).unwrap();
    writeln!(f, "{}", serde_json::json!({"id": "empty", "text": "   "})).unwrap();
    writeln!(f).unwrap();
    f.write_all(b"\xff\xfe binary \x00 junk\n").unwrap();
    writeln!(
        f,
        "{}",
        serde_json::json!({"id": "ok-1", "text": "duplicate id"})
    )
    .unwrap();
    writeln!(f, "{}", serde_json::json!({"id": "ok-2", "text": story})).unwrap();
    drop(f);

    let (sink, summary) = run(&[path], &ScanSettings::default());
    assert_eq!(summary.documents, 2);
    let lines: Vec<Option<u64>> = summary.skipped_records.iter().map(|s| s.line).collect();
    // Line 5 is blank: nothing was given, nothing is lost.
    assert_eq!(lines, vec![Some(2), Some(3), Some(4), Some(6), Some(7)]);
    assert!(summary
        .skipped_records
        .iter()
        .all(|s| s.source.ends_with("mixed.jsonl") && !s.reason.is_empty()));
    assert!(summary.has_skipped());
    // The good records were still scanned.
    assert_eq!(
        id_pairs(&parse(&sink.pairs)),
        [pair("ok-1", "ok-2")].into_iter().collect()
    );
}

#[test]
fn gzip_and_directory_inputs() {
    use flate2::write::GzEncoder;
    use flate2::Compression;

    let dir = tempfile::tempdir().expect("tempdir");
    let story = filler(21, 12);
    let gz = dir.path().join("wire.jsonl.gz");
    let mut enc = GzEncoder::new(
        std::fs::File::create(&gz).expect("create"),
        Compression::fast(),
    );
    writeln!(
        enc,
        "{}",
        serde_json::json!({"id": "wire-1", "text": story})
    )
    .unwrap();
    enc.finish().expect("gzip");

    let tree = dir.path().join("archive");
    std::fs::create_dir_all(tree.join("2026/03")).expect("mkdir");
    std::fs::write(tree.join("2026/03/copy.txt"), &story).expect("write");
    std::fs::write(tree.join("2026/03/other.txt"), filler(22, 12)).expect("write");
    std::fs::write(tree.join("2026/index.html"), "<p>not read</p>").expect("write");

    let (sink, summary) = run(&[gz, tree], &ScanSettings::default());
    assert_eq!(summary.documents, 3);
    assert_eq!(summary.files, 3);
    // A file of another kind is not read, and is reported, not silently dropped.
    assert_eq!(summary.warnings, 1);
    assert!(summary.warning_records[0].source.ends_with("index.html"));
    let found = id_pairs(&parse(&sink.pairs));
    assert_eq!(found.len(), 1, "{found:?}");
    let (a, b) = found.iter().next().expect("one pair");
    let ids = [a.as_str(), b.as_str()];
    assert!(ids.contains(&"wire-1"), "{ids:?}");
    // Text files are named by their path relative to the directory given.
    assert!(
        ids.iter()
            .any(|i| i.replace('\\', "/") == "2026/03/copy.txt"),
        "{ids:?}"
    );
}

#[test]
fn a_shared_footer_does_not_pair_every_article() {
    const FOOTER: &str = "This article is published by the Harbour Media Group under its \
        standard terms and may not be reproduced without written permission. To report an \
        error, write to the corrections desk or call the newsroom during office hours.";
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("footer.jsonl");
    let mut records: Vec<Value> = (0..300)
        .map(|i| serde_json::json!({"id": format!("n{i}"), "text": format!("{}\n\n{FOOTER}", filler(1000 + i, 8))}))
        .collect();
    // One real reprint among them.
    let copied = records[17]["text"].clone();
    records.push(serde_json::json!({"id": "reprint-of-n17", "text": copied}));
    write_jsonl(&path, &records);

    let (sink, summary) = run(&[path], &ScanSettings::default());
    assert_eq!(summary.documents, 301);
    assert_eq!(
        id_pairs(&parse(&sink.pairs)),
        [pair("n17", "reprint-of-n17")].into_iter().collect()
    );
    // The footer's fingerprints were cut by the max-df rule, not compared 45,000 times.
    assert!(summary.candidates.ngram_postings_over_max_df > 0);
    assert!(
        summary.candidates.candidates < 50,
        "{:?}",
        summary.candidates
    );
}

#[test]
fn a_huge_text_and_repeated_sentences_finish() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("big.jsonl");
    // 20 MB of one article repeated, a text of one sentence repeated 10,000 times, and a
    // normal article that the big one contains.
    let story = filler(31, 10);
    let mut big = String::with_capacity(20 << 20);
    let mut k = 0;
    while big.len() < 20 << 20 {
        big.push_str(&filler(40 + k % 50, 10));
        big.push('\n');
        k += 1;
    }
    big.push_str(&story);
    let repeated = "The committee met again today. ".repeat(10_000);
    write_jsonl(
        &path,
        &[
            serde_json::json!({"id": "big", "text": big}),
            serde_json::json!({"id": "repeated", "text": repeated}),
            serde_json::json!({"id": "story", "text": story}),
            serde_json::json!({"id": "also-repeated", "text": repeated}),
        ],
    );
    let (sink, summary) = run(&[path], &ScanSettings::default());
    assert_eq!(summary.documents, 4);
    let found = id_pairs(&parse(&sink.pairs));
    assert!(
        found.contains(&pair("repeated", "also-repeated")),
        "{found:?}"
    );
    // The small story is contained in the huge text.
    assert!(found.contains(&pair("big", "story")), "{found:?}");
}

#[test]
fn a_text_over_the_size_limit_is_skipped_not_lost() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("limit.jsonl");
    write_jsonl(
        &path,
        &[
            serde_json::json!({"id": "small", "text": filler(5, 3)}),
            serde_json::json!({"id": "large", "text": filler(6, 400)}),
        ],
    );
    let settings = ScanSettings::builder()
        .max_doc_bytes(4096)
        .build()
        .expect("settings");
    let (_, summary) = run(&[path], &settings);
    assert_eq!(summary.documents, 1);
    assert_eq!(summary.skipped, 1);
    let s = &summary.skipped_records[0];
    assert_eq!(s.id.as_deref(), Some("large"));
    assert_eq!(s.line, Some(2));
    assert!(s.reason.contains("limit"), "{}", s.reason);
}

#[test]
fn a_missing_input_is_an_error_naming_it() {
    let missing = PathBuf::from("/definitely/not/here.jsonl");
    let mut sink = MemorySink::default();
    let err = scan_paths(
        std::slice::from_ref(&missing),
        &ScanSettings::default(),
        &mut sink,
        &NoProgress,
    )
    .expect_err("missing input");
    assert!(err.to_string().contains("not/here.jsonl"), "{err}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// The JSONL reader on arbitrary lines: every non-blank line is either scanned or skipped
    /// with its line number, and nothing panics.
    #[test]
    fn arbitrary_jsonl_lines_are_scanned_or_reported(
        lines in proptest::collection::vec(
            prop_oneof![
                proptest::collection::vec(any::<u8>(), 0..80),
                "[a-z ]{0,40}".prop_map(|t| format!("{{\"id\":\"x\",\"text\":\"{t}\"}}").into_bytes()),
                "[a-z ]{1,40}".prop_map(|t| format!("{{\"id\":7,\"text\":\"{t}\",\"extra\":[1]}}").into_bytes()),
            ],
            0..12,
        )
    ) {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("fuzz.jsonl");
        let mut body = Vec::new();
        let mut given = 0;
        for l in &lines {
            let l: Vec<u8> = l.iter().copied().filter(|&b| b != b'\n').collect();
            if l.iter().any(|b| !b.is_ascii_whitespace()) {
                given += 1;
            }
            body.extend_from_slice(&l);
            body.push(b'\n');
        }
        std::fs::write(&path, &body).expect("write");
        let (_, summary) = run(&[path], &ScanSettings::default());
        prop_assert_eq!(summary.documents + summary.skipped, given);
        prop_assert!(summary.skipped_records.iter().all(|s| s.line.is_some()));
    }
}

#[test]
fn settings_out_of_range_are_refused_with_their_name() {
    for (b, name) in [
        (ScanSettings::builder().rare_max_df(255), "rare_max_df"),
        (ScanSettings::builder().rare_max_df(1), "rare_max_df"),
        (ScanSettings::builder().max_df(1), "max_df"),
        (ScanSettings::builder().ngram(0), "ngram"),
    ] {
        let err = b.build().expect_err("out of range").to_string();
        assert!(err.contains(name), "{err}");
    }
    assert!(ScanSettings::builder().rare_max_df(254).build().is_ok());
    // With the rare-term channel off its limit does not matter.
    assert!(ScanSettings::builder()
        .rare_terms(0)
        .rare_max_df(1000)
        .build()
        .is_ok());
}

#[test]
fn shared_boilerplate_is_labelled_but_mass_reprints_stay_reuse() {
    // Eight unrelated items carry one scraped sentence; six outlets reprint one story whole,
    // each with its own short intro line.
    const JUNK: &str = "This quarter's main focus has been improving or obtaining new billing \
        and payroll software for the regional offices over the past year and a half.";
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("boiler.jsonl");
    let mut records: Vec<Value> = (0..8)
        .map(|i| serde_json::json!({"id": format!("junk{i}"), "text": format!("{}\n\n{JUNK}", filler(500 + i, 2))}))
        .collect();
    let story = filler(77, 9);
    for k in 0..6 {
        records.push(serde_json::json!({"id": format!("outlet{k}"), "text": format!("{}\n\n{story}", filler(900 + k, 1))}));
    }
    // Six more outlets print another story inside longer pieces of their own (the story is
    // under half of each), without the original in the corpus.
    let inner = filler(78, 8);
    for k in 0..6 {
        records.push(serde_json::json!({"id": format!("paper{k}"), "text": format!("{}\n\n{inner}\n\n{}", filler(950 + k, 5), filler(970 + k, 5))}));
    }
    for i in 0..30 {
        records.push(serde_json::json!({"id": format!("other{i}"), "text": filler(2000 + i, 6)}));
    }
    write_jsonl(&path, &records);
    let is_junk = |p: &(String, String)| p.0.starts_with("junk") && p.1.starts_with("junk");
    let is_reprint = |p: &(String, String)| p.0.starts_with("outlet") && p.1.starts_with("outlet");
    let is_inner = |p: &(String, String)| p.0.starts_with("paper") && p.1.starts_with("paper");

    // Everything written, whatever the label.
    let all = ScanSettings::builder()
        .emit(reprint::Label::ALL.iter().map(|l| l.name().to_string()))
        .build()
        .expect("valid settings");
    let (sink, summary) = run(std::slice::from_ref(&path), &all);
    let labelled: Vec<((String, String), String)> = parse(&sink.pairs)
        .iter()
        .map(|v| {
            let id = |s: &str| v[s]["id"].as_str().expect("id").to_string();
            let (a, b) = (id("a"), id("b"));
            let pair = if a < b { (a, b) } else { (b, a) };
            (pair, v["label"].as_str().expect("label").to_string())
        })
        .collect();
    let count = |f: &dyn Fn(&(String, String)) -> bool, label: &str| {
        labelled.iter().filter(|(p, l)| f(p) && l == label).count()
    };
    // The shared sentence is corpus boilerplate: no junk pair is reuse, those whose wording
    // alone reads as reuse say boilerplate, with reasons.
    let reuse = |f: &dyn Fn(&(String, String)) -> bool| count(f, "derived") + count(f, "partial");
    let junk = count(&is_junk, "boilerplate");
    assert!(junk > 0, "{labelled:?}");
    assert_eq!(reuse(&is_junk), 0, "{labelled:?}");
    assert_eq!(summary.verdicts.boilerplate as usize, junk);
    let reasons = parse(&sink.pairs)
        .into_iter()
        .find(|v| v["label"] == "boilerplate")
        .map(|v| v["comparison"]["verdict"]["reasons"].to_string())
        .unwrap_or_default();
    assert!(
        reasons.contains("shared fingerprints are held by 5+"),
        "{reasons}"
    );
    // The story reprinted by six outlets shares text just as common, but covers each
    // reprint nearly whole; the one printed inside longer pieces is too long to be
    // boilerplate. Both stay reuse.
    assert_eq!(reuse(&is_reprint), 15, "{labelled:?}");
    assert_eq!(reuse(&is_inner), 15, "{labelled:?}");

    // By default only reuse is written: no junk pair, the same reprints.
    let (sink, _) = run(std::slice::from_ref(&path), &ScanSettings::default());
    let default_pairs = id_pairs(&parse(&sink.pairs));
    assert!(!default_pairs.iter().any(is_junk), "{default_pairs:?}");
    assert_eq!(default_pairs.iter().filter(|p| is_reprint(p)).count(), 15);
    assert_eq!(default_pairs.iter().filter(|p| is_inner(p)).count(), 15);
}

/// The cluster records as JSON, and the one that holds `id`.
fn cluster_of<'c>(clusters: &'c [Value], id: &str) -> Option<&'c Value> {
    clusters.iter().find(|c| {
        c["members"]
            .as_array()
            .is_some_and(|m| m.iter().any(|x| x["id"] == id))
    })
}

#[test]
fn a_thousand_identical_copies_are_one_cluster_with_bounded_output() {
    // One story printed 1,000 times (every copy's identical text is held by more documents
    // than --max-df, so without the duplicate stage nothing is found), among 150 others, and
    // one article that reprints two paragraphs of the story inside its own text.
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("viral.jsonl");
    let story = format!(
        "{}\n\n{}\n\n{}",
        filler(4242, 3),
        filler(4243, 3),
        filler(4244, 3)
    );
    let mut records: Vec<Value> = (0..150)
        .map(|i| serde_json::json!({"id": format!("other{i}"), "text": filler(7000 + i, 7)}))
        .collect();
    for k in 0..1000 {
        records.push(serde_json::json!({"id": format!("copy{k:04}"), "text": story}));
    }
    let column = format!(
        "{}\n\n{}\n\n{}",
        filler(555, 4),
        filler(4243, 3),
        filler(556, 4)
    );
    records.push(serde_json::json!({"id": "column", "text": column}));
    write_jsonl(&path, &records);

    let (sink, summary) = run(&[path], &ScanSettings::default());
    let pairs = parse(&sink.pairs);
    let clusters = parse(&sink.clusters);
    let viral = cluster_of(&clusters, "copy0000").expect("the copies form a cluster");
    assert_eq!(viral["size"], 1001, "{}", viral["size"]);
    assert_eq!(viral["root"], "copy0000");
    let fams = viral["families"].as_array().expect("families");
    assert_eq!(fams.len(), 1);
    assert_eq!(fams[0]["representative"], "copy0000");
    assert_eq!(fams[0]["size"], 1000);
    let members = fams[0]["members"].as_array().expect("members");
    assert_eq!(members.len(), 999);
    assert!(members
        .iter()
        .all(|m| m["link"] == "exact" && m["similarity"] == 1.0));
    // 999 member pairs to the representative and the column's pair with it: no clique.
    assert_eq!(pairs.len(), 1000, "{}", pairs.len());
    let found = id_pairs(&pairs);
    assert!(
        found.contains(&pair("copy0000", "column")),
        "column not paired"
    );
    assert!(found.iter().all(|p| p.0 == "copy0000" || p.1 == "copy0000"));
    let column_pair = pairs
        .iter()
        .find(|p| p["b"]["id"] == "column")
        .expect("column pair");
    assert!(column_pair.get("duplicate").is_none());
    assert_eq!(column_pair["label"], "partial");
    let dup = pairs
        .iter()
        .find(|p| p["b"]["id"] == "copy0500")
        .expect("member pair");
    assert_eq!(dup["duplicate"]["link"], "exact");
    assert_eq!(dup["label"], "derived");
    assert_eq!(summary.duplicates.families, 1);
    assert_eq!(summary.duplicates.duplicates, 999);
    assert_eq!(summary.duplicates.exact, 999);
    assert_eq!(summary.duplicates.largest, 1000);
    assert_eq!(summary.clusters, 1);
}

/// The story with word `k % len` of sentence `k % sentences` changed: a light edit.
fn lightly_edited(story: &str, k: usize) -> String {
    let mut words: Vec<String> = story.split(' ').map(str::to_string).collect();
    let i = 3 + (k * 7919) % (words.len() - 6);
    words[i] = format!("zed{k}");
    words.join(" ")
}

#[test]
fn near_copies_form_a_family_of_near_links() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("near.jsonl");
    let story = filler(909, 9);
    let mut records: Vec<Value> = (0..40)
        .map(|i| serde_json::json!({"id": format!("other{i}"), "text": filler(3000 + i, 7)}))
        .collect();
    // 120 copies, each with one word of its own; the original is dated first.
    records.push(serde_json::json!({"id": "original", "text": story, "date": "2024-03-01"}));
    for k in 0..120 {
        records.push(serde_json::json!({"id": format!("near{k}"), "text": lightly_edited(&story, k), "date": "2024-03-02"}));
    }
    write_jsonl(&path, &records);
    let (sink, summary) = run(&[path], &ScanSettings::default());
    let clusters = parse(&sink.clusters);
    let c = cluster_of(&clusters, "original").expect("cluster");
    assert_eq!(c["size"], 121);
    assert_eq!(c["root"], "original");
    assert_eq!(c["root_by"], "date");
    let fam = &c["families"][0];
    assert_eq!(fam["representative"], "original");
    assert_eq!(fam["size"], 121);
    for m in fam["members"].as_array().expect("members") {
        assert_eq!(m["link"], "near");
        let s = m["similarity"].as_f64().expect("similarity");
        assert!((0.5..1.0).contains(&s), "{s}");
    }
    assert_eq!(summary.duplicates.near, 120);
    assert_eq!(summary.pairs, 120);
    assert_eq!(summary.clusters, 1);
}

#[test]
fn a_linked_member_not_derived_from_the_representative_is_scanned_as_usual() {
    // A chain of texts, each a window of five of eight paragraphs shifted by one: each
    // resembles its neighbours (4 of 6 paragraphs in common) and is linked to them, but the
    // last shares only two paragraphs with the first. Compared with the representative
    // (the first), it is not derived: it leaves the family and is paired as usual.
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("chain.jsonl");
    let paras: Vec<String> = (0..8).map(|p| filler(6100 + p, 3)).collect();
    let window = |s: usize| paras[s..s + 5].join("\n\n");
    let mut records: Vec<Value> = (0..4)
        .map(|s| serde_json::json!({"id": format!("w{s}"), "text": window(s)}))
        .collect();
    for i in 0..30 {
        records.push(serde_json::json!({"id": format!("other{i}"), "text": filler(8000 + i, 6)}));
    }
    write_jsonl(&path, &records);
    let (sink, summary) = run(&[path], &ScanSettings::default());
    let pairs = parse(&sink.pairs);
    let clusters = parse(&sink.clusters);
    let c = cluster_of(&clusters, "w0").expect("cluster");
    let fam_members: Vec<&str> = c["families"][0]["members"]
        .as_array()
        .expect("family")
        .iter()
        .filter_map(|m| m["id"].as_str())
        .collect();
    assert!(!fam_members.contains(&"w3"), "{fam_members:?}");
    assert!(summary.duplicates.rejected >= 1, "{:?}", summary.duplicates);
    // w3 is an ordinary document again: found with the representative and its neighbour.
    let w3: Vec<&Value> = pairs
        .iter()
        .filter(|p| p["b"]["id"] == "w3" || p["a"]["id"] == "w3")
        .collect();
    assert!(w3.iter().all(|p| p.get("duplicate").is_none()));
    let found = id_pairs(&pairs);
    assert!(found.contains(&pair("w2", "w3")), "{found:?}");
    assert!(found.contains(&pair("w0", "w3")), "{found:?}");
}

/// The pair line of documents `a` and `b` (in the order written).
fn line_of<'p>(pairs: &'p [Value], a: &str, b: &str) -> Option<&'p Value> {
    pairs
        .iter()
        .find(|p| p["a"]["id"] == a && p["b"]["id"] == b)
}

#[test]
fn a_story_printed_twice_word_for_word_counts_once_in_its_family() {
    // A story, two lightly edited versions of it (one printed twice under two ids) and an
    // article that reprints the story's first two sentences. The family stands for three
    // texts, not four: with the article, four documents hold the reprinted sentences, under
    // the five that make text common, so the article's pair is reuse, not stock text.
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("family.jsonl");
    let story = filler(4242, 4);
    let sentences: Vec<&str> = story.split_inclusive(". ").collect();
    let article = format!("{}{}", sentences[..2].concat(), filler(4343, 3));
    let edited = |k| lightly_edited(&story, k);
    let mut records: Vec<Value> = (0..30)
        .map(|i| serde_json::json!({"id": format!("other{i}"), "text": filler(7000 + i, 5)}))
        .collect();
    records.push(serde_json::json!({"id": "story", "text": story}));
    records.push(serde_json::json!({"id": "copy-a", "text": edited(1)}));
    records.push(serde_json::json!({"id": "copy-a-again", "text": edited(1)}));
    records.push(serde_json::json!({"id": "copy-b", "text": edited(2)}));
    records.push(serde_json::json!({"id": "article", "text": article}));
    write_jsonl(&path, &records);
    let settings = ScanSettings::builder()
        .emit(reprint::Label::ALL.iter().map(|l| l.name().to_string()))
        .build()
        .expect("valid settings");
    let (sink, summary) = run(&[path], &settings);
    assert_eq!(summary.duplicates.families, 1, "{:?}", summary.duplicates);
    assert_eq!(summary.duplicates.duplicates, 3, "{:?}", summary.duplicates);
    let pairs = parse(&sink.pairs);
    let p = line_of(&pairs, "story", "article").expect("the article's pair with the story");
    let label = p["label"].as_str().expect("label");
    assert!(matches!(label, "derived" | "partial"), "{p}");
}

#[test]
fn a_near_copy_is_found_by_a_text_that_reuses_what_only_it_has() {
    // An outlet reprints a story with two sentences of its own at the end: a near copy, in
    // the story's family. An article then reprints those two sentences. The story does not
    // hold them, so the article is paired with the near copy itself.
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("own.jsonl");
    let story = filler(5151, 6);
    let addition = filler(5252, 2);
    let reprint = format!("{story} {addition}");
    let article = format!("{addition} {}", filler(5353, 3));
    let mut records: Vec<Value> = (0..30)
        .map(|i| serde_json::json!({"id": format!("other{i}"), "text": filler(9000 + i, 5)}))
        .collect();
    records.push(serde_json::json!({"id": "story", "text": story}));
    records.push(serde_json::json!({"id": "reprint", "text": reprint}));
    records.push(serde_json::json!({"id": "article", "text": article}));
    write_jsonl(&path, &records);
    let (sink, summary) = run(&[path], &ScanSettings::default());
    assert_eq!(summary.duplicates.near, 1, "{:?}", summary.duplicates);
    let pairs = parse(&sink.pairs);
    let linked = line_of(&pairs, "story", "reprint").expect("the family pair");
    assert_eq!(linked["duplicate"]["link"], "near");
    let found = id_pairs(&pairs);
    assert!(found.contains(&pair("reprint", "article")), "{found:?}");
    assert!(!found.contains(&pair("story", "article")), "{found:?}");
}
