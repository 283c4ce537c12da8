//! End-to-end runs of the `reprint-eval` binary (with the real library) on
//! tiny corpora written here, in a temporary folder. No `../shared` needed.

use std::path::{Path, PathBuf};
use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_reprint-eval"))
}

/// A fresh, empty temporary folder for one test.
fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("reprint-eval-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create temp dir");
    dir
}

fn write(path: &Path, text: &str) {
    if let Some(p) = path.parent() {
        std::fs::create_dir_all(p).expect("create dir");
    }
    std::fs::write(path, text).expect("write fixture");
}

const REUSED: &str = "The harbour authority approved a plan on Monday to deepen the northern channel \
so that larger container ships can dock without waiting for the tide. Work will start in the spring \
and is expected to take two years, the authority said in a statement. Local fishermen have \
protested that the dredging will destroy the mussel beds that their families have worked for \
generations.";

const SOURCE_REST: &str = "Elsewhere in the region, the railway company announced new timetables \
for the winter season. Trains will run every half hour between the two largest towns. The mayor \
welcomed the decision and promised new bus connections from the station to the hospital.";

const SUSP_REST: &str = "Kite surfing has become popular on the long beaches south of the city. \
Instructors offer lessons to beginners every weekend from April to October. A new club house was \
opened last year with showers and a small cafe for members and visitors.";

/// Re-wraps text to lines of at most `width` characters (spaces become newlines).
fn rewrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line = 0;
    for w in text.split(' ') {
        if line > 0 && line + 1 + w.len() > width {
            out.push('\n');
            line = 0;
        } else if line > 0 {
            out.push(' ');
            line += 1;
        }
        out.push_str(w);
        line += w.len();
    }
    out
}

#[test]
fn pan_finds_a_copied_case_in_a_rewrapped_document() {
    let dir = tmp("pan");
    let source = format!("{SOURCE_REST}\n\n{REUSED}\n");
    let susp_plain = format!("{SUSP_REST} {REUSED} The club also rents boards.");
    // Case offsets in characters of the re-wrapped text (ASCII: chars = bytes).
    let susp = rewrap(&susp_plain, 60);
    let this_offset = SUSP_REST.len() + 1;
    let src_offset = source.find("The harbour").expect("in source");
    write(
        &dir.join("source-documents/source-document00001.txt"),
        &source,
    );
    write(
        &dir.join("source-documents/source-document00002.txt"),
        "An unrelated text about gardening. Tomatoes need sun and water every day.\n",
    );
    write(
        &dir.join("suspicious-documents/suspicious-document00001.txt"),
        &susp,
    );
    write(
        &dir.join("suspicious-documents/suspicious-document00001.xml"),
        &format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<document reference=\"suspicious-document00001.txt\">\n\
             <feature name=\"plagiarism\" type=\"artificial\" obfuscation=\"none\" this_offset=\"{this_offset}\" \
             this_length=\"{}\" source_reference=\"source-document00001.txt\" source_offset=\"{src_offset}\" \
             source_length=\"{}\"/>\n</document>\n",
            REUSED.len(),
            REUSED.len()
        ),
    );
    let out = dir.join("pan.json");
    let status = bin()
        .arg("pan")
        .arg(&dir)
        .args(["--min-shared", "1", "--min-detection-chars", "50"])
        .arg("--out")
        .arg(&out)
        .output()
        .expect("run reprint-eval");
    assert!(
        status.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&status.stderr)
    );
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).expect("json written"))
            .expect("valid json");
    let recall = v["overall"]["recall"].as_f64().expect("recall");
    let precision = v["overall"]["precision"].as_f64().expect("precision");
    assert!(recall > 0.9, "recall {recall}: {}", v["overall"]);
    assert!(precision > 0.9, "precision {precision}: {}", v["overall"]);
    assert_eq!(v["overall"]["detected_cases"], 1);
    assert!(v["headline"]["pan.plagdet"].as_f64().expect("headline") > 0.8);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn msrp_reads_a_tsv_with_bom_and_quotes() {
    let dir = tmp("msrp");
    let mut tsv = String::from("\u{feff}Quality\t#1 ID\t#2 ID\t#1 String\t#2 String\n");
    let pairs = [
        (
            1,
            "The company said profits rose 5 percent.",
            "Profits rose 5 percent, the company said.",
        ),
        (
            0,
            "The mayor opened the new bridge.",
            "Heavy rain flooded the valley overnight.",
        ),
        (
            1,
            "He called it \"a great day\" for the town.",
            "\"A great day\" for the town, he called it.",
        ),
        (
            0,
            "Shares fell sharply in early trading.",
            "The museum will close for renovation.",
        ),
    ];
    for (i, (q, a, b)) in pairs.iter().cycle().take(20).enumerate() {
        tsv.push_str(&format!("{q}\t{}\t{}\t{a}\t{b}\n", 2 * i, 2 * i + 1));
    }
    write(&dir.join("msr_paraphrase_train.txt"), &tsv);
    let out = dir.join("m.json");
    let r = bin()
        .arg("msrp")
        .arg(&dir)
        .arg("--out")
        .arg(&out)
        .output()
        .expect("run");
    assert!(
        r.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&r.stderr)
    );
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).expect("json")).expect("valid");
    assert_eq!(v["pairs"], 20);
    assert_eq!(v["positives"], 10);
    // Reworded pairs score far above unrelated ones: held-out accuracy is perfect.
    assert_eq!(v["cv"]["accuracy"].as_f64(), Some(1.0), "{}", v["cv"]);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn missing_corpus_is_an_error_naming_it() {
    let r = bin()
        .args(["clough", "/nonexistent/reprint-eval/clough"])
        .output()
        .expect("run");
    assert_eq!(r.status.code(), Some(2));
    let err = String::from_utf8_lossy(&r.stderr);
    assert!(err.contains("/nonexistent/reprint-eval/clough"), "{err}");

    let r = bin()
        .args(["all", "--data", "/nonexistent/reprint-eval-data"])
        .output()
        .expect("run");
    assert_eq!(r.status.code(), Some(2));
    let err = String::from_utf8_lossy(&r.stderr);
    assert!(err.contains("/nonexistent/reprint-eval-data/msrp"), "{err}");
    assert!(
        err.contains("/nonexistent/reprint-eval-data/pan-id"),
        "{err}"
    );
}
