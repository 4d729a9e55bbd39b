//! Go's number and time rules that decide the CLI's JUnit values: a testcase `time` becomes a
//! duration the way go-junit converts it, and a suite `timestamp` is read with Go's
//! `time.Parse` on three fixed layouts (contract: evidence.md §1.3 and §1.4).
//!
//! These are written from the documented behaviour of Go's standard library (`strconv`,
//! `time.ParseDuration`, `time.Parse`) and checked against the CLI's answers.

/// Nanoseconds in a microsecond, second, minute and hour.
const MICROSECOND: i64 = 1_000;
const SECOND: i64 = 1_000_000_000;

/// A testcase's `time` attribute as go-junit turns it into nanoseconds.
///
/// Commas are removed; a float is truncated to whole microseconds after a float multiply
/// (`1.001` gives 1000999 µs); else a Go duration string (`1.5s`, `250ms`) is used; else 0.
/// Out-of-range values follow Go on amd64: the float-to-int conversion yields `i64::MIN`, and
/// the multiplication by 1000 wraps (so `1e15` gives 0).
pub(crate) fn testcase_nanos(time: &str) -> i64 {
    // The common `0.123` first: it has no comma to remove and needs no general parser.
    if let Some(seconds) = plain_decimal(time) {
        return go_f64_to_i64(seconds * 1e6).wrapping_mul(MICROSECOND);
    }
    let cleaned;
    let t = if time.contains(',') {
        cleaned = time.replace(',', "");
        cleaned.as_str()
    } else {
        time
    };
    if let Some(seconds) = parse_go_float(t) {
        return go_f64_to_i64(seconds * 1e6).wrapping_mul(MICROSECOND);
    }
    parse_go_duration(t).unwrap_or(0)
}

/// A sum of nanoseconds as seconds, as Go's `Duration.Seconds()` computes it.
pub(crate) fn seconds(nanos: i64) -> f64 {
    let sec = nanos / SECOND;
    let nsec = nanos % SECOND;
    sec as f64 + nsec as f64 / 1e9
}

/// Go's `float64 -> int64` conversion on amd64: truncation, and `i64::MIN` for NaN and for
/// values out of range (the CPU's "integer indefinite" value).
fn go_f64_to_i64(x: f64) -> i64 {
    // 2^63 as f64; the valid range is [-2^63, 2^63).
    const LIMIT: f64 = 9_223_372_036_854_775_808.0;
    if (-LIMIT..LIMIT).contains(&x) {
        x as i64
    } else {
        i64::MIN // NaN lands here too
    }
}

/// Go's `strconv.ParseFloat(s, 64)` where it succeeds (returns `None` where Go reports an
/// error, including out-of-range values, which Go rejects with `ErrRange`).
fn parse_go_float(s: &str) -> Option<f64> {
    if let Some(v) = plain_decimal(s) {
        return Some(v);
    }
    let bytes = s.as_bytes();
    let (sign, body) = match bytes.first() {
        Some(b'+') => (1.0, &s[1..]),
        Some(b'-') => (-1.0, &s[1..]),
        _ => (1.0, s),
    };
    // Special values: "inf"/"infinity" with an optional sign, "nan" only without one.
    if body.eq_ignore_ascii_case("inf") || body.eq_ignore_ascii_case("infinity") {
        return Some(sign * f64::INFINITY);
    }
    if body.eq_ignore_ascii_case("nan") {
        return (sign > 0.0 && !s.starts_with('+')).then_some(f64::NAN);
    }
    // Underscores may separate digits (Go's `underscoreOK`); then they are ignored.
    let stripped;
    let body = if body.contains('_') {
        if !underscores_ok(body) {
            return None;
        }
        stripped = body.replace('_', "");
        stripped.as_str()
    } else {
        body
    };
    if body.len() > 2 && (body.starts_with("0x") || body.starts_with("0X")) {
        return parse_hex_float(&body[2..]).map(|v| sign * v);
    }
    // Decimal: digits, optional fraction, optional exponent; no underscores without a base
    // prefix. Rust's parser accepts the same grammar, plus forms we excluded above.
    if !body.starts_with(|c: char| c.is_ascii_digit() || c == '.')
        || !body
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'))
    {
        return None;
    }
    let v: f64 = body.parse().ok()?;
    if v.is_infinite() {
        return None; // Go: ErrRange.
    }
    Some(sign * v)
}

