//! Verdicts that must look at facts and at the amount of shared content, not
//! only at shared wording. All texts are written for these tests.

use reprint::{Comparer, Document, Label};

fn label(a: &str, b: &str) -> Label {
    let c = Comparer::default().compare(&Document::from_text("a", a), &Document::from_text("b", b));
    let m = Comparer::default().compare(&Document::from_text("b", b), &Document::from_text("a", a));
    assert_eq!(
        c.verdict.label, m.verdict.label,
        "verdict must be symmetric"
    );
    c.verdict.label
}

const EARNINGS_A: &str = "\
HALBERT MILLS INC 1ST QTR NET
Halbert Mills Inc said first quarter net income rose to 4.5 mln dlrs, or 1.20 dlrs a share, from 3.2 mln dlrs, or 1.10 dlrs a share, a year earlier.
Revenues rose to 61.3 mln dlrs from 55.8 mln dlrs, the company said.
Halbert said its board declared a quarterly dividend of 18 cts a share, payable May 4 to holders of record April 17.
";

const EARNINGS_B: &str = "\
CORVANT ELECTRIC CORP 1ST QTR NET
Corvant Electric Corp said first quarter net income rose to 12.7 mln dlrs, or 2.05 dlrs a share, from 9.4 mln dlrs, or 1.62 dlrs a share, a year earlier.
Revenues rose to 140.9 mln dlrs from 122.6 mln dlrs, the company said.
Corvant said its board declared a quarterly dividend of 25 cts a share, payable June 1 to holders of record May 12.
";

#[test]
fn templated_earnings_with_different_facts_are_not_derived() {
    let l = label(EARNINGS_A, EARNINGS_B);
    assert!(
        l == Label::Related || l == Label::Unrelated,
        "same template, different company and numbers: {l:?}"
    );
}

const STORY: &str = "\
Flood barrier approved for Marlow harbour
The Marlow harbour board approved a new flood barrier on Tuesday after three years of debate among residents and fishermen.
The barrier will cost 14 million pounds and is due to be finished in 2027, the board's chairwoman Helen Okafor said.
Fishermen had argued that the structure would narrow the harbour mouth and make winter landings more dangerous for small boats.
Engineers from the Delft consultancy Vanterpool told the board that the gate would stay open except during storm surges.
The council will pay 9 million pounds, with the rest coming from a national coastal protection fund.
Okafor said work would begin in the spring once the contract was signed with the builder.
";

#[test]
fn edited_copy_with_one_changed_number_is_derived() {
    let edited = STORY.replace("14 million pounds", "15 million pounds");
    assert_ne!(edited, STORY);
    assert_eq!(label(STORY, &edited), Label::Derived);
}

#[test]
fn edited_copy_with_a_few_changed_facts_is_still_reuse() {
    // A rewrite that updates the cost and the council's share, words a few
    // sentences differently and drops one: the story and its people are the
    // same.
    let edited = STORY
        .replace("14 million pounds", "16 million pounds")
        .replace("9 million pounds", "10 million pounds")
        .replace("after three years of debate", "following years of argument")
        .replace(
            "Engineers from the Delft consultancy Vanterpool told the board that the gate would stay open except during storm surges.\n",
            "",
        );
    let l = label(STORY, &edited);
    assert!(l == Label::Derived || l == Label::Partial, "{l:?}");
}

#[test]
fn lone_short_shared_sentence_is_not_partial() {
    let a = "\
Rail strike called off after late talks
Train drivers called off Thursday's strike after talks with the operator ran late into the night.
The union said members would vote on the new pay offer next week.
Commuters had been warned to expect severe disruption across the network.
For more information, visit our website.
";
    let b = "\
Museum reopens after two-year refit
The city museum reopened its doors on Saturday after a refit that took two years and cost more than planned.
Visitors queued around the block to see the restored dinosaur gallery.
The director thanked donors who had covered most of the bill.
For more information, visit our website.
";
    let l = label(a, b);
    assert!(l == Label::Related || l == Label::Unrelated, "{l:?}");
}

