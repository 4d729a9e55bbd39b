//! The pieces the documents are rendered with: Markdown tables with numbered notes for
//! unknown values, CSV fields (RFC 4180), UTC times and durations.

use std::fmt::Write as _;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::known::Known;
use crate::error::{Error, Result};

/// How a document is rendered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// The typed document as JSON (pretty-printed, two spaces).
    Json,
    /// One CSV row per artifact (the compliance report only).
    Csv,
    /// A Markdown document for people.
    Markdown,
}

impl FromStr for Format {
    type Err = Error;

    /// `json`, `csv`, `markdown` (or `md`).
    fn from_str(s: &str) -> Result<Format> {
        match s {
            "json" => Ok(Format::Json),
            "csv" => Ok(Format::Csv),
            "markdown" | "md" => Ok(Format::Markdown),
            other => Err(Error::invalid_input(
                "output",
                format!("unsupported output format: {other} (use json, csv or markdown)"),
            )),
        }
    }
}

/// The document as pretty JSON.
pub(crate) fn json<T: Serialize>(doc: &T) -> Result<String> {
    serde_json::to_string_pretty(doc)
        .map(|mut s| {
            s.push('\n');
            s
        })
        .map_err(|e| Error::invalid_input("report", format!("cannot write JSON: {e}")))
}

/// `2024-06-01 00:00:00 UTC` (seconds truncated).
pub fn utc(epoch: f64) -> String {
    let secs = epoch.floor() as i64;
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    let rem = secs.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02} UTC",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// `2024-06-01T00:00:00Z` (seconds truncated), for machine-read documents.
pub fn rfc3339(epoch: f64) -> String {
    utc(epoch).replacen(' ', "T", 1).replace(" UTC", "Z")
}

/// A duration for people: `45s`, `12m`, `2h 30m`, `1d 4h` (rounded down to the unit shown).
pub fn duration(seconds: f64) -> String {
    let s = seconds.max(0.0).round() as u64;
    let (d, h, m) = (s / 86_400, s % 86_400 / 3600, s % 3600 / 60);
    match (d, h, m) {
        (0, 0, 0) => format!("{s}s"),
        (0, 0, m) => format!("{m}m"),
        (0, h, 0) => format!("{h}h"),
        (0, h, m) => format!("{h}h {m}m"),
        (d, 0, _) => format!("{d}d"),
        (d, h, _) => format!("{d}d {h}h"),
    }
}

/// A share as a percentage with one decimal: `63.6%`.
pub fn percent(share: f64) -> String {
    format!("{:.1}%", share * 100.0)
}

/// (year, month, day) of days since 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Reads a point in time for a report window: Unix seconds (`1717200000`), a UTC date
/// (`2024-06-01`, midnight) or a UTC date and time (`2024-06-01T12:00:00Z`, the `Z` optional).
pub fn parse_time(text: &str) -> Result<f64> {
    let t = text.trim();
    let bad = || {
        Error::invalid_input(
            "time",
            format!("invalid time {text:?}: use Unix seconds, YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ"),
        )
    };
    if let Ok(secs) = t.parse::<f64>() {
        return if secs.is_finite() {
            Ok(secs)
        } else {
            Err(bad())
        };
    }
    let (date, time) = match t.split_once(['T', ' ']) {
        Some((d, tm)) => (d, Some(tm.trim_end_matches('Z'))),
        None => (t, None),
    };
    let num = |s: &str, lo: i64, hi: i64| -> Result<i64> {
        s.parse::<i64>()
            .ok()
            .filter(|n| {
                (lo..=hi).contains(n) && !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
            })
            .ok_or_else(bad)
    };
    let parts: Vec<&str> = date.split('-').collect();
    let [y, m, d] = parts.as_slice() else {
        return Err(bad());
    };
    let (y, m, d) = (num(y, 1970, 9999)?, num(m, 1, 12)?, num(d, 1, 31)?);
    let mut secs = days_from_civil(y, m, d) * 86_400;
    if let Some(tm) = time {
        let parts: Vec<&str> = tm.split(':').collect();
        let (h, mi, s) = match parts.as_slice() {
            [h, mi] => (num(h, 0, 23)?, num(mi, 0, 59)?, 0),
            [h, mi, s] => (num(h, 0, 23)?, num(mi, 0, 59)?, num(s, 0, 60)?),
            _ => return Err(bad()),
        };
        secs += h * 3600 + mi * 60 + s;
    }
    Ok(secs as f64)
}