/// The common case, `123` or `0.123` with at most 15 digits, without the general parser: the
/// digits as an integer divided by an exact power of ten is correctly rounded (both operands
/// are exact in f64), so the value is the one `ParseFloat` returns.
fn plain_decimal(s: &str) -> Option<f64> {
    const POW10: [f64; 16] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
    ];
    let b = s.as_bytes();
    if b.is_empty() || b.len() > 16 {
        return None;
    }
    let mut mantissa: u64 = 0;
    let mut digits = 0usize;
    let mut frac: Option<usize> = None;
    for &c in b {
        match c {
            b'0'..=b'9' => {
                mantissa = mantissa * 10 + u64::from(c - b'0');
                digits += 1;
                if let Some(f) = frac.as_mut() {
                    *f += 1;
                }
            }
            b'.' if frac.is_none() => frac = Some(0),
            _ => return None,
        }
    }
    if digits == 0 || digits > 15 {
        return None;
    }
    Some(mantissa as f64 / POW10[frac.unwrap_or(0)])
}

/// Go's rule for digit separators in a number (sign already removed): an underscore must sit
/// between two digits, or between a base prefix and a digit.
fn underscores_ok(s: &str) -> bool {
    let b = s.as_bytes();
    // What came last: b'^' start, b'0' digit or base prefix, b'_' underscore, b'!' other.
    let mut saw = b'^';
    let mut i = 0;
    let mut hex = false;
    if b.len() >= 2 && b[0] == b'0' && matches!(b[1].to_ascii_lowercase(), b'b' | b'o' | b'x') {
        i = 2;
        saw = b'0';
        hex = b[1].eq_ignore_ascii_case(&b'x');
    }
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_digit() || (hex && c.is_ascii_hexdigit()) {
            saw = b'0';
        } else if c == b'_' {
            if saw != b'0' {
                return false;
            }
            saw = b'_';
        } else if saw == b'_' {
            return false;
        } else {
            saw = b'!';
        }
        i += 1;
    }
    saw != b'_'
}

/// A hexadecimal float after `0x` (`1.8p3`): Go requires the `p` exponent.
fn parse_hex_float(s: &str) -> Option<f64> {
    let (mantissa, exp) = s.split_once(['p', 'P'])?;
    let mut value = 0f64;
    let mut scale = 0i32;
    let mut seen_dot = false;
    let mut digits = 0;
    for c in mantissa.chars() {
        if c == '.' && !seen_dot {
            seen_dot = true;
            continue;
        }
        value = value * 16.0 + f64::from(c.to_digit(16)?);
        digits += 1;
        if seen_dot {
            scale -= 4;
        }
    }
    if digits == 0 {
        return None;
    }
    let exp: i32 = exp.parse().ok()?;
    let v = value * 2f64.powi(exp.saturating_add(scale));
    v.is_finite().then_some(v)
}

/// Go's `time.ParseDuration`: `[-+]?([0-9]*(\.[0-9]*)?[a-z]+)+`, units ns, us, µs, μs, ms, s,
/// m, h; `0` alone is allowed. Returns nanoseconds, or `None` where Go reports an error.
pub(crate) fn parse_go_duration(s: &str) -> Option<i64> {
    let mut s = s;
    let mut neg = false;
    if let Some(c) = s.chars().next() {
        if c == '-' || c == '+' {
            neg = c == '-';
            s = &s[1..];
        }
    }
    if s == "0" {
        return Some(0);
    }
    if s.is_empty() {
        return None;
    }
    let mut total: u64 = 0;
    while !s.is_empty() {
        // The integer part (overflow is an error).
        let int_len = s.bytes().take_while(u8::is_ascii_digit).count();
        let mut v: u64 = 0;
        for b in s[..int_len].bytes() {
            v = v.checked_mul(10)?.checked_add(u64::from(b - b'0'))?;
            if v > 1 << 63 {
                return None;
            }
        }
        let pre = int_len > 0;
        s = &s[int_len..];
        // The fraction: digits past what fits are consumed but ignored.
        let mut f: u64 = 0;
        let mut scale = 1f64;
        let mut post = false;
        if let Some(rest) = s.strip_prefix('.') {
            s = rest;
            let frac_len = s.bytes().take_while(u8::is_ascii_digit).count();
            let mut overflow = false;
            for b in s[..frac_len].bytes() {
                if overflow {
                    continue;
                }
                let y = f
                    .checked_mul(10)
                    .and_then(|y| y.checked_add(u64::from(b - b'0')));
                match y {
                    Some(y) if y <= 1 << 63 => {
                        f = y;
                        scale *= 10.0;
                    }
                    _ => overflow = true,
                }
            }
            post = frac_len > 0;
            s = &s[frac_len..];
        }
        if !pre && !post {
            return None;
        }
        // The unit: everything up to the next digit or dot.
        let unit_len = s
            .find(|c: char| c == '.' || c.is_ascii_digit())
            .unwrap_or(s.len());
        let unit: u64 = match &s[..unit_len] {
            "ns" => 1,
            "us" | "\u{b5}s" | "\u{3bc}s" => 1_000,
            "ms" => 1_000_000,
            "s" => 1_000_000_000,
            "m" => 60 * 1_000_000_000,
            "h" => 3_600 * 1_000_000_000,
            _ => return None,
        };
        s = &s[unit_len..];
        if v > (1 << 63) / unit {
            return None;
        }
        v *= unit;
        if f > 0 {
            v += (f as f64 * (unit as f64 / scale)) as u64;
            if v > 1 << 63 {
                return None;
            }
        }
        total = total.checked_add(v)?;
        if total > 1 << 63 {
            return None;
        }
    }
    if neg {
        return Some((total as i64).wrapping_neg());
    }
    if total > i64::MAX as u64 {
        return None;
    }
    Some(total as i64)
}