#[test]
fn long_shared_passage_is_partial() {
    // The opposite case: one story quotes a whole paragraph of another (four
    // long sentences) inside otherwise new text.
    let a = STORY;
    let b = "\
Coastal towns bid for protection money
Several coastal towns are competing for a national fund that pays for sea defences, and officials expect the bids to exceed the money available by far.
In Penwith, the district council has asked for help with a sea wall that was damaged in last winter's storms.
The barrier will cost 14 million pounds and is due to be finished in 2027, the board's chairwoman Helen Okafor said.
Fishermen had argued that the structure would narrow the harbour mouth and make winter landings more dangerous for small boats.
Engineers from the Delft consultancy Vanterpool told the board that the gate would stay open except during storm surges.
Ministers will decide on the remaining bids in the autumn, according to a spokesman for the environment department.
Residents of Penwith said they feared another winter without repairs and had started a petition to the minister.
Local businesses said tourism had fallen since the storms, and several cafes on the seafront had closed for good.
The department said each bid would be judged on the number of homes protected and on the cost per home.
";
    let l = label(a, b);
    assert!(l == Label::Partial || l == Label::Derived, "{l:?}");
}

fn label_with(a: &str, b: &str, options: reprint::Options) -> Label {
    let c = Comparer::new(options.build().expect("valid options"));
    c.compare(&Document::from_text("a", a), &Document::from_text("b", b))
        .verdict
        .label
}

// A recurring offering notice: the same wording each time, the bank and the
// rating agencies named alike, the issuer and every figure different.
const NOTICE_A: &str = "\
Harrowgate Savings is raising 150 mln dlrs via an offering of deposit notes due 1994 with a 7.45 pct coupon and par pricing, said sole manager Kellet Brothers Securities Corp.
That is 73 basis points more than the yield of comparable Treasury securities.
The notes are rated A-2 by Dunmore Ratings Service Inc and A-plus by Calder and Wyatt Corp.
";
const NOTICE_B: &str = "\
Pellham Trust is raising 75 mln dlrs via an offering of deposit notes due 1999 with an 8.40 pct coupon and par pricing, said sole manager Kellet Brothers Securities Corp.
That is 122 basis points more than the yield of comparable Treasury securities.
The notes are rated A-3 by Dunmore Ratings Service Inc and A-minus by Calder and Wyatt Corp.
";

#[test]
fn template_fills_are_templates_when_asked() {
    // By default the shared wording makes them a copy with changed figures.
    assert_eq!(
        label_with(NOTICE_A, NOTICE_B, reprint::Options::default()),
        Label::Derived
    );
    let strict = reprint::Options {
        reject_templates: Some(true),
        ..Default::default()
    };
    assert_eq!(
        label_with(NOTICE_A, NOTICE_B, strict.clone()),
        Label::Template
    );
    // A real copy that updates one figure keeps its verdict under the option.
    let edited = STORY.replace("14 million pounds", "15 million pounds");
    assert_eq!(label_with(STORY, &edited, strict), Label::Derived);
}

#[test]
fn same_event_in_independent_words_is_not_reuse() {
    // Two reports of one event: the same people, places and figures, but no
    // run of ten words in common.
    let b = "\
Marlow votes for sea gate
After three years of argument, harbour officials in Marlow on Tuesday backed plans for a flood gate at the entrance to the port.
Board chairwoman Helen Okafor put the price at 14 million pounds and said she hoped to see it working by 2027.
Local skippers fear the gate will squeeze the channel, which they say is already hard to navigate in winter with small vessels.
According to advisers at Vanterpool, a consultancy based in Delft, it would close only when a surge threatens.
Central government's coastal fund is expected to cover roughly a third, with the council paying 9 million pounds.
Construction could start in spring, Okafor said, once a builder has signed.
";
    let l = label(STORY, b);
    assert!(l == Label::Related || l == Label::Unrelated, "{l:?}");
}

#[test]
fn the_shortest_passage_shown_does_not_change_the_verdict() {
    let edited = STORY.replace("14 million pounds", "15 million pounds");
    let wide = reprint::Options {
        min_passage_words: Some(200),
        ..Default::default()
    };
    assert_eq!(label_with(STORY, &edited, wide), Label::Derived);
}

