//! End-to-end tests of `Comparer::compare` on texts written for these tests.

use proptest::prelude::*;
use reprint::{AlignKind, ChangeKind, Comparer, Comparison, Document, Error, Label, Source, Span};

fn fixture(name: &str) -> Document {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    Document::from_bytes(name, &bytes).expect("fixture is text")
}

fn text_of(doc_bytes: &[u8], s: Span) -> String {
    String::from_utf8_lossy(&doc_bytes[s.start..s.end]).into_owned()
}

fn harbour() -> (Document, Document, Comparison) {
    let (a, b) = (
        fixture("harbour_source.txt"),
        fixture("harbour_rewrite.txt"),
    );
    let c = Comparer::default().compare(&a, &b);
    (a, b, c)
}

#[test]
fn rewrite_is_derived_with_every_sentence_aligned() {
    let (a, b, c) = harbour();
    assert_eq!(c.verdict.label, Label::Derived, "{:?}", c.verdict);
    assert_eq!(a.sentence_spans().len(), 10);
    assert_eq!(b.sentence_spans().len(), 7);
    let mut pairs: Vec<(Vec<usize>, Vec<usize>)> = c
        .alignments
        .iter()
        .map(|al| (al.a_sentences.clone(), al.b_sentences.clone()))
        .collect();
    pairs.sort();
    let gold = vec![
        (vec![0], vec![0]),
        (vec![2], vec![1]),
        (vec![3], vec![2]),
        (vec![4], vec![3]),
        (vec![5, 6], vec![4]),
        (vec![7, 8], vec![5]),
        (vec![9], vec![6]),
    ];
    assert_eq!(pairs, gold);
    assert!(c.unmatched.b.is_empty());
    assert_eq!(c.unmatched.a.len(), 1);
}

