//! The sample corpus `sitrep demo` ingests: fictional reports written for sitrep
//! (`data/demo/README.md` describes each), compiled into the binary so the demo needs no files.

macro_rules! embed {
    ($($name:literal,)*) => {
        &[$(($name, include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/demo/", $name)))),*]
    };
}

/// (file name, contents) of every file of the corpus.
pub const FILES: &[(&str, &[u8])] = embed![
    "2023-01-12_orontes-daily_kafr-tuwaym-shelling.txt",
    "2023-01-19_levant-monitor_russia-chemical-claim.html",
    "2023-01-26_aleppo-desk_turkiye-warning-atarib.txt",
    "2023-02-02_orontes-daily_m4-offensive-prediction.html",
    "2023-02-27_hama-courier_ghab-plain-shelling.html",
    "2023-03-09_aleppo-desk_ariha-front-follow-up.html",
    "2023-03-16_levant-monitor_ocha-displacement.txt",
    "bab-al-hawa-bulletin_feed.atom",
    "meridian-wire_republished.jsonl",
    "northern-front-wire_feed.rss.xml",
    "wire-roundup_follow-ups.jsonl",
];

#[cfg(test)]
mod tests {
    #[test]
    fn every_corpus_file_is_embedded() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/demo");
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n != "README.md")
            .collect();
        on_disk.sort();
        let embedded: Vec<&str> = super::FILES.iter().map(|(n, _)| *n).collect();
        assert_eq!(on_disk, embedded);
    }
}