#[test]
fn a_list_of_names_in_another_order_is_not_a_conflict() {
    let a = "\
Ministers from Britain, France, Germany and Italy met in Brussels on Monday to agree a joint plan for the harbour defences that the four governments will fund together.
The plan sets aside 40 million euros for the first phase, which starts in the spring.
";
    let b = "\
Ministers from Italy, Germany, France and Britain met in Brussels on Monday to agree a joint plan for the harbour defences that the four governments will fund together.
The plan sets aside 40 million euros for the first phase, which starts in the spring.
";
    let strict = reprint::Options {
        reject_templates: Some(true),
        ..Default::default()
    };
    assert_eq!(label(a, b), Label::Derived);
    assert_eq!(label_with(a, b, strict), Label::Derived);
}

/// The verdict with how common the shared text is in a background built from `corpus`.
fn label_in(a: &str, b: &str, corpus: &[&str]) -> (Label, Vec<String>) {
    let bg = reprint::Background::build(corpus.to_vec());
    let (da, db) = (Document::from_text("a", a), Document::from_text("b", b));
    let hints = reprint::Hints {
        shared: Some(bg.shared_text(&da, &db)),
        ..Default::default()
    };
    let v = Comparer::default().compare_with(&da, &db, &hints).verdict;
    (v.label, v.reasons)
}

/// The notice formula filled in for other issuers, as a wire archive holds it.
fn notices(n: usize) -> Vec<String> {
    (0..n)
        .map(|i| {
            NOTICE_A
                .replace("Harrowgate Savings", &format!("Issuer{i} Trust"))
                .replace("150", &format!("{}", 200 + 5 * i))
                .replace("7.45", &format!("8.{:02}", i))
        })
        .collect()
}

#[test]
fn common_wording_with_other_facts_is_a_template_in_a_corpus() {
    let mut corpus: Vec<String> = notices(8);
    corpus.push(NOTICE_A.to_string());
    corpus.push(NOTICE_B.to_string());
    let refs: Vec<&str> = corpus.iter().map(String::as_str).collect();
    // The two notices' shared wording is held by ten notices: a formula, other facts.
    let (l, reasons) = label_in(NOTICE_A, NOTICE_B, &refs);
    assert_eq!(l, Label::Template, "{reasons:?}");
    assert!(
        reasons.iter().any(|r| r.contains("held by 5+")),
        "{reasons:?}"
    );
    // An edited copy whose wording only the pair holds keeps its verdict in the same corpus.
    let edited = STORY.replace("14 million pounds", "15 million pounds");
    let mut with_story = refs.clone();
    with_story.extend([STORY, edited.as_str()]);
    assert_eq!(label_in(STORY, &edited, &with_story).0, Label::Derived);
    // Without a background the notices read as a copy with changed figures.
    assert_eq!(label(NOTICE_A, NOTICE_B), Label::Derived);
}

#[test]
fn short_texts_need_a_verbatim_trace_too() {
    // Two one-line flashes about different companies, sharing only a four-word formula.
    let a = "HALBERT MILLS SETS QUARTERLY DIVIDEND OF 18 CTS";
    let b = "CORVANT ELECTRIC SETS QUARTERLY DIVIDEND OF 25 CTS";
    let l = label(a, b);
    assert!(l == Label::Related || l == Label::Unrelated, "{l:?}");
    // A flash and its correction share most of their words: reuse.
    let c = "CORRECTED - HALBERT MILLS SETS QUARTERLY DIVIDEND OF 18 CTS";
    assert_eq!(label(a, c), Label::Derived);
}

#[test]
fn a_recurring_report_for_another_month_is_a_template() {
    let march = "\
NORLAND RETAIL SALES RISE 0.4 PCT IN MARCH
Norland retail sales rose 0.4 pct in March from February and stood 2.7 pct above their level of March last year, the national statistics bureau said.
In February sales had fallen 0.2 pct from January and were 1.9 pct higher than a year before.
The bureau said sales of clothing rose 3.1 pct in March while food sales were 0.6 pct lower.
";
    let june = "\
NORLAND RETAIL SALES RISE 0.8 PCT IN JUNE
Norland retail sales rose 0.8 pct in June from May and stood 3.5 pct above their level of June last year, the national statistics bureau said.
In May sales had fallen 0.5 pct from April and were 2.2 pct higher than a year before.
The bureau said sales of clothing rose 4.6 pct in June while food sales were 0.9 pct lower.
";
    assert_eq!(label(march, june), Label::Template);
    // The same report corrected (one figure) stays a copy.
    let corrected = march.replace("3.1 pct", "3.3 pct");
    assert_eq!(label(march, &corrected), Label::Derived);
}