#[test]
fn dropped_subheadline_is_unmatched_with_exact_span() {
    let (_, _, c) = harbour();
    let bytes = std::fs::read(format!(
        "{}/tests/fixtures/harbour_source.txt",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("fixture");
    assert_eq!(
        text_of(&bytes, c.unmatched.a[0]),
        "Repairs could cost more than 40 million euros"
    );
    assert!(c
        .changes
        .iter()
        .any(|ch| ch.kind == ChangeKind::Omitted && ch.a == Some(c.unmatched.a[0])));
}

#[test]
fn changed_facts_are_reported() {
    let (_, _, c) = harbour();
    let has = |kind: ChangeKind, a: &str, b: &str| {
        c.changes
            .iter()
            .any(|ch| ch.kind == kind && ch.a_text == a && ch.b_text == b)
    };
    assert!(
        has(ChangeKind::TimeChanged, "on Tuesday", "Last week"),
        "{:#?}",
        c.changes
    );
    assert!(
        has(ChangeKind::TimeChanged, "On Friday", "Recently"),
        "{:#?}",
        c.changes
    );
    assert!(
        has(ChangeKind::NameChanged, "Kessel", "Kessel port"),
        "{:#?}",
        c.changes
    );
    assert!(c
        .changes
        .iter()
        .any(|ch| ch.kind == ChangeKind::QuoteKept
            && ch.a_text.starts_with("We cannot let ships in")));
    assert!(c
        .changes
        .iter()
        .any(|ch| ch.kind == ChangeKind::QuoteKept && ch.a_text.starts_with("was hit harder")));
}

#[test]
fn direction_names_the_source_or_abstains() {
    let (_, _, c) = harbour();
    assert_ne!(c.direction.source, Source::B, "{:?}", c.direction);
    assert!(!c.direction.reasons.is_empty());
    let dated = Comparer::default().compare_with(
        &fixture("harbour_source.txt"),
        &fixture("harbour_rewrite.txt"),
        &reprint::Hints {
            date_a: "2024-03-05".parse().ok(),
            date_b: "2024-03-04".parse().ok(),
            ..reprint::Hints::default()
        },
    );
    assert_eq!(dated.direction.source, Source::B);
}

#[test]
fn spans_are_exact_byte_ranges_of_the_input() {
    let (a, b, c) = harbour();
    let ab = std::fs::read(format!(
        "{}/tests/fixtures/harbour_source.txt",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("fixture");
    let bb = std::fs::read(format!(
        "{}/tests/fixtures/harbour_rewrite.txt",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("fixture");
    // The page gap inside the quote is part of the aligned span.
    let quote = c
        .alignments
        .iter()
        .find(|al| al.a_sentences == vec![4])
        .expect("quote sentence aligned");
    assert!(text_of(&ab, quote.a).contains("sea wall is\n\n\n\nrebuilt"));
    for al in &c.alignments {
        assert!(al.a.end <= a.input_len() && al.b.end <= b.input_len());
    }
    let verbatim = c
        .passages
        .iter()
        .find(|p| text_of(&bb, p.b).contains("was hit harder"))
        .expect("quote passage");
    assert!(text_of(&ab, verbatim.a).contains("was hit harder than\nany structure"));
}

#[test]
fn unrelated_stories_are_unrelated() {
    let c = Comparer::default().compare(&fixture("council_budget.txt"), &fixture("glacier.txt"));
    assert_eq!(c.verdict.label, Label::Unrelated, "{:?}", c.verdict);
    assert!(c.alignments.is_empty());
}

#[test]
fn same_topic_stories_are_not_reuse() {
    let c = Comparer::default().compare(
        &fixture("council_budget.txt"),
        &fixture("council_parks.txt"),
    );
    assert!(
        matches!(c.verdict.label, Label::Related | Label::Unrelated),
        "{:?}",
        c.verdict
    );
    assert!(
        c.alignments
            .iter()
            .all(|al| al.kind != AlignKind::Paraphrase || al.score >= 0.5),
        "{:#?}",
        c.alignments
    );
}

#[test]
fn bad_input_is_an_error_not_a_panic() {
    assert!(matches!(
        Document::from_bytes("empty.txt", b""),
        Err(Error::Empty { .. })
    ));
    assert!(matches!(
        Document::from_bytes("blank.txt", b" \n\n\t "),
        Err(Error::Empty { .. })
    ));
    let binary: Vec<u8> = (0..4096u32).map(|i| (i * 7 % 256) as u8).collect();
    let err = Document::from_bytes("image.png", &binary).expect_err("binary rejected");
    assert!(err.to_string().contains("image.png"), "{err}");
    let mut latin1 = b"Caf\xe9 owners say the new rules hurt trade.\n".to_vec();
    latin1.extend_from_slice(b"The rules take effect in May.\n");
    let d = Document::from_bytes("latin1.txt", &latin1).expect("lossy decode");
    assert_eq!(d.warnings().len(), 1);
    let c = Comparer::default().compare(&d, &d);
    assert_eq!(c.verdict.label, Label::Derived);
    assert_eq!(
        c.alignments[0].a.end,
        latin1.iter().position(|&x| x == b'\n').expect("newline")
    );
}

#[test]
fn repeated_sentence_stays_bounded() {
    let text = "The committee will meet again next week to review the plan.\n".repeat(10_000);
    let d = Document::from_text("rep", &text);
    let c = Comparer::default().compare(&d, &d);
    assert_eq!(c.alignments.len(), 10_000);
    assert!(c.alignments.iter().all(|al| al.kind == AlignKind::Verbatim));
    assert!(c.passages.len() < 20);
}

#[test]
fn large_document_finishes() {
    let para = "Officials in the northern province reported that river levels rose by 40 centimetres overnight. Residents were told to move cars from low streets. ";
    let big: String = (0..20_000)
        .map(|i| format!("{para}Bulletin number {i} ends here.\n"))
        .collect();
    let a = Document::from_text("big", &big);
    let b = Document::from_text("small", &big[..5000]);
    let c = Comparer::default().compare(&a, &b);
    assert!(c.verdict.coverage_b > 0.9, "{:?}", c.verdict);
}

// Texts built from a small vocabulary, so that random pairs share words.
fn sentence() -> impl Strategy<Value = String> {
    let words = prop::sample::select(vec![
        "river", "council", "storm", "harbour", "ships", "mayor", "budget", "Valmora", "workers",
        "said", "the", "on", "Monday", "three", "1,200", "bridge", "closed", "new", "plan", "vote",
    ]);
    prop::collection::vec(words, 3..10).prop_map(|w| {
        let mut s = w.join(" ");
        s.push('.');
        s
    })
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(sentence(), 1..8).prop_map(|s| s.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn compare_mirrors_when_swapped(ta in text(), tb in text()) {
        let (a, b) = (Document::from_text("a", &ta), Document::from_text("b", &tb));
        let cmp = Comparer::default();
        let ab = cmp.compare(&a, &b);
        let ba = cmp.compare(&b, &a);
        prop_assert_eq!(ab.verdict.label, ba.verdict.label);
        prop_assert_eq!(ab.verdict.score, ba.verdict.score);
        prop_assert_eq!(ab.verdict.coverage_a, ba.verdict.coverage_b);
        let mut x: Vec<_> = ab.alignments.iter().map(|al| (al.a, al.b, format!("{:?} {}", al.kind, al.score))).collect();
        let mut y: Vec<_> = ba.alignments.iter().map(|al| (al.b, al.a, format!("{:?} {}", al.kind, al.score))).collect();
        x.sort();
        y.sort();
        prop_assert_eq!(x, y);
        let mut pa: Vec<_> = ab.passages.iter().map(|p| (p.a, p.b)).collect();
        let mut pb: Vec<_> = ba.passages.iter().map(|p| (p.b, p.a)).collect();
        pa.sort();
        pb.sort();
        prop_assert_eq!(pa, pb);
        let flip = |s: Source| match s { Source::A => Source::B, Source::B => Source::A, u => u };
        prop_assert_eq!(ab.direction.source, flip(ba.direction.source));
    }

    #[test]
    fn spans_stay_inside_documents(ta in text(), tb in text()) {
        let (a, b) = (Document::from_text("a", &ta), Document::from_text("b", &tb));
        let c = Comparer::default().compare(&a, &b);
        for al in &c.alignments {
            prop_assert!(al.a.start < al.a.end && al.a.end <= ta.len());
            prop_assert!(al.b.start < al.b.end && al.b.end <= tb.len());
            prop_assert!(ta.is_char_boundary(al.a.start) && ta.is_char_boundary(al.a.end));
        }
        for ch in &c.changes {
            if let Some(s) = ch.a { prop_assert!(s.end <= ta.len() && s.start <= s.end); }
            if let Some(s) = ch.b { prop_assert!(s.end <= tb.len() && s.start <= s.end); }
        }
    }

    #[test]
    fn repair_map_keeps_every_byte(raw in "[a-z \\n\\-.\u{e9}]{0,300}") {
        let d = Document::from_text("r", &raw);
        for s in d.sentence_spans() {
            prop_assert!(s.start <= s.end && s.end <= raw.len());
            prop_assert!(raw.is_char_boundary(s.start) && raw.is_char_boundary(s.end));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// The byte-level parser (decode, binary detection, line repair) on arbitrary bytes:
    /// it answers or refuses, never panics, and every span it reports is inside the input.
    #[test]
    fn arbitrary_bytes_never_panic(
        raw in prop::collection::vec(any::<u8>(), 0..400),
        text in text(),
    ) {
        let Ok(d) = Document::from_bytes("fuzz", &raw) else { return Ok(()); };
        for s in d.sentence_spans() {
            prop_assert!(s.start <= s.end && s.end <= raw.len());
        }
        let other = Document::from_text("t", &text);
        let c = Comparer::default().compare(&d, &other);
        for al in &c.alignments {
            prop_assert!(al.a.end <= raw.len());
        }
        let mut html = reprint::HtmlSink::new(Vec::new());
        use reprint::ReportSink;
        prop_assert!(html.write(&c, &d, &other).is_ok());
    }
}