/// A suite `timestamp` as the CLI reads it: the first of three Go layouts that parses
/// (`2006-01-02T15:04:05.999999` read as UTC, `2006-01-02T15:04:05+00:00`,
/// `2006-01-02T15:04:05.999Z`), as whole Unix seconds (floored). `None` when no layout
/// parses; the CLI then drops the field silently, and so does `0` (`1970-01-01T00:00:00`).
pub(crate) fn suite_timestamp(value: &str) -> Option<i64> {
    let t = [
        Suffix::None,
        Suffix::Literal("+00:00"),
        Suffix::Literal("Z"),
    ]
    .into_iter()
    .find_map(|suffix| parse_layout(value, suffix))?;
    (t != 0).then_some(t)
}

/// What follows the seconds in a layout.
#[derive(Clone, Copy)]
enum Suffix {
    /// Nothing (layout 1).
    None,
    /// A literal zone text (layouts 2 and 3).
    Literal(&'static str),
}

/// `2006-01-02T15:04:05` with an optional fraction (`.` or `,` and digits, as Go allows both
/// where the layout has `.999…` and after the seconds of any layout), then `suffix`, then the
/// end of the text.
fn parse_layout(value: &str, suffix: Suffix) -> Option<i64> {
    let b = value.as_bytes();
    let mut i = 0;
    // Year: exactly four digits.
    let year = fixed_digits(b, &mut i, 4)?;
    literal(b, &mut i, b'-')?;
    let month = fixed_digits(b, &mut i, 2)?;
    literal(b, &mut i, b'-')?;
    let day = fixed_digits(b, &mut i, 2)?;
    literal(b, &mut i, b'T')?;
    // Go's `15` accepts one or two digits.
    let hour = if b.get(i + 1).is_some_and(u8::is_ascii_digit) {
        fixed_digits(b, &mut i, 2)?
    } else {
        fixed_digits(b, &mut i, 1)?
    };
    literal(b, &mut i, b':')?;
    let minute = fixed_digits(b, &mut i, 2)?;
    literal(b, &mut i, b':')?;
    let second = fixed_digits(b, &mut i, 2)?;
    // An optional fraction: only the digits matter for nanoseconds, which floor away.
    if matches!(b.get(i), Some(b'.' | b',')) && b.get(i + 1).is_some_and(u8::is_ascii_digit) {
        i += 1;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
    }
    if let Suffix::Literal(text) = suffix {
        if !b[i..].starts_with(text.as_bytes()) {
            return None;
        }
        i += text.len();
    }
    if i != b.len() {
        return None;
    }
    if !(1..=12).contains(&month) || hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    if day < 1 || day > days_in_month(year, month) {
        return None;
    }
    Some(days_from_civil(year, month, day) * 86_400 + hour * 3_600 + minute * 60 + second)
}

fn fixed_digits(b: &[u8], i: &mut usize, n: usize) -> Option<i64> {
    let digits = b.get(*i..*i + n)?;
    if !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    *i += n;
    Some(
        digits
            .iter()
            .fold(0i64, |acc, d| acc * 10 + i64::from(d - b'0')),
    )
}

fn literal(b: &[u8], i: &mut usize, c: u8) -> Option<()> {
    (b.get(*i) == Some(&c)).then(|| *i += 1)
}

fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn testcase_times_truncate_like_go_junit() {
        assert_eq!(testcase_nanos("1.001"), 1_000_999_000);
        assert_eq!(testcase_nanos("0.1234567"), 123_456_000);
        assert_eq!(testcase_nanos("0.0000005"), 0);
        assert_eq!(testcase_nanos("1,234.5"), 1_234_500_000_000);
        assert_eq!(testcase_nanos("1e-3"), 1_000_000);
        assert_eq!(testcase_nanos("2E2"), 200 * SECOND);
        assert_eq!(testcase_nanos("-1.25"), -1_250_000_000);
        assert_eq!(testcase_nanos("1.5s"), 1_500_000_000);
        assert_eq!(testcase_nanos("250ms"), 250_000_000);
        assert_eq!(testcase_nanos("1h2m3.5s"), 3_723_500_000_000);
        assert_eq!(testcase_nanos("0x1p-2"), 250_000_000);
        // Checked against the CLI: digit separators as Go's ParseFloat allows them.
        assert_eq!(testcase_nanos("1_0"), 10 * SECOND);
        assert_eq!(testcase_nanos("1_000.5"), 1_000_500_000_000);
        assert_eq!(testcase_nanos("0x_1p0"), SECOND);
        assert_eq!(testcase_nanos("0x1_0p0"), 16 * SECOND);
        // 1e10 s overflows int64 nanoseconds and wraps, as the CLI prints -8446744073.709552.
        assert_eq!(seconds(testcase_nanos("1e10")), -8_446_744_073.709_552);
        for zero in [
            "", "abc", " 1.0 ", "+-1", "--1", "1e15", "inf", "-Inf", "NaN", "+nan", "1e400",
            "1__0", "_10", "10_", "0b101", "0x10", "9.3e12",
        ] {
            assert_eq!(testcase_nanos(zero), 0, "{zero:?}");
        }
    }

