//! `multipart/form-data` bodies written as Go's `mime/multipart` writes them, encoded once so
//! every retry re-sends the same bytes with the same boundary (as the CLI does).

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::time::{SystemTime, UNIX_EPOCH};

use bytes::{BufMut, Bytes, BytesMut};

use super::request::Part;

/// An encoded form: the `Content-Type` header value and the body.
#[derive(Debug, Clone)]
pub(crate) struct EncodedForm {
    pub(crate) content_type: String,
    pub(crate) body: Bytes,
}

/// Encodes `parts` with a fresh random boundary.
pub(crate) fn encode(parts: &[Part]) -> EncodedForm {
    encode_with_boundary(parts, &random_boundary())
}

/// Encodes `parts` with `boundary`: the first part has no leading CRLF, headers come sorted
/// (`Content-Disposition`, then `Content-Type`), and the closing line ends with CRLF.
pub(crate) fn encode_with_boundary(parts: &[Part], boundary: &str) -> EncodedForm {
    let size: usize = parts.iter().map(|p| p.data().len() + 200).sum();
    let mut body = BytesMut::with_capacity(size + 100);
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            body.put_slice(b"\r\n");
        }
        body.put_slice(format!("--{boundary}\r\n").as_bytes());
        let mut disposition = format!("form-data; name=\"{}\"", escape_quotes(part.name()));
        if let Some(f) = part.filename() {
            disposition.push_str(&format!("; filename=\"{}\"", escape_quotes(f)));
        }
        body.put_slice(format!("Content-Disposition: {disposition}\r\n").as_bytes());
        if let Some(ct) = part.content_type() {
            body.put_slice(format!("Content-Type: {ct}\r\n").as_bytes());
        }
        body.put_slice(b"\r\n");
        body.put_slice(part.data());
    }
    body.put_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    EncodedForm {
        content_type: format!("multipart/form-data; boundary={boundary}"),
        body: body.freeze(),
    }
}

/// Go's `escapeQuotes`: backslashes and double quotes are backslash-escaped.
fn escape_quotes(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

/// A boundary like Go's: 30 random bytes as 60 hex digits. The randomness only has to make a
/// collision with the content unlikely, so the standard library's random hasher keys suffice.
fn random_boundary() -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let mut out = String::with_capacity(64);
    for i in 0..4u64 {
        let mut h = RandomState::new().build_hasher();
        h.write_u128(nanos);
        h.write_u64(i);
        out.push_str(&format!("{:016x}", h.finish()));
    }
    out.truncate(60);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_cli_bytes_of_create_flow() {
        // The body of the `retry_501_not_retried` capture (create flow --use-empty-template).
        let b = "01b12e2de546fccf5118a0e68fbfa9b9ae450e2e9fbb6c66f92b0beac0fd";
        let form = encode_with_boundary(
            &[
                Part::field("data_json", r#"{"name":"demo-flow","description":""}"#),
                Part::file("template_file", "template.yml", "version: 1"),
            ],
            b,
        );
        let want = format!(
            "--{b}\r\nContent-Disposition: form-data; name=\"data_json\"\r\n\r\n{{\"name\":\"demo-flow\",\"description\":\"\"}}\r\n--{b}\r\nContent-Disposition: form-data; name=\"template_file\"; filename=\"template.yml\"\r\nContent-Type: application/octet-stream\r\n\r\nversion: 1\r\n--{b}--\r\n"
        );
        assert_eq!(std::str::from_utf8(&form.body).unwrap(), want);
        assert_eq!(form.body.len(), 418);
        assert_eq!(
            form.content_type,
            format!("multipart/form-data; boundary={b}")
        );
    }

    #[test]
    fn boundaries_are_60_hex_and_differ() {
        let a = random_boundary();
        let b = random_boundary();
        assert_eq!(a.len(), 60);
        assert!(a.bytes().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
    }

    #[test]
    fn quotes_in_names_are_escaped() {
        let form = encode_with_boundary(&[Part::file("f", "a\"b.txt", "x")], "B");
        assert!(std::str::from_utf8(&form.body)
            .unwrap()
            .contains("filename=\"a\\\"b.txt\""));
    }
}