/// The verdict and reasons with the texts' dates given (records of no common series).
fn label_dated(a: &str, b: &str, date_a: &str, date_b: &str) -> (Label, Vec<String>) {
    label_in_series(a, b, date_a, date_b, false)
}

const RATING_A: &str = "\
AGENCY CUTS WESTMARCH BANCORP DEBT RATING
Kestrel Ratings said it lowered the senior debt of Westmarch Bancorp to BAA-2 from A-3, affecting about 900 mln dlrs of securities.
The agency said Westmarch's loan losses and thin capital weighed on the rating.
Kestrel also cut Westmarch's preferred stock and kept its commercial paper rating.
";

#[test]
fn the_same_formula_about_another_company_is_a_template() {
    // Every sentence of the rating notice filled in for another bank, figures alike.
    let b = RATING_A
        .replace("WESTMARCH BANCORP", "DUNMORE FINANCIAL")
        .replace("Westmarch Bancorp", "Dunmore Financial")
        .replace("Westmarch", "Dunmore");
    assert_eq!(label(RATING_A, &b), Label::Template);
    let (_, reasons) = label_dated(RATING_A, &b, "1987-06-01", "1987-06-01");
    assert!(
        reasons
            .iter()
            .any(|r| r.contains("Westmarch") && r.contains("Dunmore")),
        "{reasons:?}"
    );
    // A copy that keeps the subject and changes a figure is reuse.
    let edited = RATING_A.replace("900 mln", "950 mln");
    assert_eq!(label(RATING_A, &edited), Label::Derived);
    // A country spelt another way is no other subject.
    let a = "Finance minister Oduya said Kenya would cut import tariffs on machinery next year. \
             Kenya's exporters welcomed the plan, Oduya said, and Kenya expects more investment.";
    let b = "Finance minister Oduya said Kenyan tariffs on machinery imports would be cut next \
             year. Kenyan exporters welcomed the plan, Oduya said, and the Kenyan government \
             expects more investment.";
    assert_ne!(label(a, b), Label::Template);
}

#[test]
fn a_month_abbreviated_in_a_recurring_report_counts_as_another_month() {
    let feb = "\
SOUTH PLAINS WHEAT ESTIMATE 21.4 MLN TONNES VS 21.0 IN FEB
The farm ministry estimated the South Plains wheat crop at 21.4 mln tonnes, against 21.0 mln in its February report.
";
    let mar = "\
SOUTH PLAINS WHEAT ESTIMATE 21.4 MLN TONNES VS 21.2 IN MARCH
The farm ministry estimated the South Plains wheat crop at 21.4 mln tonnes, against 21.2 mln in its March report.
";
    let (l, reasons) = label_dated(feb, mar, "1987-03-10", "1987-04-09");
    assert_eq!(l, Label::Template, "{reasons:?}");
    assert!(reasons.iter().any(|r| r.contains("month")), "{reasons:?}");
    // The same estimate re-sent the same day is a copy.
    let (l, _) = label_dated(feb, feb, "1987-03-10", "1987-03-10");
    assert_eq!(l, Label::Derived);
}

#[test]
fn a_formula_filled_in_for_another_country_is_a_template() {
    // Two countries in the alias table, neither named by the other text: two subjects.
    let a = "The Farm Credit Agency switched 12 mln dlrs in export guarantees to Portugal to \
             cover purchases of wheat, the agriculture ministry said. The guarantees for \
             Portugal were earlier set aside for sales of dry beans, the ministry said.";
    let b = a.replace("Portugal", "Chile");
    let (l, reasons) = label_dated(a, &b, "1987-03-31", "1987-03-31");
    assert_eq!(l, Label::Template, "{reasons:?}");
    assert!(
        reasons
            .iter()
            .any(|r| r.contains("Portugal") && r.contains("Chile")),
        "{reasons:?}"
    );
}

