//! The Equal Earth projection (Šavrič, Patterson and Jenny, 2018): equal-area, with
//! straight parallels, and a world that looks like the world.
//!
//! A few lines of formula, so no crate: <https://doi.org/10.1080/13658816.2018.1504949>.

const A1: f64 = 1.340264;
const A2: f64 = -0.081106;
const A3: f64 = 0.000893;
const A4: f64 = 0.003796;

/// Half the width of the projected world (at longitude ±180°, on the equator).
pub(crate) const HALF_WIDTH: f64 = 2.706_629_983_7;
/// Half the height of the projected world (at the poles).
pub(crate) const HALF_HEIGHT: f64 = 1.317_362_759_2;

/// Project longitude and latitude in degrees to `(x, y)`, y growing northwards.
pub(crate) fn equal_earth(lon: f64, lat: f64) -> (f64, f64) {
    let m = 3f64.sqrt() / 2.0;
    let lambda = lon.clamp(-180.0, 180.0).to_radians();
    let phi = lat.clamp(-90.0, 90.0).to_radians();
    let theta = (m * phi.sin()).asin();
    let t2 = theta * theta;
    let t6 = t2 * t2 * t2;
    let x = lambda * theta.cos() / (m * (A1 + 3.0 * A2 * t2 + t6 * (7.0 * A3 + 9.0 * A4 * t2)));
    let y = theta * (A1 + A2 * t2 + t6 * (A3 + A4 * t2));
    (x, y)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_world_fits_its_bounds_and_the_origin_stays() {
        assert_eq!(equal_earth(0.0, 0.0), (0.0, 0.0));
        let (x, _) = equal_earth(180.0, 0.0);
        assert!((x - HALF_WIDTH).abs() < 1e-6, "{x}");
        let (_, y) = equal_earth(0.0, 90.0);
        assert!((y - HALF_HEIGHT).abs() < 1e-6, "{y}");
        let (x, y) = equal_earth(-90.0, -45.0);
        assert!(x < 0.0 && y < 0.0);
    }
}
