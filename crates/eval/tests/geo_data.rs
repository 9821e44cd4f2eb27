//! The geoparsing gold data loads as its SOURCES.md describes, with every span on its text.

use sitrep_eval::geo::load;

#[test]
fn lgl_and_geowebnews_load_with_spans_on_their_names() {
    let shared = sitrep_eval::shared_dir();
    for (name, articles, toponyms, with_points) in
        [("lgl", 588, 5088, 4462), ("gwn", 200, 2718, 2599)]
    {
        let data = load(&shared, name).unwrap();
        assert_eq!(data.len(), articles, "{name}");
        let all: Vec<_> = data
            .iter()
            .flat_map(|a| a.toponyms.iter().map(move |t| (a, t)))
            .collect();
        assert_eq!(all.len(), toponyms, "{name}: geotagging gold");
        assert_eq!(
            all.iter().filter(|(_, t)| t.point.is_some()).count(),
            with_points,
            "{name}"
        );
        let off: Vec<String> = all
            .iter()
            .filter(|(a, t)| a.text.get(t.span.0..t.span.1) != Some(t.name.as_str()))
            .map(|(a, t)| {
                format!(
                    "{:?} at {:?} reads {:?}",
                    t.name,
                    t.span,
                    a.text.get(t.span.0..t.span.1)
                )
            })
            .collect();
        assert!(
            off.len() * 100 <= all.len(),
            "{name}: {} spans do not read their names: {:?}",
            off.len(),
            &off[..off.len().min(5)]
        );
    }
}
