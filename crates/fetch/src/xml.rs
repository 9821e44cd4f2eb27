//! The small XML reading sitemaps and OPML files share: element names without their
//! namespace prefix, and text with its entity references resolved.

use quick_xml::events::BytesRef;

/// An element's name without its prefix, lower-cased (`news:news` → `news`).
pub(crate) fn local_name(name: quick_xml::name::LocalName<'_>) -> String {
    name.into_inner().to_ascii_lowercase()
}

/// The text an entity or character reference stands for; an unknown entity stands for nothing.
pub(crate) fn reference(r: &BytesRef<'_>) -> String {
    if let Ok(Some(c)) = r.resolve_char_ref() {
        return c.to_string();
    }
    match &**r {
        "amp" => "&",
        "lt" => "<",
        "gt" => ">",
        "quot" => "\"",
        "apos" => "'",
        _ => "",
    }
    .to_string()
}
