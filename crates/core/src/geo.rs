//! Distances on the globe.

/// Great-circle distance in kilometres between two (lat, lon) points (haversine, R = 6371 km,
/// as the geoparsing literature scores it).
pub fn distance_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (lat1, lon1, lat2, lon2) = (
        a.0.to_radians(),
        a.1.to_radians(),
        b.0.to_radians(),
        b.1.to_radians(),
    );
    let h = ((lat2 - lat1) / 2.0).sin().powi(2)
        + lat1.cos() * lat2.cos() * ((lon2 - lon1) / 2.0).sin().powi(2);
    2.0 * 6371.0 * h.sqrt().min(1.0).asin()
}

#[cfg(test)]
mod tests {
    #[test]
    fn idlib_to_aleppo_is_about_60_km() {
        let d = super::distance_km((35.9306, 36.6339), (36.2021, 37.1343));
        assert!((d - 55.0).abs() < 5.0, "{d}");
        assert_eq!(super::distance_km((1.0, 2.0), (1.0, 2.0)), 0.0);
    }
}
