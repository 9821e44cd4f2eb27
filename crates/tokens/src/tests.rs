use super::*;

fn words(text: &str) -> Vec<&str> {
    analyse(text, &Abbreviations::builtin())
        .tokens
        .iter()
        .map(|t| &text[t.span.start..t.span.end])
        .collect()
}

fn sentences_of(text: &str) -> Vec<&str> {
    analyse(text, &Abbreviations::builtin())
        .sentences
        .iter()
        .map(|s| &text[s.start..s.end])
        .collect()
}

#[test]
fn words_keep_inner_hyphens_apostrophes_and_number_separators() {
    assert_eq!(
        words("Hay’at Tahrir al-Sham’s 1,200 fighters, U.S. officials and Ma'arrat (3.5 km)"),
        [
            "Hay’at",
            "Tahrir",
            "al-Sham’s",
            "1,200",
            "fighters",
            ",",
            "U.S.",
            "officials",
            "and",
            "Ma'arrat",
            "(",
            "3.5",
            "km",
            ")"
        ]
    );
}

#[test]
fn quote_marks_open_and_close_by_position() {
    let text = "He said “no” and ‘Takfiri terrorists’ were \"near\".";
    let layout = analyse(text, &Abbreviations::builtin());
    let kinds: Vec<TokenKind> = layout
        .tokens
        .iter()
        .filter(|t| matches!(t.kind, TokenKind::OpenQuote | TokenKind::CloseQuote))
        .map(|t| t.kind)
        .collect();
    use TokenKind::*;
    assert_eq!(
        kinds,
        [OpenQuote, CloseQuote, OpenQuote, CloseQuote, OpenQuote, CloseQuote]
    );
    let quoted: Vec<&str> = layout
        .quotes
        .iter()
        .map(|q| &text[q.inner.start..q.inner.end])
        .collect();
    assert_eq!(quoted, ["no", "Takfiri terrorists", "near"]);
    assert_eq!(
        layout.quotes.iter().map(|q| q.double).collect::<Vec<_>>(),
        [true, false, true]
    );
}

#[test]
fn titles_initials_and_abbreviations_do_not_end_sentences() {
    assert_eq!(
        sentences_of("Maj. Gen. Oleg Yegorov spoke. Lt. Col. J. Smith of the U.S. Army agreed on Jan. 3. Then he left."),
        ["Maj. Gen. Oleg Yegorov spoke.", "Lt. Col. J. Smith of the U.S. Army agreed on Jan. 3.", "Then he left."]
    );
}

#[test]
fn a_note_mark_glued_to_a_stop_closes_its_sentence() {
    assert_eq!(
        sentences_of("The envoy was poisoned in March.** The embassy closed.* Talks ended."),
        [
            "The envoy was poisoned in March.**",
            "The embassy closed.*",
            "Talks ended."
        ]
    );
}

#[test]
fn quotes_close_their_sentence_and_questions_end_one() {
    assert_eq!(
        sentences_of("“We will respond,” he said. “Why now?” she asked. It was 3.5 km away."),
        [
            "“We will respond,” he said.",
            "“Why now?” she asked.",
            "It was 3.5 km away."
        ]
    );
    assert_eq!(
        sentences_of("The army said: “It is over.” Residents disagreed."),
        ["The army said: “It is over.”", "Residents disagreed."]
    );
}

#[test]
fn a_quotation_glued_to_a_stop_starts_a_sentence() {
    // Scraped text often loses the space between a sentence and the quotation after it.
    assert_eq!(
        sentences_of("'We are ready,' said Lee.'It shows in the work.' Then silence."),
        [
            "'We are ready,' said Lee.",
            "'It shows in the work.'",
            "Then silence."
        ]
    );
    assert_eq!(
        sentences_of("Visit example.org today. The rate is 3.5 now."),
        ["Visit example.org today.", "The rate is 3.5 now."]
    );
}

#[test]
fn paragraphs_always_end_sentences() {
    assert_eq!(
        sentences_of("A headline without a stop\n\nBody text."),
        ["A headline without a stop", "Body text."]
    );
}

#[test]
fn a_quotation_continued_over_paragraphs_is_one_quotation() {
    let text = "“The first part of the statement.\n\n“The second part,” he said.";
    let layout = analyse(text, &Abbreviations::builtin());
    assert_eq!(layout.quotes.len(), 1);
    let q = layout.quotes[0];
    assert_eq!((q.span.start, q.span.end), (0, text.find(" he").unwrap()));
}

