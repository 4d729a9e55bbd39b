//! JSON text exactly as Go's `encoding/json` writes it, which is what the official CLI sends.
//!
//! Three things differ from `serde_json`'s defaults and matter for byte-identical payloads and
//! dry-run output:
//! * floats: Go prints the shortest round-trip digits, `3` (not `3.0`) for whole values, and
//!   switches to exponent form only below `1e-6` or from `1e21` (`1e-7`, `1e+21`);
//! * strings: Go escapes `<`, `>`, `&`, U+2028 and U+2029 (`\u003c`, ...);
//! * pretty printing: Go's `json.Indent` re-indents existing text (numbers and escapes are kept
//!   as they are), with `": "` after keys and `{}` / `[]` for empty containers.
//!
//! Maps follow their own iteration order: `serde_json::Value` objects (without the
//! `preserve_order` feature) iterate sorted by key, as Go sorts `map` keys; structs keep their
//! field order. Non-finite floats become `null` (serde's rule; Go refuses them).

use std::io::{self, Write};

use serde::Serialize;
use serde_json::ser::Formatter;

use crate::error::{Error, Result};

/// A `serde_json` formatter that writes compact JSON with Go's number and string rules.
#[derive(Debug, Clone, Copy, Default)]
pub struct GoFormatter;

impl Formatter for GoFormatter {
    fn write_f64<W: ?Sized + Write>(&mut self, writer: &mut W, value: f64) -> io::Result<()> {
        writer.write_all(format_f64(value).as_bytes())
    }

    fn write_f32<W: ?Sized + Write>(&mut self, writer: &mut W, value: f32) -> io::Result<()> {
        writer.write_all(format_f32(value).as_bytes())
    }

    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        // serde_json already escaped quotes, backslashes and control characters; Go also
        // escapes the HTML-sensitive characters and the two JavaScript line separators.
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            let escaped = match c {
                '<' => "\\u003c",
                '>' => "\\u003e",
                '&' => "\\u0026",
                '\u{2028}' => "\\u2028",
                '\u{2029}' => "\\u2029",
                _ => continue,
            };
            writer.write_all(&fragment.as_bytes()[start..i])?;
            writer.write_all(escaped.as_bytes())?;
            start = i + c.len_utf8();
        }
        writer.write_all(&fragment.as_bytes()[start..])
    }
}

/// Serializes `value` to compact JSON text as Go's `json.Marshal` would write it.
///
/// ```
/// let text = kosli_core::model::go_json::to_string(&serde_json::json!({"a": 1.0, "b": "<x>"}))?;
/// assert_eq!(text, r#"{"a":1,"b":"\u003cx\u003e"}"#);
/// # Ok::<(), kosli_core::Error>(())
/// ```
pub fn to_string<T: Serialize + ?Sized>(value: &T) -> Result<String> {
    let mut out = Vec::with_capacity(128);
    let mut ser = serde_json::Serializer::with_formatter(&mut out, GoFormatter);
    value
        .serialize(&mut ser)
        .map_err(|e| Error::invalid_input("payload", format!("cannot encode JSON: {e}")))?;
    // The formatter only ever writes valid UTF-8 (serde_json strings plus ASCII).
    String::from_utf8(out)
        .map_err(|e| Error::invalid_input("payload", format!("cannot encode JSON: {e}")))
}

/// Serializes `value` pretty-printed with a 4-space indent, as Go's `json.MarshalIndent(v, "",
/// "    ")`.
pub fn to_string_pretty<T: Serialize + ?Sized>(value: &T) -> Result<String> {
    Ok(indent(&to_string(value)?, "", "    "))
}

