//! The statistics of the adoption metrics: median and 90th percentile of durations.

use serde::{Deserialize, Serialize};

use super::known::Known;

/// The distribution of a set of durations (seconds): how many, the median and the 90th
/// percentile. Unknown when there is no sample.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DurationStats {
    /// How many durations.
    pub samples: u64,
    /// The median: the middle value, or the mean of the two middle values.
    pub median_seconds: Known<f64>,
    /// The 90th percentile by nearest rank: the smallest value with at least 90% of the
    /// samples at or below it.
    pub p90_seconds: Known<f64>,
}

impl DurationStats {
    /// The statistics of `seconds` (in any order); `why_none` is the reason given when empty.
    pub fn of(seconds: &[f64], why_none: &str) -> Self {
        let mut sorted: Vec<f64> = seconds.iter().copied().filter(|s| s.is_finite()).collect();
        sorted.sort_by(f64::total_cmp);
        DurationStats {
            samples: sorted.len() as u64,
            median_seconds: median(&sorted).map_or_else(|| Known::unknown(why_none), Known::Value),
            p90_seconds: nearest_rank(&sorted, 90)
                .map_or_else(|| Known::unknown(why_none), Known::Value),
        }
    }
}

/// The median of sorted values.
pub fn median(sorted: &[f64]) -> Option<f64> {
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2]),
        _ => Some((sorted[n / 2 - 1] + sorted[n / 2]) / 2.0),
    }
}

/// The `percent`th percentile of sorted values by nearest rank (rank = ceil(p/100 × n)).
pub fn nearest_rank(sorted: &[f64], percent: u32) -> Option<f64> {
    let n = sorted.len();
    if n == 0 {
        return None;
    }
    // Integer arithmetic: ceil(percent * n / 100) without float rounding surprises.
    let rank = (percent as usize * n).div_ceil(100).clamp(1, n);
    Some(sorted[rank - 1])
}

/// `part / whole`, or unknown (with `why_none`) when `whole` is 0.
pub fn share(part: u64, whole: u64, why_none: &str) -> Known<f64> {
    if whole == 0 {
        Known::unknown(why_none)
    } else {
        Known::Value(part as f64 / whole as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_and_p90_by_hand() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[5.0]), Some(5.0));
        assert_eq!(median(&[1.0, 2.0, 10.0]), Some(2.0));
        assert_eq!(median(&[1.0, 2.0, 4.0, 10.0]), Some(3.0));
        // n = 4: rank ceil(3.6) = 4; n = 10: rank 9; n = 11: rank ceil(9.9) = 10.
        assert_eq!(nearest_rank(&[1.0, 2.0, 3.0, 4.0], 90), Some(4.0));
        let ten: Vec<f64> = (1..=10).map(f64::from).collect();
        assert_eq!(nearest_rank(&ten, 90), Some(9.0));
        let eleven: Vec<f64> = (1..=11).map(f64::from).collect();
        assert_eq!(nearest_rank(&eleven, 90), Some(10.0));
        assert_eq!(nearest_rank(&[7.0], 90), Some(7.0));
        let s = DurationStats::of(&[10800.0, 7200.0, 100800.0, 7200.0], "none");
        assert_eq!(s.samples, 4);
        assert_eq!(s.median_seconds, Known::Value(9000.0));
        assert_eq!(s.p90_seconds, Known::Value(100800.0));
        let e = DurationStats::of(&[], "no deployment in the window");
        assert_eq!(
            e.median_seconds.reason(),
            Some("no deployment in the window")
        );
    }

    #[test]
    fn shares() {
        assert_eq!(share(7, 11, "x"), Known::Value(7.0 / 11.0));
        assert!(!share(0, 0, "nothing ran").is_known());
    }
}
