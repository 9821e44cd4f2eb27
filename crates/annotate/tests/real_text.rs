//! The language layer on every real article in ../shared (LGL, GeoWebNews, FA-KES): no panic,
//! and every span it emits lies on character boundaries of the text it describes.

use sitrep_annotate::{annotate, Resources};
use sitrep_core::{text::normalise, Article};

#[test]
fn every_shared_article_annotates_with_valid_spans() {
    let resources = Resources::builtin();
    let shared = sitrep_eval::shared_dir();
    let mut texts: Vec<String> = Vec::new();
    for dataset in ["lgl", "gwn"] {
        texts.extend(
            sitrep_eval::geo::load(&shared, dataset)
                .unwrap()
                .into_iter()
                .map(|a| a.text),
        );
    }
    let csv_bytes = std::fs::read(shared.join("newsdata/fakes/FA-KES-Dataset.csv")).unwrap();
    let latin1: String = csv_bytes.iter().map(|&b| b as char).collect();
    texts.extend(
        csv::Reader::from_reader(latin1.as_bytes())
            .records()
            .map(|r| r.unwrap()[2].to_string()),
    );
    assert!(texts.len() > 1500);
    let mut statements = 0;
    for text in &texts {
        let doc = annotate(Article::from_normalised_text(normalise(text)), &resources);
        assert!(
            doc.invalid_spans().is_empty(),
            "{:?} in {:?}",
            doc.invalid_spans(),
            &text[..text.len().min(80)]
        );
        statements += doc.statements.len();
    }
    assert!(statements > texts.len(), "statements found: {statements}");
}
