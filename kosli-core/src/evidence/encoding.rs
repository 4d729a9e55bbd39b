//! Which character encoding an XML file uses, from its byte-order mark or its declaration.
//!
//! The CLI rejects every XML file that declares anything but UTF-8; we decode them instead.
//! Single-byte encodings (ISO-8859-x, Windows-125x, KOI8, ...) keep ASCII where XML markup
//! lives, so such files are still parsed as a stream and only the attribute values we use are
//! decoded. Multi-byte encodings (UTF-16, Shift_JIS, GBK, ...) are decoded whole first.

use encoding_rs::Encoding;

/// How a file's bytes are to be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum XmlEncoding {
    /// UTF-8 (the default): parsed as it is.
    Utf8,
    /// An ASCII-compatible single-byte encoding: markup parsed as bytes, values decoded.
    SingleByte(&'static Encoding),
    /// Any other encoding: the whole file is decoded to UTF-8 before parsing.
    Whole(&'static Encoding),
}

impl XmlEncoding {
    /// Decodes an attribute value's raw bytes to text. `None` when UTF-8 text is not valid.
    pub(crate) fn decode<'a>(&self, raw: &'a [u8]) -> Option<std::borrow::Cow<'a, str>> {
        match self {
            XmlEncoding::Utf8 | XmlEncoding::Whole(_) => std::str::from_utf8(raw)
                .ok()
                .map(std::borrow::Cow::Borrowed),
            XmlEncoding::SingleByte(enc) => Some(enc.decode_without_bom_handling(raw).0),
        }
    }
}

/// The encoding of a document whose first bytes are `head` (a few hundred bytes are enough),
/// and the length of its byte-order mark. An unknown encoding name is an error whose text
/// names it.
pub(crate) fn sniff(head: &[u8]) -> Result<(XmlEncoding, usize), String> {
    if let Some((enc, bom_len)) = Encoding::for_bom(head) {
        return Ok((classify(enc), bom_len));
    }
    // UTF-16 without a byte-order mark still starts with `<?` in 16-bit units.
    if head.starts_with(b"<\0?\0") {
        return Ok((XmlEncoding::Whole(encoding_rs::UTF_16LE), 0));
    }
    if head.starts_with(b"\0<\0?") {
        return Ok((XmlEncoding::Whole(encoding_rs::UTF_16BE), 0));
    }
    match declared_encoding(head) {
        None => Ok((XmlEncoding::Utf8, 0)),
        Some(label) => match Encoding::for_label_no_replacement(label) {
            Some(enc) => Ok((classify(enc), 0)),
            None => Err(format!(
                "unsupported encoding {:?} declared",
                String::from_utf8_lossy(label)
            )),
        },
    }
}

/// Whether a declared encoding name is one we can read (used for declarations met later in a
/// file, which must agree with the first).
pub(crate) fn for_label(label: &[u8]) -> Option<XmlEncoding> {
    Encoding::for_label_no_replacement(label).map(classify)
}

fn classify(enc: &'static Encoding) -> XmlEncoding {
    if enc == encoding_rs::UTF_8 {
        XmlEncoding::Utf8
    } else if enc.is_single_byte() {
        XmlEncoding::SingleByte(enc)
    } else {
        XmlEncoding::Whole(enc)
    }
}

/// The `encoding="..."` value of an XML declaration at the very start of `head`.
fn declared_encoding(head: &[u8]) -> Option<&[u8]> {
    let rest = head.strip_prefix(b"<?xml")?;
    if !rest.first().is_some_and(u8::is_ascii_whitespace) {
        return None;
    }
    let end = memchr::memmem::find(rest, b"?>")?;
    encoding_pseudo_attribute(&rest[..end])
}

/// The value of `encoding` in the pseudo-attributes of a declaration (`version="1.0"
/// encoding='x'`).
pub(crate) fn encoding_pseudo_attribute(decl: &[u8]) -> Option<&[u8]> {
    let at = memchr::memmem::find(decl, b"encoding")?;
    let mut rest = decl[at + b"encoding".len()..].trim_ascii_start();
    rest = rest.strip_prefix(b"=")?.trim_ascii_start();
    let quote = *rest.first()?;
    if quote != b'"' && quote != b'\'' {
        return None;
    }
    let rest = &rest[1..];
    let close = memchr::memchr(quote, rest)?;
    Some(&rest[..close])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_boms_and_declarations() {
        assert_eq!(sniff(b"<testsuite/>").unwrap(), (XmlEncoding::Utf8, 0));
        assert_eq!(sniff(b"\xEF\xBB\xBF<a/>").unwrap(), (XmlEncoding::Utf8, 3));
        assert_eq!(
            sniff(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>").unwrap(),
            (XmlEncoding::Utf8, 0)
        );
        assert_eq!(
            sniff(b"<?xml version='1.0' encoding = 'ISO-8859-15' ?><a/>").unwrap(),
            (XmlEncoding::SingleByte(encoding_rs::ISO_8859_15), 0)
        );
        assert_eq!(
            sniff(b"<?xml version=\"1.0\" encoding=\"windows-1252\"?>")
                .unwrap()
                .0,
            XmlEncoding::SingleByte(encoding_rs::WINDOWS_1252)
        );
        assert_eq!(
            sniff(b"\xFF\xFE<\0?\0").unwrap(),
            (XmlEncoding::Whole(encoding_rs::UTF_16LE), 2)
        );
        assert_eq!(
            sniff(b"<\0?\0x\0").unwrap().0,
            XmlEncoding::Whole(encoding_rs::UTF_16LE)
        );
        assert_eq!(
            sniff(b"<?xml version=\"1.0\" encoding=\"Shift_JIS\"?>")
                .unwrap()
                .0,
            XmlEncoding::Whole(encoding_rs::SHIFT_JIS)
        );
        let err = sniff(b"<?xml version=\"1.0\" encoding=\"EBCDIC-X\"?>").unwrap_err();
        assert!(err.contains("EBCDIC-X"), "{err}");
    }

    #[test]
    fn decodes_single_byte_values() {
        let latin9 = XmlEncoding::SingleByte(encoding_rs::ISO_8859_15);
        assert_eq!(latin9.decode(b"caf\xE9 \xA4").unwrap(), "café €");
        assert_eq!(XmlEncoding::Utf8.decode(b"caf\xE9"), None);
    }
}
