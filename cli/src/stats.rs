//! Error statistics shared by `ttperf eval` and `ttperf fit`: absolute percentage error per
//! row, and its median and 90th percentile over rows.

/// Absolute percentage error, as a fraction: `|predicted - measured| / measured`.
pub fn ape(predicted: f64, measured: f64) -> f64 {
    (predicted - measured).abs() / measured
}

/// Median of a slice (sorted in place); `None` when it is empty.
pub fn median(v: &mut [f64]) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    Some(if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    })
}

/// Nearest-rank 90th percentile of a slice (sorted in place); `None` when it is empty.
pub fn p90(v: &mut [f64]) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let rank = (0.9 * v.len() as f64).ceil() as usize;
    Some(v[rank.clamp(1, v.len()) - 1])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles() {
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&mut [4.0, 1.0, 2.0, 3.0]), Some(2.5));
        assert_eq!(median(&mut []), None);
        let mut v: Vec<f64> = (1..=10).map(f64::from).collect();
        assert_eq!(p90(&mut v), Some(9.0));
        assert_eq!(p90(&mut [5.0]), Some(5.0));
        assert_eq!(p90(&mut []), None);
    }

    #[test]
    fn ape_is_relative_to_measured() {
        assert_eq!(ape(110.0, 100.0), 0.1);
        assert_eq!(ape(90.0, 100.0), 0.1);
        assert_eq!(ape(300.0, 100.0), 2.0);
    }
}