/// A Markdown table cell: pipes escaped, line breaks as spaces.
pub(crate) fn cell(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace(['\r', '\n'], " ")
}

/// A CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break.
pub(crate) fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// Numbered notes for the unknown values of a Markdown document: the same reason gets the
/// same number.
#[derive(Debug, Default)]
pub(crate) struct Notes {
    reasons: Vec<String>,
}

impl Notes {
    /// The cell of a value: its text, or `unknown [n]`.
    pub(crate) fn show<T>(&mut self, k: &Known<T>, text: impl FnOnce(&T) -> String) -> String {
        match k {
            Known::Value(v) => text(v),
            Known::Unknown { reason } => format!("unknown [{}]", self.number(reason)),
        }
    }

    fn number(&mut self, reason: &str) -> usize {
        match self.reasons.iter().position(|r| r == reason) {
            Some(i) => i + 1,
            None => {
                self.reasons.push(reason.to_string());
                self.reasons.len()
            }
        }
    }

    /// The notes, as a Markdown list under a heading (nothing when there is none).
    pub(crate) fn write(&self, out: &mut String) {
        if self.reasons.is_empty() {
            return;
        }
        out.push_str("\n### Unknown values\n\n");
        for (i, r) in self.reasons.iter().enumerate() {
            let _ = writeln!(out, "{}. {}", i + 1, r.replace(['\r', '\n'], " "));
        }
    }
}

/// A Markdown table: a header row, a separator, then the rows (cells already escaped).
pub(crate) fn table(out: &mut String, header: &[&str], rows: &[Vec<String>]) {
    let _ = writeln!(out, "| {} |", header.join(" | "));
    let _ = writeln!(
        out,
        "|{}|",
        header.iter().map(|_| "---").collect::<Vec<_>>().join("|")
    );
    for r in rows {
        let _ = writeln!(out, "| {} |", r.join(" | "));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_and_durations() {
        assert_eq!(utc(1717200000.0), "2024-06-01 00:00:00 UTC");
        assert_eq!(utc(1717200000.0 + 273600.9), "2024-06-04 04:00:00 UTC");
        assert_eq!(utc(0.0), "1970-01-01 00:00:00 UTC");
        assert_eq!(rfc3339(1717200000.0), "2024-06-01T00:00:00Z");
        assert_eq!(utc(951782400.0), "2000-02-29 00:00:00 UTC");
        assert_eq!(duration(45.0), "45s");
        assert_eq!(duration(7200.0), "2h");
        assert_eq!(duration(9000.0), "2h 30m");
        assert_eq!(duration(100800.0), "1d 4h");
        assert_eq!(duration(172800.0), "2d");
        assert_eq!(duration(600.0), "10m");
        assert_eq!(percent(7.0 / 11.0), "63.6%");
    }

    #[test]
    fn times_parse() {
        assert_eq!(parse_time("1717200000").unwrap(), 1717200000.0);
        assert_eq!(parse_time("2024-06-01").unwrap(), 1717200000.0);
        assert_eq!(parse_time("2024-06-01T01:02:03Z").unwrap(), 1717203723.0);
        assert_eq!(parse_time("2024-06-01 01:02").unwrap(), 1717203720.0);
        assert_eq!(parse_time("2000-02-29").unwrap(), 951782400.0);
        for bad in [
            "",
            "yesterday",
            "2024-13-01",
            "2024-06-01T25:00:00Z",
            "2024-6",
            "nan",
        ] {
            let e = parse_time(bad).unwrap_err();
            assert_eq!(e.kind(), crate::ErrorKind::InvalidInput, "{bad}");
            assert!(e.to_string().contains("invalid time"), "{e}");
        }
    }

    #[test]
    fn escaping() {
        assert_eq!(cell("a|b\nc"), "a\\|b c");
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!("md".parse::<Format>().unwrap(), Format::Markdown);
        assert!("yaml".parse::<Format>().is_err());
    }

    #[test]
    fn notes_number_reasons_once() {
        let mut n = Notes::default();
        let a: Known<u8> = Known::unknown("no trail");
        assert_eq!(n.show(&a, |v| v.to_string()), "unknown [1]");
        assert_eq!(n.show(&Known::Value(3u8), |v| v.to_string()), "3");
        assert_eq!(n.show(&a, |v| v.to_string()), "unknown [1]");
        let mut out = String::new();
        n.write(&mut out);
        assert_eq!(out, "\n### Unknown values\n\n1. no trail\n");
    }
}
