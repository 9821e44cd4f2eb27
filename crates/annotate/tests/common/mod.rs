//! What the language-layer tests share: the canonical example, read as sitrep reads it.

use sitrep_core::{Article, DateBasis, PartialDate, Published};

/// `../shared/examples/idlib-false-flag.txt`, published 2023-01-26.
pub fn idlib_article() -> Article {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/examples/idlib-false-flag.txt");
    let raw = std::fs::read(&path).expect("../shared/examples is beside the checkout");
    let items = sitrep_ingest::read_bytes("idlib-false-flag.txt", &raw, &Default::default());
    let mut article = items.into_iter().next().unwrap().result.unwrap().article;
    article.published = Some(Published::new(
        PartialDate::parse("2023-01-26").unwrap(),
        DateBasis::User,
    ));
    article
}
