//! A small `multipart/form-data` reader, enough for the forms the CLI and the SDK send.

use bytes::Bytes;

/// One part of a form.
#[derive(Debug, Clone, PartialEq)]
pub struct FormPart {
    /// The form field's name.
    pub name: String,
    /// The file name, for file parts.
    pub filename: Option<String>,
    /// The part's content type, if it had one.
    pub content_type: Option<String>,
    /// Every header of the part, in order.
    pub headers: Vec<(String, String)>,
    /// The content.
    pub data: Bytes,
}

/// The parts of `body`, or `None` when `content_type` is not a multipart type with a boundary.
pub fn parse(body: &[u8], content_type: &str) -> Option<Vec<FormPart>> {
    if !content_type
        .to_ascii_lowercase()
        .starts_with("multipart/form-data")
    {
        return None;
    }
    let boundary = content_type
        .split(';')
        .find_map(|p| p.trim().strip_prefix("boundary="))?;
    let boundary = boundary.trim_matches('"');
    let delim = format!("--{boundary}").into_bytes();
    let mut parts = Vec::new();
    let mut chunks = split(body, &delim).into_iter();
    chunks.next(); // the preamble
    for chunk in chunks {
        if chunk.starts_with(b"--") {
            break;
        }
        let chunk = chunk.strip_prefix(b"\r\n").unwrap_or(chunk);
        let chunk = chunk.strip_suffix(b"\r\n").unwrap_or(chunk);
        let (head, data) = match find(chunk, b"\r\n\r\n") {
            Some(i) => (&chunk[..i], &chunk[i + 4..]),
            None => (chunk, &b""[..]),
        };
        let headers: Vec<(String, String)> = String::from_utf8_lossy(head)
            .split("\r\n")
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
            .collect();
        let get = |n: &str| {
            headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(n))
                .map(|(_, v)| v.clone())
        };
        let disposition = get("content-disposition").unwrap_or_default();
        parts.push(FormPart {
            name: param(&disposition, "name").unwrap_or_default(),
            filename: param(&disposition, "filename"),
            content_type: get("content-type"),
            headers,
            data: Bytes::copy_from_slice(data),
        });
    }
    Some(parts)
}

/// A quoted parameter of a `Content-Disposition` value (`name="data_json"`).
fn param(disposition: &str, key: &str) -> Option<String> {
    for piece in disposition.split(';') {
        if let Some(v) = piece.trim().strip_prefix(&format!("{key}=")) {
            let v = v.trim();
            let v = v
                .strip_prefix('"')
                .and_then(|v| v.strip_suffix('"'))
                .unwrap_or(v);
            return Some(v.replace("\\\"", "\"").replace("\\\\", "\\"));
        }
    }
    None
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn split<'a>(hay: &'a [u8], delim: &[u8]) -> Vec<&'a [u8]> {
    let mut out = Vec::new();
    let mut rest = hay;
    while let Some(i) = find(rest, delim) {
        out.push(&rest[..i]);
        rest = &rest[i + delim.len()..];
    }
    out.push(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_cli_form() {
        let b = "01b12e2de546fccf5118a0e68fbfa9b9ae450e2e9fbb6c66f92b0beac0fd";
        let body = format!("--{b}\r\nContent-Disposition: form-data; name=\"data_json\"\r\n\r\n{{\"name\":\"demo-flow\",\"description\":\"\"}}\r\n--{b}\r\nContent-Disposition: form-data; name=\"template_file\"; filename=\"template.yml\"\r\nContent-Type: application/octet-stream\r\n\r\nversion: 1\r\n--{b}--\r\n");
        let parts = parse(
            body.as_bytes(),
            &format!("multipart/form-data; boundary={b}"),
        )
        .unwrap();
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].name, "data_json");
        assert_eq!(parts[0].content_type, None);
        assert_eq!(
            &parts[0].data[..],
            br#"{"name":"demo-flow","description":""}"#
        );
        assert_eq!(parts[1].filename.as_deref(), Some("template.yml"));
        assert_eq!(
            parts[1].content_type.as_deref(),
            Some("application/octet-stream")
        );
        assert_eq!(&parts[1].data[..], b"version: 1");
    }
}
