//! Go's `fmt` rules, for server messages that must read exactly as the CLI prints them.
//!
//! The CLI decodes an error body into Go values (`map[string]interface{}`, `float64`, ...),
//! formats them with `%v` or `%s`, and then passes the result to a `Printf`-style function as
//! the format string, with no arguments. Each step leaves marks in the text (`map[k:v]`,
//! `1.234567e+06`, `%!s(float64=403)`, `%!d(MISSING)`), and these functions reproduce them.

use serde_json::Value;

/// Go's `%v` of a decoded JSON value (`map[a:1 b:[x y]]`, `<nil>`, `1e+06`).
pub(crate) fn format_v(value: &Value) -> String {
    format_value(value, false)
}

/// Go's `%s` of a decoded JSON value: like `%v`, but numbers, bools and nil are wrong-verb
/// marks (`%!s(float64=403)`, `%!s(bool=true)`, `%!s(<nil>)`).
pub(crate) fn format_s(value: &Value) -> String {
    format_value(value, true)
}

fn format_value(value: &Value, s_verb: bool) -> String {
    match value {
        Value::Null if s_verb => "%!s(<nil>)".to_string(),
        Value::Null => "<nil>".to_string(),
        Value::Bool(b) if s_verb => format!("%!s(bool={b})"),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => {
            let text = format_float_v(n.as_f64().unwrap_or(0.0));
            if s_verb {
                format!("%!s(float64={text})")
            } else {
                text
            }
        }
        Value::String(s) => s.clone(),
        Value::Array(items) => {
            let inner: Vec<String> = items.iter().map(|v| format_value(v, s_verb)).collect();
            format!("[{}]", inner.join(" "))
        }
        Value::Object(map) => {
            // Go prints maps sorted by key, whatever order the JSON had.
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            let inner: Vec<String> = keys
                .iter()
                .map(|k| format!("{k}:{}", format_value(&map[k.as_str()], s_verb)))
                .collect();
            format!("map[{}]", inner.join(" "))
        }
    }
}

