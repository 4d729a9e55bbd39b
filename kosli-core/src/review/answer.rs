//! Reading a provider's JSON answer: strings, times and lists by JSON pointer, with errors
//! that name the provider and the field.

use serde_json::Value;

use crate::client::Response;
use crate::error::{Error, Result};

/// A provider's decoded answer, named for error messages.
pub(crate) struct Answer<'a> {
    pub(crate) what: &'a str,
    pub(crate) value: &'a Value,
}

impl<'a> Answer<'a> {
    pub(crate) fn new(what: &'a str, value: &'a Value) -> Answer<'a> {
        Answer { what, value }
    }

    /// The string at `ptr` (`""` when missing or null).
    pub(crate) fn text(&self, ptr: &str) -> String {
        self.value
            .pointer(ptr)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    }

    /// The time at `ptr` as Unix seconds; 0 when missing or null; an error when unreadable.
    pub(crate) fn time(&self, ptr: &str) -> Result<i64> {
        match self.value.pointer(ptr) {
            None | Some(Value::Null) => Ok(0),
            Some(Value::String(s)) if s.is_empty() => Ok(0),
            Some(Value::String(s)) => rfc3339_seconds(s).ok_or_else(|| {
                Error::parse(
                    None,
                    None,
                    format!("{}: {ptr} is not an RFC 3339 time: {s:?}", self.what),
                )
            }),
            Some(other) => Err(Error::parse(
                None,
                None,
                format!("{}: {ptr} is not a time: {other}", self.what),
            )),
        }
    }

    /// The array at `ptr` (empty when missing or null).
    pub(crate) fn list(&self, ptr: &str) -> &'a [Value] {
        self.value
            .pointer(ptr)
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default()
    }
}

/// Decodes a provider's answer as JSON, naming the provider when it is not.
pub(crate) fn decode(what: &str, response: &Response) -> Result<Value> {
    serde_json::from_slice(response.body()).map_err(|e| {
        Error::parse(
            None,
            Some(e.line() as u64),
            format!("{what}: the answer is not JSON: {e}"),
        )
    })
}

/// Unix seconds of an RFC 3339 time (`2024-06-01T10:00:00Z`, `...00.123+02:00`, `...+0000`);
/// the fraction is dropped, as Go's `Time.Unix` does.
pub(crate) fn rfc3339_seconds(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    let num = |from: usize, len: usize| -> Option<i64> {
        let part = s.get(from..from + len)?;
        if !part.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        part.parse().ok()
    };
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't' | b' ') {
        return None;
    }
    if b[13] != b':' || b[16] != b':' {
        return None;
    }
    let (year, month, day) = (num(0, 4)?, num(5, 2)?, num(8, 2)?);
    let (hour, minute, second) = (num(11, 2)?, num(14, 2)?, num(17, 2)?);
    let mut i = 19;
    if b.get(i) == Some(&b'.') {
        i += 1;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
    }
    let offset = match b.get(i)? {
        b'Z' | b'z' if i + 1 == b.len() => 0,
        sign @ (b'+' | b'-') => {
            let rest = &s[i + 1..];
            let (h, m) = match rest.len() {
                5 if rest.as_bytes()[2] == b':' => (num(i + 1, 2)?, num(i + 4, 2)?),
                4 => (num(i + 1, 2)?, num(i + 3, 2)?),
                _ => return None,
            };
            let o = h * 3600 + m * 60;
            if *sign == b'-' {
                -o
            } else {
                o
            }
        }
        _ => return None,
    };
    if !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    Some(days_from_civil(year, month, day) * 86_400 + hour * 3_600 + minute * 60 + second - offset)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_as_the_providers_write_them() {
        assert_eq!(rfc3339_seconds("2024-06-01T10:00:00Z"), Some(1717236000));
        assert_eq!(
            rfc3339_seconds("2024-06-01T10:00:00.123Z"),
            Some(1717236000)
        );
        assert_eq!(
            rfc3339_seconds("2024-06-01T09:00:00.000+02:00"),
            Some(1717225200)
        );
        assert_eq!(
            rfc3339_seconds("2024-06-01T10:00:00.123456+00:00"),
            Some(1717236000)
        );
        assert_eq!(
            rfc3339_seconds("2024-06-10T06:00:03+0000"),
            Some(1717999203)
        );
        assert_eq!(rfc3339_seconds("1969-12-31T23:59:59Z"), Some(-1));
        for bad in [
            "",
            "2024-06-01",
            "2024-13-01T00:00:00Z",
            "2024-06-01T10:00:00",
            "x024-06-01T10:00:00Z",
        ] {
            assert_eq!(rfc3339_seconds(bad), None, "{bad}");
        }
    }

    #[test]
    fn missing_times_are_zero_and_bad_ones_named() {
        let v = serde_json::json!({"a": null, "b": "nope"});
        let a = Answer::new("GitLab", &v);
        assert_eq!(a.time("/a").unwrap(), 0);
        assert_eq!(a.time("/zz").unwrap(), 0);
        let e = a.time("/b").unwrap_err().to_string();
        assert!(e.contains("GitLab") && e.contains("/b"), "{e}");
    }
}
