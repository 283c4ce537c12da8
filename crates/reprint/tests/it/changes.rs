//! The change report on texts written for these tests: aliases and demonyms
//! are not changes, a changed dateline is one change, a dropped clause is one
//! change, and the report sinks show the new kinds.

use reprint::{
    ChangeKind, Comparer, Comparison, Document, HtmlSink, JsonSink, ReportSink, TextSink,
};

fn fixture(name: &str) -> (Document, Vec<u8>) {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let doc = Document::from_bytes(name, &bytes).expect("fixture is text");
    (doc, bytes)
}

fn fisheries() -> (Document, Vec<u8>, Document, Vec<u8>) {
    let (a, ba) = fixture("fisheries_source.txt");
    let (b, bb) = fixture("fisheries_rewrite.txt");
    (a, ba, b, bb)
}

fn of_kind(c: &Comparison, kind: ChangeKind) -> Vec<&reprint::Change> {
    c.changes.iter().filter(|ch| ch.kind == kind).collect()
}

#[test]
fn aliases_and_demonyms_are_not_reported() {
    // U.S. / US / United States / American, Britain / UK / British, Iraq's / Iraqi.
    let (a, _, b, _) = fisheries();
    let c = Comparer::default().compare(&a, &b);
    let names: Vec<_> = c
        .changes
        .iter()
        .filter(|ch| matches!(ch.kind, ChangeKind::NameRemoved | ChangeKind::NameAdded))
        .collect();
    assert!(names.is_empty(), "{names:#?}");
}

#[test]
fn changed_dateline_is_one_change_with_both_spans() {
    let (a, ba, b, bb) = fisheries();
    let c = Comparer::default().compare(&a, &b);
    let d = of_kind(&c, ChangeKind::DatelineChanged);
    assert_eq!(d.len(), 1, "{:#?}", c.changes);
    assert_eq!(d[0].a_text, "LONDON, May 12 (Harbourline)");
    assert_eq!(d[0].b_text, "PARIS (Quayside News)");
    let (sa, sb) = (d[0].a.expect("span in A"), d[0].b.expect("span in B"));
    assert!(String::from_utf8_lossy(&ba[sa.start..sa.end])
        .starts_with("LONDON, May 12 (Harbourline) -"));
    assert!(String::from_utf8_lossy(&bb[sb.start..sb.end]).starts_with("PARIS (Quayside News) -"));
    // Its parts are not reported again as a removed date or outlet.
    for ch in &c.changes {
        if let Some(x) = ch.a {
            assert!(
                ch.kind == ChangeKind::DatelineChanged || x.end <= sa.start || x.start >= sa.end,
                "{ch:#?}"
            );
        }
    }
    // The real time change next to it stays.
    assert!(of_kind(&c, ChangeKind::TimeChanged)
        .iter()
        .any(|ch| ch.a_text == "on Monday" && ch.b_text == "last week"));
}

#[test]
fn dropped_clause_is_one_change_holding_its_facts() {
    let (a, _, b, _) = fisheries();
    let c = Comparer::default().compare(&a, &b);
    let cl = of_kind(&c, ChangeKind::ClauseRemoved);
    let which = cl
        .iter()
        .find(|ch| ch.a_text.contains("Norway"))
        .unwrap_or_else(|| panic!("no clause with Norway: {:#?}", c.changes));
    assert_eq!(
        which.a_text,
        "which was first proposed by Norway during the collapse of the\n2021 quota talks"
            .replace('\n', " ")
    );
    assert!(
        !c.changes
            .iter()
            .any(|ch| ch.a_text == "Norway" || ch.a_text == "2021"),
        "{:#?}",
        c.changes
    );
}

#[test]
fn swapped_texts_mirror_the_new_kinds() {
    let (a, _, b, _) = fisheries();
    let ab = Comparer::default().compare(&a, &b);
    let ba = Comparer::default().compare(&b, &a);
    let count = |c: &Comparison, k: ChangeKind| of_kind(c, k).len();
    assert_eq!(
        count(&ab, ChangeKind::DatelineChanged),
        count(&ba, ChangeKind::DatelineChanged)
    );
    assert_eq!(
        count(&ab, ChangeKind::ClauseRemoved),
        count(&ba, ChangeKind::ClauseAdded)
    );
    assert_eq!(
        count(&ab, ChangeKind::ClauseAdded),
        count(&ba, ChangeKind::ClauseRemoved)
    );
    let d = of_kind(&ba, ChangeKind::DatelineChanged);
    assert_eq!(d[0].a_text, "PARIS (Quayside News)");
}

#[test]
fn sinks_show_the_new_kinds() {
    let (a, _, b, _) = fisheries();
    let c = Comparer::default().compare(&a, &b);
    let mut text = TextSink::new(Vec::new());
    text.write(&c, &a, &b).expect("text report");
    let text = String::from_utf8(text.into_inner()).expect("utf-8");
    assert!(
        text.contains(
            "dateline changed  \"LONDON, May 12 (Harbourline)\" → \"PARIS (Quayside News)\""
        ),
        "{text}"
    );
    assert!(
        text.contains("clause removed   \"which was first proposed by Norway"),
        "{text}"
    );
    let mut json = JsonSink::new(Vec::new());
    json.write(&c, &a, &b).expect("json");
    let v: serde_json::Value = serde_json::from_slice(&json.into_inner()).expect("valid json");
    let kinds: Vec<&str> = v["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .filter_map(|ch| ch["kind"].as_str())
        .collect();
    assert!(
        kinds.contains(&"dateline_changed") && kinds.contains(&"clause_removed"),
        "{kinds:?}"
    );
    let mut html = HtmlSink::new(Vec::new());
    html.write(&c, &a, &b).expect("html");
    let html = String::from_utf8(html.into_inner()).expect("utf-8");
    assert!(
        html.contains("dateline changed") && html.contains("clause removed"),
        "kinds named in the page"
    );
    assert!(html.contains("PARIS (Quayside News)"));
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

    /// A text opening like a dateline or byline, with multi-byte characters where
    /// the dateline's length limit may fall, compares without panicking.
    #[test]
    fn dateline_like_openings_never_panic(
        lead in "(By [A-Z][a-z]{1,8} [A-Z][a-z]{1,8} )?[A-Z][A-Za-z ,£—é]{0,130}( \\([A-Z][a-z]{1,6}\\))? ?(-|--|—) ",
        rest in "[A-Za-z £—é.,\n]{0,200}",
    ) {
        let a = Document::from_text("a", &format!("{lead}{rest}"));
        let b = Document::from_text("b", &format!("LONDON, March 3 (Reuters) - {rest}"));
        let c = Comparer::default().compare(&a, &b);
        for ch in &c.changes {
            if let Some(s) = ch.a {
                proptest::prop_assert!(s.end <= lead.len() + rest.len());
            }
        }
    }
}