/// Go's `%v` of a `float64`: the shortest digits that round-trip, in exponent form when the
/// exponent is below -4 or at least 6 (`403`, `0.5`, `1.234567e+06`, `1e-05`).
pub(crate) fn format_float_v(v: f64) -> String {
    if v.is_nan() {
        return "NaN".to_string();
    }
    if v.is_infinite() {
        return if v > 0.0 { "+Inf" } else { "-Inf" }.to_string();
    }
    if v == 0.0 {
        return if v.is_sign_negative() { "-0" } else { "0" }.to_string();
    }
    // Rust's `{:e}` gives the shortest round-trip digits too: "1.234567e6", "-5e-1".
    let sci = format!("{:e}", v.abs());
    let (mantissa, exp) = sci.split_once('e').unwrap_or((sci.as_str(), "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let sign = if v < 0.0 { "-" } else { "" };
    if !(-4..6).contains(&exp) {
        let (first, rest) = digits.split_at(1);
        let frac = if rest.is_empty() {
            String::new()
        } else {
            format!(".{rest}")
        };
        let esign = if exp < 0 { '-' } else { '+' };
        return format!("{sign}{first}{frac}e{esign}{:02}", exp.abs());
    }
    let n = digits.len() as i32;
    let point = exp + 1; // digits before the decimal point
    let text = if point <= 0 {
        format!("0.{}{digits}", "0".repeat(point.unsigned_abs() as usize))
    } else if point >= n {
        format!("{digits}{}", "0".repeat((point - n) as usize))
    } else {
        let (int, frac) = digits.split_at(point as usize);
        format!("{int}.{frac}")
    };
    format!("{sign}{text}")
}

/// What Go's `fmt.Sprintf(text)` prints when `text` is used as a format with no arguments:
/// `%%` becomes `%`, each verb becomes `%!<verb>(MISSING)` (flags, width and precision are
/// dropped), an argument index becomes `%!<verb>(BADINDEX)`, `*` a `%!(BADWIDTH)` or
/// `%!(BADPREC)`, and a `%` at the end `%!(NOVERB)`.
pub(crate) fn printf_no_args(text: &str) -> String {
    if !text.contains('%') {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    let end = chars.len();
    let mut out = String::with_capacity(text.len() + 16);
    let mut i = 0;
    while i < end {
        if chars[i] != '%' {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        i += 1;
        // Flags.
        while i < end && matches!(chars[i], '#' | '0' | '+' | '-' | ' ') {
            i += 1;
        }
        let mut good_index = true;
        let mut after_index = false;
        // An argument index: [n]. With no arguments any index is bad.
        let arg_index = |i: &mut usize, good: &mut bool| -> bool {
            if *i < end && chars[*i] == '[' {
                *good = false;
                match chars[*i..].iter().position(|&c| c == ']') {
                    Some(close) => *i += close + 1,
                    None => *i += 1,
                }
                return true;
            }
            false
        };
        after_index |= arg_index(&mut i, &mut good_index);
        // Width.
        if i < end && chars[i] == '*' {
            i += 1;
            out.push_str("%!(BADWIDTH)");
            after_index = false;
        } else {
            while i < end && chars[i].is_ascii_digit() {
                i += 1;
            }
        }
        // Precision (Go only looks for it when something follows the dot).
        if i + 1 < end && chars[i] == '.' {
            i += 1;
            if after_index {
                good_index = false;
            }
            after_index = arg_index(&mut i, &mut good_index);
            if i < end && chars[i] == '*' {
                i += 1;
                out.push_str("%!(BADPREC)");
                after_index = false;
            } else {
                while i < end && chars[i].is_ascii_digit() {
                    i += 1;
                }
            }
        }
        if !after_index {
            arg_index(&mut i, &mut good_index);
        }
        if i >= end {
            out.push_str("%!(NOVERB)");
            break;
        }
        let verb = chars[i];
        i += 1;
        if verb == '%' {
            out.push('%');
        } else if !good_index {
            out.push_str(&format!("%!{verb}(BADINDEX)"));
        } else {
            out.push_str(&format!("%!{verb}(MISSING)"));
        }
    }
    out
}

/// The message Go's `json.Unmarshal` gives for a body that is not JSON, for the common cases
/// (empty, HTML or plain text, trailing data); other syntax errors keep `serde_json`'s words.
pub(crate) fn json_error_text(body: &[u8], err: &serde_json::Error) -> String {
    let first = body
        .iter()
        .position(|b| !matches!(b, b' ' | b'\t' | b'\r' | b'\n'));
    let Some(first) = first else {
        return "unexpected end of JSON input".to_string();
    };
    let c = body[first];
    let starts_value =
        matches!(c, b'{' | b'[' | b'"' | b'-' | b't' | b'f' | b'n') || c.is_ascii_digit();
    if !starts_value {
        return format!(
            "invalid character {} looking for beginning of value",
            quote_char(body, first)
        );
    }
    if err.is_eof() {
        return "unexpected end of JSON input".to_string();
    }
    if err.to_string().starts_with("trailing characters") {
        // Find the first byte after the first complete value.
        let mut stream =
            serde_json::Deserializer::from_slice(body).into_iter::<serde::de::IgnoredAny>();
        if let Some(Ok(_)) = stream.next() {
            let at = stream.byte_offset();
            if let Some(off) = body[at..]
                .iter()
                .position(|b| !matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
            {
                return format!(
                    "invalid character {} after top-level value",
                    quote_char(body, at + off)
                );
            }
        }
    }
    err.to_string()
}

/// Go's `quoteChar`: `'<'`, `'\''`, `'"'`, or a Go-quoted escape for other bytes.
fn quote_char(body: &[u8], at: usize) -> String {
    let rest = std::str::from_utf8(&body[at..]).ok().or_else(|| {
        // Up to the first invalid byte, if the leading char is valid.
        std::str::from_utf8(&body[at..(at + 4).min(body.len())]).ok()
    });
    let c = match rest.and_then(|s| s.chars().next()) {
        Some(c) => c,
        None => return format!("'\\x{:02x}'", body[at]),
    };
    match c {
        '\'' => "'\\''".to_string(),
        '"' => "'\"'".to_string(),
        c if c.is_control() => match c {
            '\u{7}' => "'\\a'".into(),
            '\u{8}' => "'\\b'".into(),
            '\u{c}' => "'\\f'".into(),
            '\u{b}' => "'\\v'".into(),
            '\0'..='\u{ff}' => format!("'\\x{:02x}'", c as u32),
            _ => format!("'\\u{:04x}'", c as u32),
        },
        c => format!("'{c}'"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn v_and_s_of_maps_match_the_cli() {
        // Observed: a 400 with errors {...} printed as below by the CLI.
        let errors = json!({"type": "x", "n": 1234567, "f": 0.5, "l": [1, "a", null, true], "m": {"z": 1, "a": 2}});
        assert_eq!(
            format_v(&errors),
            "map[f:0.5 l:[1 a <nil> true] m:map[a:2 z:1] n:1.234567e+06 type:x]"
        );
        assert_eq!(
            format_s(&json!({"code": 403, "detail": "forbidden"})),
            "map[code:%!s(float64=403) detail:forbidden]"
        );
    }

    #[test]
    fn floats_like_go() {
        let cases = [
            (403.0, "403"),
            (0.5, "0.5"),
            (1234567.0, "1.234567e+06"),
            (1e6, "1e+06"),
            (100000.0, "100000"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (-2.5, "-2.5"),
            (1e21, "1e+21"),
            (123.456, "123.456"),
            (1e100, "1e+100"),
        ];
        for (v, want) in cases {
            assert_eq!(format_float_v(v), want, "{v}");
        }
    }

    #[test]
    fn printf_without_arguments_like_go() {
        // Observed from the CLI.
        assert_eq!(
            printf_no_args("bad 100% thing %d %s"),
            "bad 100%!t(MISSING)hing %!d(MISSING) %!s(MISSING)"
        );
        assert_eq!(
            printf_no_args("map[code:%!s(float64=403)]"),
            "map[code:%!!(MISSING)s(float64=403)]"
        );
        assert_eq!(
            printf_no_args("plain %d string"),
            "plain %!d(MISSING) string"
        );
        // Go's documented forms.
        assert_eq!(printf_no_args("100%%"), "100%");
        assert_eq!(printf_no_args("50%"), "50%!(NOVERB)");
        assert_eq!(printf_no_args("%-08.3f"), "%!f(MISSING)");
        assert_eq!(printf_no_args("%[1]d"), "%!d(BADINDEX)");
        assert_eq!(printf_no_args("%*d"), "%!(BADWIDTH)%!d(MISSING)");
        assert_eq!(printf_no_args("%é"), "%!é(MISSING)");
        assert_eq!(printf_no_args("%."), "%!.(MISSING)");
        assert_eq!(printf_no_args("no verbs"), "no verbs");
    }

    #[test]
    fn json_errors_like_go() {
        let err = |b: &[u8]| serde_json::from_slice::<Value>(b).unwrap_err();
        assert_eq!(
            json_error_text(b"<html>bad</html>", &err(b"<html>bad</html>")),
            "invalid character '<' looking for beginning of value"
        );
        assert_eq!(
            json_error_text(b"", &err(b"")),
            "unexpected end of JSON input"
        );
        assert_eq!(
            json_error_text(b"{\"a\":1", &err(b"{\"a\":1")),
            "unexpected end of JSON input"
        );
        assert_eq!(
            json_error_text(b"Bad Gateway", &err(b"Bad Gateway")),
            "invalid character 'B' looking for beginning of value"
        );
        assert_eq!(
            json_error_text(b"{} x", &err(b"{} x")),
            "invalid character 'x' after top-level value"
        );
        assert_eq!(
            json_error_text(b"'a'", &err(b"'a'")),
            "invalid character '\\'' looking for beginning of value"
        );
    }
}