/// Re-indents JSON text the way Go's `json.Indent(dst, src, prefix, indent)` does: every
/// element on its own line, `": "` after keys, empty `{}` and `[]` kept on one line, strings and
/// numbers copied unchanged. Whitespace outside strings is dropped. Invalid JSON is not
/// rejected: the text is re-indented as far as its brackets allow (dry-run output is
/// best-effort and never fails).
pub fn indent(src: &str, prefix: &str, indent: &str) -> String {
    // Works on bytes: every byte it acts on is ASCII, and string contents are copied whole,
    // so the output stays valid UTF-8 (a multi-megabyte payload is re-indented in one pass).
    let src = src.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(src.len() + src.len() / 2);
    let mut depth: usize = 0;
    // A `{` or `[` was written and its first element has not started yet: a newline and the
    // indentation are due unless the container turns out to be empty.
    let mut need_indent = false;
    let newline = |out: &mut Vec<u8>, depth: usize| {
        out.push(b'\n');
        out.extend_from_slice(prefix.as_bytes());
        for _ in 0..depth {
            out.extend_from_slice(indent.as_bytes());
        }
    };
    let mut i = 0;
    while i < src.len() {
        let c = src[i];
        i += 1;
        if matches!(c, b' ' | b'\t' | b'\n' | b'\r') {
            continue;
        }
        if need_indent && c != b'}' && c != b']' {
            need_indent = false;
            depth += 1;
            newline(&mut out, depth);
        }
        match c {
            b'"' => {
                // Copy through the closing quote, skipping escaped characters.
                let start = i - 1;
                loop {
                    let rest = src.get(i..).unwrap_or_default();
                    match memchr::memchr2(b'"', b'\\', rest) {
                        None => {
                            i = src.len();
                            break;
                        }
                        Some(at) if rest[at] == b'\\' => i += at + 2,
                        Some(at) => {
                            i += at + 1;
                            break;
                        }
                    }
                }
                let end = i.min(src.len());
                out.extend_from_slice(&src[start..end]);
            }
            b'{' | b'[' => {
                out.push(c);
                need_indent = true;
            }
            b',' => {
                out.push(b',');
                newline(&mut out, depth);
            }
            b':' => out.extend_from_slice(b": "),
            b'}' | b']' => {
                if need_indent {
                    // An empty container stays `{}` / `[]`.
                    need_indent = false;
                } else {
                    depth = depth.saturating_sub(1);
                    newline(&mut out, depth);
                }
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Formats a float as Go's `encoding/json` does for `float64`.
pub fn format_f64(value: f64) -> String {
    let abs = value.abs();
    if abs != 0.0 && !(1e-6..1e21).contains(&abs) {
        go_exponent(&format!("{value:e}"))
    } else {
        // Rust's `Display` is the shortest round-trip decimal without an exponent, which is
        // Go's `strconv.FormatFloat(v, 'f', -1, 64)`.
        format!("{value}")
    }
}

/// Formats a float as Go's `encoding/json` does for `float32`.
pub fn format_f32(value: f32) -> String {
    let abs = value.abs();
    if abs != 0.0 && !(1e-6..1e21).contains(&abs) {
        go_exponent(&format!("{value:e}"))
    } else {
        format!("{value}")
    }
}

/// Turns Rust's `1.5e-7` / `1e21` into Go's `1.5e-7` / `1e+21`: Go writes the exponent's sign
/// and at least two digits, then trims a single leading zero of a negative exponent.
fn go_exponent(rust: &str) -> String {
    let Some((mantissa, exp)) = rust.split_once('e') else {
        return rust.to_owned();
    };
    let (sign, digits) = match exp.strip_prefix('-') {
        Some(d) => ('-', d),
        None => ('+', exp),
    };
    if sign == '+' && digits.len() < 2 {
        format!("{mantissa}e+0{digits}")
    } else {
        format!("{mantissa}e{sign}{digits}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn floats_read_like_go() {
        let cases: &[(f64, &str)] = &[
            (3.0, "3"),
            (0.0, "0"),
            (-0.0, "-0"),
            (0.016, "0.016"),
            (1.000999, "1.000999"),
            (0.000001, "0.000001"),
            (1e-7, "1e-7"),
            (1.5e-10, "1.5e-10"),
            (-2.5e-8, "-2.5e-8"),
            (1e20, "100000000000000000000"),
            (1e21, "1e+21"),
            (1.2345e300, "1.2345e+300"),
            (123456789.123, "123456789.123"),
            (1714566896.0, "1714566896"),
            (-62135596800.0, "-62135596800"),
        ];
        for (v, want) in cases {
            assert_eq!(format_f64(*v), *want, "{v:e}");
        }
        assert_eq!(format_f32(0.1f32), "0.1");
        assert_eq!(format_f32(1e-7f32), "1e-7");
    }

    #[test]
    fn strings_escape_html_and_separators() {
        let text = to_string(&json!("a<b>&c\u{2028}\u{2029}\"\\\n\u{1}é")).unwrap();
        assert_eq!(text, r#""a\u003cb\u003e\u0026c\u2028\u2029\"\\\n\u0001é""#);
    }

    #[test]
    fn indent_matches_go_marshal_indent() {
        let v = json!({"a": {}, "b": [], "c": [1, {"d": "x,y:{"}], "e": null});
        let pretty = to_string_pretty(&v).unwrap();
        let want = "{\n    \"a\": {},\n    \"b\": [],\n    \"c\": [\n        1,\n        {\n            \"d\": \"x,y:{\"\n        }\n    ],\n    \"e\": null\n}";
        assert_eq!(pretty, want);
        assert_eq!(indent("null", "", "    "), "null");
        assert_eq!(
            indent(" { \"k\" : \"v\\\"}\" } ", "", "  "),
            "{\n  \"k\": \"v\\\"}\"\n}"
        );
    }

    /// Equality with numbers compared as f64 (Go writes `0.0` as `0`).
    fn same(a: &serde_json::Value, b: &serde_json::Value) -> bool {
        use serde_json::Value as V;
        match (a, b) {
            (V::Number(x), V::Number(y)) => x.as_f64() == y.as_f64(),
            (V::Array(x), V::Array(y)) => {
                x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
            }
            (V::Object(x), V::Object(y)) => {
                x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
            }
            _ => a == b,
        }
    }

    fn has_float(v: &serde_json::Value) -> bool {
        match v {
            serde_json::Value::Number(n) => n.is_f64(),
            serde_json::Value::Array(a) => a.iter().any(has_float),
            serde_json::Value::Object(o) => o.values().any(has_float),
            _ => false,
        }
    }

    fn json_value() -> impl proptest::strategy::Strategy<Value = serde_json::Value> {
        use proptest::prelude::*;
        let leaf = prop_oneof![
            Just(serde_json::Value::Null),
            any::<bool>().prop_map(serde_json::Value::Bool),
            any::<i64>().prop_map(|n| json!(n)),
            any::<f64>()
                .prop_filter("finite", |f| f.is_finite())
                .prop_map(|f| json!(f)),
            "[ -~é<>&\\\\\"\u{2028}\n]{0,12}".prop_map(serde_json::Value::String),
        ];
        leaf.prop_recursive(4, 48, 6, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::Array),
                proptest::collection::btree_map("[a-z<>\"\\\\]{0,5}", inner, 0..6)
                    .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest::proptest! {
        /// Re-indenting keeps the value, is idempotent, and matches serde_json's own pretty
        /// printer wherever Go's and serde's escaping agree.
        #[test]
        fn indent_round_trips(v in json_value()) {
            let compact = to_string(&v).unwrap();
            let pretty = indent(&compact, "", "    ");
            let back: serde_json::Value = serde_json::from_str(&pretty).unwrap();
            proptest::prop_assert!(same(&back, &v), "{back} != {v}");
            proptest::prop_assert_eq!(indent(&pretty, "", "    "), pretty.clone());
            let mut serde_pretty = Vec::new();
            let fmt = serde_json::ser::PrettyFormatter::with_indent(b"    ");
            let mut ser = serde_json::Serializer::with_formatter(&mut serde_pretty, fmt);
            serde::Serialize::serialize(&v, &mut ser).unwrap();
            let serde_pretty = String::from_utf8(serde_pretty).unwrap();
            if !has_float(&v) && !compact.contains("\\u") {
                proptest::prop_assert_eq!(pretty, serde_pretty);
            }
        }
    }

    #[test]
    fn indent_survives_garbage() {
        for src in [
            "}}}]]",
            "{{{",
            "\"unterminated",
            "\"ends in \\",
            "[,,:]",
            "",
            "\"é\\",
        ] {
            let _ = indent(src, "", "    ");
        }
        assert_eq!(indent("}", "", "  "), "\n}");
    }
}
