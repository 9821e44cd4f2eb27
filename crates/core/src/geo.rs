//! Distances and extents on the globe.

use serde::{Deserialize, Serialize};

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

/// Kilometres per degree of latitude (and of longitude at the equator), R = 6371 km.
const KM_PER_DEGREE: f64 = 6371.0 * std::f64::consts::PI / 180.0;

/// A box of latitudes and longitudes in degrees. `west > east` when the box crosses the
/// antimeridian (Fiji, Chukotka, Alaska's Aleutians): longitudes wrap, latitudes do not.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Extent {
    pub south: f64,
    pub west: f64,
    pub north: f64,
    pub east: f64,
}

impl Extent {
    /// The smallest box holding every (lat, lon) point, or None when there are none. On the
    /// circle of longitudes the box leaves out the widest gap between neighbouring points,
    /// so a country on both sides of 180° gets a narrow box across it, not one round the world.
    pub fn around(points: impl IntoIterator<Item = (f64, f64)>) -> Option<Extent> {
        let (mut south, mut north) = (f64::INFINITY, f64::NEG_INFINITY);
        let mut lons = Vec::new();
        for (lat, lon) in points {
            south = south.min(lat);
            north = north.max(lat);
            lons.push(lon);
        }
        lons.sort_by(f64::total_cmp);
        let (&first, &last) = (lons.first()?, lons.last()?);
        // The gap from the last longitude round to the first, then each between neighbours.
        let mut widest = (first + 360.0 - last, last, first);
        for pair in lons.windows(2) {
            if pair[1] - pair[0] > widest.0 {
                widest = (pair[1] - pair[0], pair[0], pair[1]);
            }
        }
        let (_, east, west) = widest;
        Some(Extent {
            south,
            west,
            north,
            east,
        })
    }

    /// The box holding a circle of `radius_km` round a point: an area known by its middle
    /// and its size (a curated region, a front line).
    pub fn around_point((lat, lon): (f64, f64), radius_km: f64) -> Extent {
        let dlat = radius_km / KM_PER_DEGREE;
        let dlon = (radius_km / (KM_PER_DEGREE * lat.to_radians().cos().max(0.01))).min(180.0);
        let wrap = |x: f64| ((x + 540.0) % 360.0) - 180.0;
        Extent {
            south: (lat - dlat).max(-90.0),
            west: wrap(lon - dlon),
            north: (lat + dlat).min(90.0),
            east: wrap(lon + dlon),
        }
    }

    /// Whether the box crosses the antimeridian.
    pub fn wraps(&self) -> bool {
        self.west > self.east
    }

    /// The box's middle: halfway between its edges, east of west even across 180°.
    pub fn centre(&self) -> (f64, f64) {
        let width = self.east - self.west + if self.wraps() { 360.0 } else { 0.0 };
        let mut lon = self.west + width / 2.0;
        if lon > 180.0 {
            lon -= 360.0;
        }
        ((self.south + self.north) / 2.0, lon)
    }

    /// Whether a (lat, lon) point lies in the box, edges included.
    pub fn contains(&self, (lat, lon): (f64, f64)) -> bool {
        let in_lon = if self.wraps() {
            lon >= self.west || lon <= self.east
        } else {
            (self.west..=self.east).contains(&lon)
        };
        (self.south..=self.north).contains(&lat) && in_lon
    }
}

#[cfg(test)]
mod tests {
    use super::Extent;

    #[test]
    fn an_extent_holds_its_points_and_centres_between_its_edges() {
        let e = Extent::around([(33.0, 36.0), (37.0, 42.0), (35.0, 38.0)]).unwrap();
        assert_eq!((e.south, e.west, e.north, e.east), (33.0, 36.0, 37.0, 42.0));
        assert_eq!(e.centre(), (35.0, 39.0));
        assert!(e.contains((36.2, 37.1)));
        assert!(!e.contains((36.2, 43.0)));
        assert!(Extent::around([]).is_none());
    }

    #[test]
    fn an_extent_across_the_antimeridian_stays_narrow() {
        // Islands at 177° E and 179° W: 4° wide across 180°, not 356° round the world.
        let e = Extent::around([(-17.0, 177.0), (-16.0, -179.0), (-18.0, 178.5)]).unwrap();
        assert!(e.wraps());
        assert_eq!((e.west, e.east), (177.0, -179.0));
        assert!(e.contains((-17.0, 180.0)) && e.contains((-17.0, -179.5)));
        assert!(!e.contains((-17.0, 0.0)));
        let (lat, lon) = e.centre();
        assert_eq!(lat, -17.0);
        assert!((lon - 179.0).abs() < 1e-9, "{lon}");
    }

    #[test]
    fn a_circle_gets_the_box_round_it() {
        let e = Extent::around_point((33.55, 36.40), 10.0);
        assert!(e.contains((33.55, 36.40)) && e.contains((33.6, 36.45)));
        assert!(!e.contains((33.7, 36.40)) && !e.contains((33.55, 36.55)));
        let (lat, lon) = e.centre();
        assert!((lat - 33.55).abs() < 1e-9 && (lon - 36.40).abs() < 1e-9);
        let near_180 = Extent::around_point((-17.0, 179.95), 20.0);
        assert!(near_180.wraps() && near_180.contains((-17.0, -179.95)));
    }

    #[test]
    fn idlib_to_aleppo_is_about_60_km() {
        let d = super::distance_km((35.9306, 36.6339), (36.2021, 37.1343));
        assert!((d - 55.0).abs() < 5.0, "{d}");
        assert_eq!(super::distance_km((1.0, 2.0), (1.0, 2.0)), 0.0);
    }
}