#[test]
fn an_unclosed_quotation_ends_with_its_paragraph() {
    let text = "He said “this never closes.\n\nNew paragraph.";
    let layout = analyse(text, &Abbreviations::builtin());
    assert_eq!(layout.quotes.len(), 1);
    assert_eq!(
        &text[layout.quotes[0].inner.start..layout.quotes[0].inner.end],
        "this never closes."
    );
}

#[test]
fn lookups_by_offset() {
    let text = "One. Two three. Four.";
    let layout = analyse(text, &Abbreviations::builtin());
    assert_eq!(layout.sentence_at(text.find("three").unwrap()), Some(1));
    assert_eq!(layout.tokens_in(layout.sentences[1]).len(), 3);
}

#[test]
fn the_idlib_report_splits_as_a_reader_would() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/examples/idlib-false-flag.txt");
    let raw = std::fs::read_to_string(path).expect("../shared/examples");
    let text = sitrep_core::text::normalise(&raw);
    let s = sentences_of(&text);
    assert!(s.contains(&"Yegorov said that the Reconciliation Center received intelligence that militants plan to instigate tensions in Idlib’s de-escalation zone by disrupting joint patrols being carried out by the SAA and the Russian military."));
    assert!(s.contains(&"“Subsequently, the militants plan to publish videos on social media networks that would show damage to civilian infrastructure."));
    let layout = analyse(&text, &Abbreviations::builtin());
    let quoted: Vec<&str> = layout
        .quotes
        .iter()
        .filter(|q| q.double)
        .map(|q| &text[q.inner.start..q.inner.end])
        .collect();
    assert_eq!(quoted.len(), 2, "{quoted:?}");
    assert!(quoted[0].starts_with("Subsequently") && quoted[0].ends_with("controlled by them,"));
    assert_eq!(
        quoted[1],
        "does not want an Afghanistan on its southern borders,"
    );
}

#[test]
fn a_quotation_glued_to_the_sentence_before_it_opens() {
    let text = "'It takes years,' said Thomas.'We train every week.' Then he left.";
    let layout = analyse(text, &Abbreviations::builtin());
    let quoted: Vec<&str> = layout
        .quotes
        .iter()
        .map(|q| &text[q.inner.start..q.inner.end])
        .collect();
    assert_eq!(quoted, ["It takes years,", "We train every week."]);
}

#[test]
fn an_initialism_at_the_end_of_a_sentence_ends_it() {
    assert_eq!(
        sentences_of(
            "Exports fell to the U.S. The Commission said so at 9 a.m. It met the U.S. envoy."
        ),
        [
            "Exports fell to the U.S.",
            "The Commission said so at 9 a.m.",
            "It met the U.S. envoy."
        ]
    );
}

#[test]
fn a_dateline_with_a_date_or_without_its_dash_is_a_sentence_of_its_own() {
    assert_eq!(
        sentences_of("ALEPPO, June 9 (Meridian) - Shells fell on the old city."),
        [
            "ALEPPO, June 9 (Meridian) -",
            "Shells fell on the old city."
        ]
    );
    // A feed that lost the dash and the line break: the credit ends the dateline.
    let text = "Crews cleared the road. HOMS (Meridian) Two schools reopened on Sunday.";
    assert_eq!(
        sentences_of(text),
        [
            "Crews cleared the road.",
            "HOMS (Meridian)",
            "Two schools reopened on Sunday."
        ]
    );
    let datelines: Vec<&str> = analyse(text, &Abbreviations::builtin())
        .datelines
        .iter()
        .map(|s| &text[s.start..s.end])
        .collect();
    assert_eq!(datelines, ["HOMS (Meridian)"]);
    // Brackets after capitals are no credit when a lower-case word follows, or when the
    // capitals are a two-letter initialism.
    for one in [
        "NATO (the alliance) said it would stay.",
        "UN (United Nations) Envoys met in Geneva.",
    ] {
        assert_eq!(sentences_of(one), [one]);
    }
}

#[test]
fn a_wire_dateline_is_a_sentence_of_its_own() {
    assert_eq!(
        sentences_of("KHARTOUM (AFP) — The army said it would withdraw.\n\nNORTH BAY, ONT. - Rain fell.\n\nMARIB, Yemen (Reuters) — Drones flew."),
        ["KHARTOUM (AFP) —", "The army said it would withdraw.", "NORTH BAY, ONT. -", "Rain fell.", "MARIB, Yemen (Reuters) —", "Drones flew."]
    );
    // Capitals inside a sentence, or after its start, are no dateline.
    assert_eq!(
        sentences_of("The NATO summit — held in Rome — ended. He said: UN AID — gone."),
        [
            "The NATO summit — held in Rome — ended.",
            "He said: UN AID — gone."
        ]
    );
}
