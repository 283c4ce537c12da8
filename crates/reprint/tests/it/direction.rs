//! Direction: given dates first, then the texts' news datelines, else unknown.

use reprint::{
    scan_corpus, Basis, Comparer, Corpus, Document, MemorySink, NoProgress, ScanSettings, Source,
};

const STORY: &str = "The regional water board approved a plan to rebuild the old dam above the \
valley town after three winters of flooding. Engineers said the work would take four years and \
cost about twice the first estimate. Farmers downstream asked for the spillway to be widened \
before the spring melt. The board will publish the full plan at its next meeting in the town hall.";

fn story(dateline: &str, extra: &str) -> String {
    format!("Dam plan approved\n{dateline} {STORY} {extra}")
}

#[test]
fn the_earlier_dateline_is_the_source_and_says_so() {
    let early = Document::from_text("early", &story("GRENOBLE, Nov. 2 (AFP) -", ""));
    let late = Document::from_text(
        "late",
        &story(
            "GRENOBLE, Nov. 5 (Reuters) -",
            "Work is due to start next month.",
        ),
    );
    let d = Comparer::default().compare(&late, &early).direction;
    assert_eq!(d.source, Source::B, "{d:?}");
    assert_eq!(d.basis, Basis::Datelines);
    assert!(d.confidence >= 0.9 && d.confidence < 1.0, "{d:?}");
    assert!(d.reasons.iter().any(|r| r.contains("November 2")), "{d:?}");
}

#[test]
fn without_dates_or_datelines_the_source_is_unknown() {
    let a = Document::from_text("a", &format!("Dam plan approved\n{STORY}"));
    let b = Document::from_text(
        "b",
        &format!("Dam plan approved\n{STORY} Work is due to start next month."),
    );
    let d = Comparer::default().compare(&a, &b).direction;
    assert_eq!(d.source, Source::Unknown, "{d:?}");
    assert_eq!(d.basis, Basis::None);
    assert_eq!(d.confidence, 0.0);
}

#[test]
fn datelines_a_day_apart_in_different_places_do_not_decide() {
    let a = Document::from_text("a", &story("TOKYO, April 10 (Kyodo) -", ""));
    let b = Document::from_text("b", &story("WASHINGTON, April 9 (AP) -", "More later."));
    let d = Comparer::default().compare(&a, &b).direction;
    assert_eq!(d.source, Source::Unknown, "{d:?}");
    assert!(d.reasons.iter().any(|r| r.contains("time zones")), "{d:?}");
}

#[test]
fn a_scan_orients_cascade_edges_by_dateline() {
    let mut corpus = Corpus::new();
    // Input order puts the later story first; no record dates.
    corpus.push(
        "late",
        None,
        None,
        &story(
            "GRENOBLE, Nov. 5 (Reuters) -",
            "Work is due to start next month.",
        ),
        1 << 20,
    );
    corpus.push(
        "early",
        None,
        None,
        &story("GRENOBLE, Nov. 2 (AFP) -", ""),
        1 << 20,
    );
    let settings = ScanSettings::builder().build().expect("default settings");
    let mut sink = MemorySink::default();
    scan_corpus(&corpus, &settings, &mut sink, &NoProgress).expect("scan runs");
    assert_eq!(sink.clusters.len(), 1, "{:?}", sink.pairs);
    let c: serde_json::Value = serde_json::from_str(&sink.clusters[0]).expect("cluster json");
    assert_eq!(c["root"], "early", "{c}");
    assert_eq!(c["root_by"], "direction", "{c}");
    assert_eq!(c["edges"][0]["evidence"], "dateline", "{c}");
}