#[test]
fn a_company_that_only_opens_sentences_is_a_name() {
    // "Tarrow" and "Quensel" only ever open their sentences (and the headlines), yet each
    // is the subject its text repeats: the posting formula filled in for another company.
    let a = "\
TARROW OIL RAISES CRUDE POSTINGS 50 CTS
Tarrow said it raised its posted prices for crude oil by 50 cts a barrel, effective June 17.
Tarrow said its new posting for the light sweet grade is 19 dlrs a barrel.
";
    let b = "\
QUENSEL RAISES CRUDE POSTINGS BY 50 CTS
Quensel said it raised its posted prices for crude oil by 50 cts a barrel, effective June 17.
Quensel said its new posting for the light sweet grade is 19 dlrs a barrel.
";
    let (l, reasons) = label_dated(a, b, "1987-06-18", "1987-06-18");
    assert_eq!(l, Label::Template, "{reasons:?}");
}

const PRICES_NOON: &str = "\
HARBOUR CITY GRAIN PRICES NOON
Prices in cents a bushel as quoted on the exchange floor, with the change from the previous close.
WHEAT MAY 285 UP 1 1/2 JUL 281 1/4 UP 1/2 SEP 276 1/2 UP 1/2
OATS MAY 162 UP 1 JUL 158 3/4 DN 1/4 SEP 151 UNCH
";

#[test]
fn a_table_with_other_figures_is_another_issue_and_a_corrected_one_a_copy() {
    // The afternoon table: most figures moved. Same day, so no date says so.
    let afternoon = "\
HARBOUR CITY GRAIN PRICES 1400
Prices in cents a bushel as quoted on the exchange floor, with the change from the previous close.
WHEAT MAY 287 UP 3 1/2 JUL 282 UP 1 1/4 SEP 277 1/2 UP 1 1/2
OATS MAY 163 UP 2 JUL 159 1/4 UP 1/4 SEP 151 UNCH
";
    let (l, reasons) = label_dated(PRICES_NOON, afternoon, "1987-04-07", "1987-04-07");
    assert_eq!(l, Label::Template, "{reasons:?}");
    assert!(reasons.iter().any(|r| r.contains("tables")), "{reasons:?}");
    // The same table re-sent with one figure corrected is a copy.
    let corrected = PRICES_NOON.replace("162 UP 1", "162 UP 2");
    assert_ne!(corrected, PRICES_NOON);
    let (l, reasons) = label_dated(PRICES_NOON, &corrected, "1987-04-07", "1987-04-07");
    assert_eq!(l, Label::Derived, "{reasons:?}");
}

#[test]
fn the_same_flash_about_another_subject_is_a_template() {
    let a = "HARTWELL RAISES HEATING OIL PRICE 2 CTS A GALLON, EFFECTIVE TODAY";
    let b = "DENMORE RAISES HEATING OIL PRICE 2 CTS A GALLON, EFFECTIVE TODAY";
    let (l, reasons) = label_dated(a, b, "1987-06-18", "1987-06-18");
    assert_eq!(l, Label::Template, "{reasons:?}");
    // The flash re-sent with its subject's spelling corrected is a copy.
    let typo = a.replace("HARTWELL", "HARTWEL");
    let (l, reasons) = label_dated(&typo, a, "1987-06-18", "1987-06-18");
    assert_eq!(l, Label::Derived, "{reasons:?}");
}

/// The verdict and reasons for two records dated `date_a` and `date_b`, of one series when
/// `one`.
fn label_in_series(
    a: &str,
    b: &str,
    date_a: &str,
    date_b: &str,
    one: bool,
) -> (Label, Vec<String>) {
    let (da, db) = (Document::from_text("a", a), Document::from_text("b", b));
    let hints = reprint::Hints {
        date_a: Some(date_a.parse().unwrap()),
        date_b: Some(date_b.parse().unwrap()),
        same_series: one,
        ..Default::default()
    };
    let v = Comparer::default().compare_with(&da, &db, &hints).verdict;
    (v.label, v.reasons)
}

const STANDING_NOTICE: &str = "\
CENTRAL BANK OF ARVANIA LEAVES DISCOUNT RATE UNCHANGED
The Central Bank of Arvania said it left its discount rate unchanged at 6-1/2 pct at its regular fortnightly council meeting today.
Money market dealers had expected no change after the currency steadied against the dollar in recent sessions.
";