    #[test]
    fn plain_decimals_equal_the_general_parser() {
        for s in [
            "0",
            "1",
            "0.1",
            "0.2",
            "0.3",
            "1.001",
            "123456789.123",
            "0.000001",
            "5.",
            ".5",
            "999999999999999",
            "0.12345678901234",
            "42.000",
        ] {
            assert_eq!(plain_decimal(s), s.parse::<f64>().ok(), "{s}");
        }
        for s in [
            "",
            ".",
            "1.2.3",
            "-1",
            "1e3",
            "1234567890123456",
            "0.123456789012345",
        ] {
            assert_eq!(plain_decimal(s), None, "{s}");
        }
    }

    proptest::proptest! {
        #[test]
        fn plain_decimal_is_correctly_rounded(int in 0u64..1_000_000_000, frac in 0u64..1_000_000, width in 1usize..7) {
            let s = format!("{int}.{frac:0width$}");
            if let Some(v) = plain_decimal(&s) {
                proptest::prop_assert_eq!(v, s.parse::<f64>().unwrap(), "{}", s);
            }
        }
    }

    #[test]
    fn durations_follow_go() {
        assert_eq!(parse_go_duration("0"), Some(0));
        assert_eq!(parse_go_duration("-1.5h"), Some(-5_400 * SECOND));
        assert_eq!(parse_go_duration("1\u{b5}s"), Some(1_000));
        assert_eq!(parse_go_duration(".5s"), Some(500_000_000));
        assert_eq!(parse_go_duration("5."), None);
        assert_eq!(parse_go_duration("1"), None);
        assert_eq!(parse_go_duration("1d"), None);
        assert_eq!(parse_go_duration("."), None);
        assert_eq!(parse_go_duration("9999999999h"), None);
    }

    #[test]
    fn seconds_match_go_duration_seconds() {
        assert_eq!(seconds(2_003_998_000), 2.003998);
        assert_eq!(seconds(16_000_000), 0.016);
        assert_eq!(seconds(1_000), 1e-6);
        assert_eq!(seconds(-1_250_000_000), -1.25);
    }

    #[test]
    fn timestamps_follow_the_three_layouts() {
        assert_eq!(suite_timestamp("2024-05-01T12:34:56"), Some(1_714_566_896));
        assert_eq!(
            suite_timestamp("2024-05-01T12:34:56.999999Z"),
            Some(1_714_566_896)
        );
        assert_eq!(
            suite_timestamp("2024-05-01T12:34:56+00:00"),
            Some(1_714_566_896)
        );
        assert_eq!(
            suite_timestamp("2024-05-01T12:34:56.5+00:00"),
            Some(1_714_566_896)
        );
        assert_eq!(
            suite_timestamp("2024-05-01T12:34:56,25"),
            Some(1_714_566_896)
        );
        assert_eq!(suite_timestamp("2024-05-01T1:34:56"), Some(1_714_527_296));
        assert_eq!(suite_timestamp("1969-12-31T23:59:59.5"), Some(-1));
        assert_eq!(
            suite_timestamp("0001-01-01T00:00:00"),
            Some(-62_135_596_800)
        );
        assert_eq!(suite_timestamp("2024-02-29T00:00:00"), Some(1_709_164_800));
        for dropped in [
            "1970-01-01T00:00:00",
            "2024-05-01T12:34:56+01:00",
            "2024-05-01T12:34:56-05:00",
            "2024-05-01 12:34:56",
            "2024-05-01T12:34",
            "2024-05-01",
            "1714566896",
            "Wed, 01 May 2024 12:34:56 GMT",
            " 2024-05-01T12:34:56",
            "2024-13-01T12:34:56",
            "2023-02-29T00:00:00",
            "2024-05-01T24:00:00",
            "2024-05-01T12:34:56.",
            "",
        ] {
            assert_eq!(suite_timestamp(dropped), None, "{dropped:?}");
        }
    }
}