#[test]
fn one_series_near_copies_a_week_apart_are_a_notice_issued_again() {
    let next = STANDING_NOTICE.replace("in recent sessions", "over the past week");
    // A fortnight later, in the same wire: the notice's next issue, not a copy.
    let (l, reasons) = label_in_series(STANDING_NOTICE, &next, "1987-03-05", "1987-03-19", true);
    assert_eq!(l, Label::Template, "{reasons:?}");
    assert!(
        reasons
            .iter()
            .any(|r| r.contains("14 days apart") && r.contains("issued again")),
        "{reasons:?}"
    );
    // The very text a fortnight later is that too.
    let (l, _) = label_in_series(
        STANDING_NOTICE,
        STANDING_NOTICE,
        "1987-03-05",
        "1987-03-19",
        true,
    );
    assert_eq!(l, Label::Template);
    // Re-sent two days later by the wire: a copy.
    let (l, reasons) = label_in_series(STANDING_NOTICE, &next, "1987-03-05", "1987-03-07", true);
    assert_eq!(l, Label::Derived, "{reasons:?}");
    // Another outlet's reprint a fortnight (or years) later is still a reprint.
    let (l, _) = label_in_series(STANDING_NOTICE, &next, "1987-03-05", "1987-03-19", false);
    assert_eq!(l, Label::Derived);
    // A follow-up that keeps a paragraph of the story a week later is no near copy: the rule
    // does not apply (whatever else the verdict says of it).
    let follow_up = format!(
        "{}\nThe council will meet again on April 2, when dealers expect a cut to 6-1/4 pct. \
         The finance ministry said it would publish its own forecast for inflation and the \
         budget deficit next month, after talks with the trade unions and the employers.\n\
         Opposition leaders said the bank had been too cautious all year.\n",
        STANDING_NOTICE
    );
    let (_, reasons) = label_in_series(
        STANDING_NOTICE,
        &follow_up,
        "1987-03-05",
        "1987-03-19",
        true,
    );
    assert!(
        !reasons.iter().any(|r| r.contains("issued again")),
        "{reasons:?}"
    );
}

const RESERVES_MONDAY: &str = "\
FED EXPECTED TO ADD TEMPORARY RESERVES
The Federal Reserve is expected to enter the government securities market to add temporary reserves, economists said.
They expect it to supply the reserves indirectly by arranging 1.5 billion dlrs of customer repurchase agreements.
Federal funds were trading at 6-1/4 pct at the open, unchanged from the average of yesterday.
The Fed added 3.5 billion dlrs of reserves last Thursday and 2.25 billion dlrs on Friday through overnight system repurchases.
";

#[test]
fn the_next_mornings_report_with_other_figures_is_its_next_issue() {
    let tuesday = RESERVES_MONDAY
        .replace("1.5 billion", "two billion")
        .replace("6-1/4 pct", "6-3/8 pct")
        .replace("3.5 billion", "2.25 billion")
        .replace("2.25 billion dlrs on Friday", "1.5 billion dlrs on Monday");
    let revised = RESERVES_MONDAY.replace("6-1/4 pct", "6-3/8 pct");
    let cases = [
        // The daily report, 23 hours later on the next day, most figures changed.
        (
            &tuesday,
            "1987-03-02T11:05:00",
            "1987-03-03T10:10:00",
            Label::Template,
        ),
        // The same hours on one day: an update, a copy with revised figures.
        (
            &tuesday,
            "1987-03-02T09:05:00",
            "1987-03-02T18:10:00",
            Label::Derived,
        ),
        // The next morning, one figure of several revised: still a copy.
        (
            &revised,
            "1987-03-02T11:05:00",
            "1987-03-03T10:10:00",
            Label::Derived,
        ),
        // (The revised figure does count: a full day or more later, any changed figure makes
        // it the next issue.)
        (
            &revised,
            "1987-03-02T11:05:00",
            "1987-03-03T11:10:00",
            Label::Template,
        ),
    ];
    for (b, da, db, want) in cases {
        let (l, reasons) = label_dated(RESERVES_MONDAY, b, da, db);
        assert_eq!(l, want, "{da} {db}: {reasons:?}");
    }
    let (_, reasons) = label_dated(RESERVES_MONDAY, &tuesday, cases[0].1, cases[0].2);
    assert!(
        reasons.iter().any(|r| r.contains("on different days")),
        "{reasons:?}"
    );
}
