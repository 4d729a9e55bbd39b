//! The streaming JUnit reader: quick-xml events in, suite totals out, with go-junit's rules.
//!
//! Memory stays flat in the number of test cases: only the open elements (a byte each, plus
//! their names for error messages) and one accumulator per open suite are kept.

use std::borrow::Cow;
use std::io::BufRead;

use quick_xml::events::{BytesRef, BytesStart, Event};
use quick_xml::Reader;

use super::{Status, SuiteSummary, TestCase, TestCaseVisitor};
use crate::evidence::encoding::{self, XmlEncoding};
use crate::evidence::go_time;

/// A parse failure at a byte offset of the parsed text; the caller turns it into a line.
#[derive(Debug)]
pub(crate) struct Fail {
    /// Byte offset (in the text given to the reader) where the problem was seen.
    pub offset: u64,
    /// What is wrong, without the location.
    pub message: String,
}

/// What an open element is to the JUnit reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Frame {
    /// Outside every suite: `<testsuite>` is searched for at any depth here.
    Outside,
    /// A `<testsuite>` (outermost or nested).
    Suite,
    /// A `<testcase>` that is a direct child of a suite.
    TestCase,
    /// A `<properties>` that is a direct child of a suite.
    Properties,
    /// Anything else inside a suite: go-junit only looks at direct children, so the whole
    /// subtree is ignored.
    Ignored,
}

/// Totals of one open suite.
#[derive(Debug, Default)]
struct SuiteAcc {
    name: String,
    total: u64,
    failures: u64,
    errors: u64,
    skipped: u64,
    /// Sum of the testcases' durations in nanoseconds; wraps like Go's int64.
    nanos: i64,
    /// The `timestamp` attribute, replaced by the `<properties>` child's `timestamp` property
    /// (or by nothing) when the suite has a `<properties>` child.
    timestamp: Option<String>,
}

/// One open testcase.
#[derive(Debug, Default)]
struct CaseAcc {
    status: Status,
    nanos: i64,
    name: String,
    classname: String,
    message: Option<String>,
}

/// Reads every outermost `<testsuite>` of one document (several roots allowed) into `out`, in
/// document order, calling `visitor` for each testcase when it asks for detail.
pub(crate) fn read_suites<R: BufRead>(
    input: R,
    enc: XmlEncoding,
    visitor: &mut dyn TestCaseVisitor,
    out: &mut Vec<SuiteSummary>,
) -> Result<(), Fail> {
    let detail = visitor.wants_detail();
    let mut reader = Reader::from_reader(input);
    let config = reader.config_mut();
    // End tags are checked against our own stack of open names (kept for error messages
    // anyway), which saves quick-xml keeping a second copy.
    config.check_end_names = false;
    config.check_comments = true;
    config.allow_dangling_amp = false;
    config.allow_unmatched_ends = false;
    config.expand_empty_elements = false;
    // Text is never read (only its entity references are checked), so the whitespace between
    // tags need not become events: quick-xml skips it while looking for the next `<`.
    config.trim_text_start = true;
    config.trim_text_end = false;

    let mut state = State {
        enc,
        detail,
        frames: Vec::new(),
        names: Vec::new(),
        name_starts: Vec::new(),
        suites: Vec::new(),
        case: None,
    };
    let mut buf = Vec::with_capacity(4096);
    loop {
        // Matched in place (not bound first): moving the event out cost a stall per event.
        let result = match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) => state.start(&e).map(|frame| state.open(frame, &e)),
            // An empty element opens and closes at once: nothing goes on the stacks.
            Ok(Event::Empty(e)) => state
                .start(&e)
                .and_then(|frame| state.close(frame, visitor, out)),
            Ok(Event::End(e)) => match state.check_end(e.name().as_ref()) {
                Ok(()) => state.end(visitor, out),
                Err(message) => {
                    // Go reports the line where it read the end tag's `>`.
                    return Err(Fail {
                        offset: reader.buffer_position().saturating_sub(1),
                        message,
                    });
                }
            },
            Ok(Event::GeneralRef(r)) => check_reference(&r),
            Ok(Event::Decl(d)) => {
                let label = d.encoding().and_then(Result::ok);
                check_declared_encoding(label.as_deref(), state.enc)
            }
            Ok(Event::Eof) => break,
            Ok(_) => Ok(()),
            Err(e) => {
                return Err(Fail {
                    offset: reader.error_position(),
                    message: go_wording(&e),
                })
            }
        };
        let at = reader.buffer_position();
        if let Err(message) = result {
            return Err(Fail {
                offset: at,
                message,
            });
        }
        buf.clear();
    }
    if let Some(&start) = state.name_starts.last() {
        let name = String::from_utf8_lossy(&state.names[start..]).into_owned();
        return Err(Fail {
            offset: reader.buffer_position(),
            message: format!("element <{name}> closed by end of file"),
        });
    }
    Ok(())
}

/// The reader's state between events.
struct State {
    enc: XmlEncoding,
    detail: bool,
    frames: Vec<Frame>,
    /// Names of the open elements, concatenated (for the not-closed error).
    names: Vec<u8>,
    name_starts: Vec<usize>,
    suites: Vec<SuiteAcc>,
    case: Option<CaseAcc>,
}

impl State {
    /// What a start tag opens, with its effect on the open suite and testcase.
    fn start(&mut self, e: &BytesStart<'_>) -> Result<Frame, String> {
        let qname = e.name();
        let local = go_local_name(qname.as_ref());
        let parent = self.frames.last().copied().unwrap_or(Frame::Outside);
        let frame = match parent {
            Frame::Outside | Frame::Suite if local == b"testsuite" => {
                let need_name = parent == Frame::Outside || self.detail;
                let [name, timestamp] = self.attrs(e, [b"name", b"timestamp"])?;
                let top = parent == Frame::Outside;
                self.suites.push(SuiteAcc {
                    name: if need_name {
                        name.map(Cow::into_owned).unwrap_or_default()
                    } else {
                        String::new()
                    },
                    timestamp: if top {
                        timestamp.map(Cow::into_owned)
                    } else {
                        None
                    },
                    ..SuiteAcc::default()
                });
                Frame::Suite
            }
            Frame::Outside => Frame::Outside,
            Frame::Suite => match local {
                b"testcase" => {
                    let case = if self.detail {
                        let [name, classname, time] =
                            self.attrs(e, [b"name", b"classname", b"time"])?;
                        CaseAcc {
                            nanos: go_time::testcase_nanos(time.as_deref().unwrap_or("")),
                            name: name.map(Cow::into_owned).unwrap_or_default(),
                            classname: classname.map(Cow::into_owned).unwrap_or_default(),
                            ..CaseAcc::default()
                        }
                    } else {
                        let [time] = self.attrs(e, [b"time"])?;
                        CaseAcc {
                            nanos: go_time::testcase_nanos(time.as_deref().unwrap_or("")),
                            ..CaseAcc::default()
                        }
                    };
                    self.case = Some(case);
                    Frame::TestCase
                }
                b"properties" => {
                    // go-junit replaces the suite's property map (seeded from its attributes)
                    // with the `<property>` pairs, even when there are none.
                    if let Some(suite) = self.suites.last_mut() {
                        suite.timestamp = None;
                    }
                    Frame::Properties
                }
                _ => Frame::Ignored,
            },
            Frame::TestCase => {
                let status = match local {
                    b"skipped" => Some(Status::Skipped),
                    b"failure" => Some(Status::Failed),
                    b"error" => Some(Status::Error),
                    _ => None,
                };
                if let Some(status) = status {
                    let message = if self.detail {
                        let [message] = self.attrs(e, [b"message"])?;
                        message.map(Cow::into_owned)
                    } else {
                        let [] = self.attrs(e, [])?; // checked all the same
                        None
                    };
                    if let Some(case) = self.case.as_mut() {
                        // The last status element wins.
                        case.status = status;
                        case.message = message;
                    }
                }
                Frame::Ignored
            }
            Frame::Properties => {
                if local == b"property" {
                    let [name, value] = self.attrs(e, [b"name", b"value"])?;
                    if name.as_deref() == Some("timestamp") {
                        if let Some(suite) = self.suites.last_mut() {
                            suite.timestamp = Some(value.map(Cow::into_owned).unwrap_or_default());
                        }
                    }
                }
                Frame::Ignored
            }
            Frame::Ignored => Frame::Ignored,
        };
        Ok(frame)
    }

    /// Pushes an element that stays open until its end tag.
    fn open(&mut self, frame: Frame, e: &BytesStart<'_>) {
        self.frames.push(frame);
        self.name_starts.push(self.names.len());
        self.names.extend_from_slice(e.name().as_ref());
    }

    /// An end tag must close the innermost open element (Go's words when it does not).
    fn check_end(&self, name: &[u8]) -> Result<(), String> {
        let Some(&start) = self.name_starts.last() else {
            return Err(format!(
                "unexpected end element </{}>",
                String::from_utf8_lossy(name)
            ));
        };
        let open = &self.names[start..];
        if open == name {
            return Ok(());
        }
        Err(format!(
            "element <{}> closed by </{}>",
            String::from_utf8_lossy(open),
            String::from_utf8_lossy(name)
        ))
    }

    /// Pops the innermost open element (its end tag was checked) and closes it.
    fn end(
        &mut self,
        visitor: &mut dyn TestCaseVisitor,
        out: &mut Vec<SuiteSummary>,
    ) -> Result<(), String> {
        let Some(frame) = self.frames.pop() else {
            return Ok(());
        };
        if let Some(start) = self.name_starts.pop() {
            self.names.truncate(start);
        }
        self.close(frame, visitor, out)
    }

    /// Folds a finished suite or testcase into its parent (or the output).
    fn close(
        &mut self,
        frame: Frame,
        visitor: &mut dyn TestCaseVisitor,
        out: &mut Vec<SuiteSummary>,
    ) -> Result<(), String> {
        match frame {
            Frame::Suite => {
                let Some(done) = self.suites.pop() else {
                    return Ok(());
                };
                match self.suites.last_mut() {
                    // A nested suite folds into its parent, recursively.
                    Some(parent) => {
                        parent.total += done.total;
                        parent.failures += done.failures;
                        parent.errors += done.errors;
                        parent.skipped += done.skipped;
                        parent.nanos = parent.nanos.wrapping_add(done.nanos);
                    }
                    None => out.push(SuiteSummary {
                        name: done.name,
                        failures: done.failures,
                        errors: done.errors,
                        skipped: done.skipped,
                        total: done.total,
                        duration: go_time::seconds(done.nanos),
                        timestamp: done.timestamp.as_deref().and_then(go_time::suite_timestamp),
                    }),
                }
            }
            Frame::TestCase => {
                let Some(case) = self.case.take() else {
                    return Ok(());
                };
                if let Some(suite) = self.suites.last_mut() {
                    suite.total += 1;
                    suite.nanos = suite.nanos.wrapping_add(case.nanos);
                    match case.status {
                        Status::Passed => {}
                        Status::Skipped => suite.skipped += 1,
                        Status::Failed => suite.failures += 1,
                        Status::Error => suite.errors += 1,
                    }
                }
                if self.detail {
                    let suite = self.suites.last().map(|s| s.name.as_str()).unwrap_or("");
                    visitor.test_case(&TestCase {
                        suite,
                        name: &case.name,
                        classname: &case.classname,
                        status: case.status,
                        time: go_time::seconds(case.nanos),
                        message: case.message.as_deref(),
                    });
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// The values of the attributes whose local names are `wanted`, decoded and unescaped;
    /// the last of duplicates wins, as in go-junit's attribute map.
    fn attrs<'e, const N: usize>(
        &self,
        e: &'e BytesStart<'_>,
        wanted: [&[u8]; N],
    ) -> Result<[Option<Cow<'e, str>>; N], String> {
        let mut values: [Option<Cow<'e, str>>; N] = std::array::from_fn(|_| None);
        let raw = e.attributes_raw();
        // Every value is checked (encoding, entities), wanted or not, as Go's decoder does, so
        // asking for more detail never changes which files are accepted. A tag that is plain
        // ASCII without `&`, `<` or CR needs no work per value: one look at the whole tag is
        // much cheaper than a search in each short value (the hot path).
        let tag_plain = is_plain(raw);
        let mut pairs = RawAttributes { raw, at: 0 };
        while let Some((key, value)) = pairs.next_pair().map_err(str::to_owned)? {
            let local = go_local_name(key);
            let slot = wanted.iter().position(|w| short_eq(w, local));
            if tag_plain {
                if let Some(i) = slot {
                    values[i] = Some(Cow::Borrowed(
                        std::str::from_utf8(value).map_err(|_| "invalid UTF-8".to_owned())?,
                    ));
                }
                continue;
            }
            let plain = is_plain(value);
            match slot {
                Some(i) if plain => {
                    values[i] = Some(Cow::Borrowed(
                        std::str::from_utf8(value).map_err(|_| "invalid UTF-8".to_owned())?,
                    ));
                }
                Some(i) => values[i] = Some(self.attr_text(value)?),
                None if plain => {}
                // Unwanted: checked without building the text when that is possible.
                None if self.value_is_valid(value) => {}
                None => {
                    self.attr_text(value)?;
                }
            }
        }
        Ok(values)
    }

    /// Whether an unwanted value would pass [`State::attr_text`], found without allocating:
    /// UTF-8 text (or a single-byte encoding, where every byte decodes), no `<`, and only the
    /// five XML entities or well-formed character references. `false` means "not sure": the
    /// caller then runs `attr_text` for the exact error.
    fn value_is_valid(&self, raw: &[u8]) -> bool {
        if memchr::memchr(b'<', raw).is_some() {
            return false;
        }
        if matches!(self.enc, XmlEncoding::Utf8 | XmlEncoding::Whole(_))
            && std::str::from_utf8(raw).is_err()
        {
            return false;
        }
        let mut rest = raw;
        while let Some(amp) = memchr::memchr(b'&', rest) {
            let after = &rest[amp + 1..];
            let Some(semi) = memchr::memchr(b';', after) else {
                return false;
            };
            let name = &after[..semi];
            let known = matches!(name, b"lt" | b"gt" | b"amp" | b"apos" | b"quot")
                || match name {
                    [b'#', b'x', hex @ ..] if !hex.is_empty() && hex.len() <= 6 => {
                        hex.iter().all(u8::is_ascii_hexdigit) && char_ref_ok(hex, 16)
                    }
                    [b'#', dec @ ..] if !dec.is_empty() && dec.len() <= 7 => {
                        dec.iter().all(u8::is_ascii_digit) && char_ref_ok(dec, 10)
                    }
                    _ => false,
                };
            if !known {
                return false;
            }
            rest = &after[semi + 1..];
        }
        true
    }

    /// An attribute value as text: decoded from the file's encoding, entities resolved, and
    /// line ends normalised to `\n` as Go's decoder does.
    fn attr_text<'a>(&self, raw: &'a [u8]) -> Result<Cow<'a, str>, String> {
        if memchr::memchr(b'<', raw).is_some() {
            return Err("unescaped < inside quoted string".to_owned());
        }
        let text = self
            .enc
            .decode(raw)
            .ok_or_else(|| "invalid UTF-8".to_owned())?;
        let text = if memchr::memchr(b'&', raw).is_some() {
            Cow::Owned(
                quick_xml::escape::unescape(&text)
                    .map_err(|e| e.to_string())?
                    .into_owned(),
            )
        } else {
            text
        };
        Ok(if text.contains('\r') {
            Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
        } else {
            text
        })
    }
}

/// The `key="value"` pairs of a start tag, read straight from its bytes (quick-xml's general
/// attribute iterator was a fifth of the parse time). Malformed pairs are errors worded as Go's.
/// One attribute: its name and its raw (still escaped) value.
type RawPair<'a> = (&'a [u8], &'a [u8]);

struct RawAttributes<'a> {
    raw: &'a [u8],
    at: usize,
}

impl<'a> RawAttributes<'a> {
    /// The next pair, or `None` at the end; the error is Go's wording (a static text keeps the
    /// result small: this runs for every attribute of every testcase).
    #[inline]
    fn next_pair(&mut self) -> Result<Option<RawPair<'a>>, &'static str> {
        let raw = self.raw;
        let mut i = skip_ws(raw, self.at);
        if i >= raw.len() {
            return Ok(None);
        }
        let key_start = i;
        while i < raw.len() && !ENDS_NAME[usize::from(raw[i])] {
            i += 1;
        }
        let key = &raw[key_start..i];
        i = skip_ws(raw, i);
        if raw.get(i) != Some(&b'=') {
            return Err("attribute name without = in element");
        }
        i = skip_ws(raw, i + 1);
        let quote = match raw.get(i) {
            Some(&q @ (b'"' | b'\'')) => q,
            _ => return Err("unquoted or missing attribute value in element"),
        };
        let Some(len) = memchr::memchr(quote, &raw[i + 1..]) else {
            return Err("unquoted or missing attribute value in element");
        };
        let value = &raw[i + 1..i + 1 + len];
        self.at = i + 2 + len;
        Ok(Some((key, value)))
    }
}

/// Bytes that end an attribute name: XML whitespace and `=`.
static ENDS_NAME: [bool; 256] = {
    let mut t = [false; 256];
    t[b' ' as usize] = true;
    t[b'\t' as usize] = true;
    t[b'\r' as usize] = true;
    t[b'\n' as usize] = true;
    t[b'=' as usize] = true;
    t
};

/// The first index at or after `i` that is not XML whitespace.
#[inline]
fn skip_ws(raw: &[u8], mut i: usize) -> usize {
    while i < raw.len() && matches!(raw[i], b' ' | b'\t' | b'\r' | b'\n') {
        i += 1;
    }
    i
}

/// quick-xml's error in the words Go's `encoding/xml` uses for the same problem, so messages
/// read like the CLI's where both see the same fault.
fn go_wording(e: &quick_xml::Error) -> String {
    use quick_xml::errors::IllFormedError as Ill;
    match e {
        quick_xml::Error::IllFormed(Ill::MismatchedEndTag { expected, found }) => {
            format!("element <{expected}> closed by </{found}>")
        }
        quick_xml::Error::IllFormed(Ill::UnmatchedEndTag(name)) => {
            format!("unexpected end element </{name}>")
        }
        quick_xml::Error::IllFormed(Ill::UnclosedReference) => {
            "invalid character entity & (no semicolon)".to_owned()
        }
        quick_xml::Error::IllFormed(Ill::DoubleHyphenInComment) => {
            "invalid sequence \"--\" not allowed in comments".to_owned()
        }
        other => other.to_string(),
    }
}

/// The local part of an element or attribute name as Go's `encoding/xml` splits it: the part
/// after the colon when there is exactly one colon with text on both sides, else the whole.
#[inline]
fn go_local_name(name: &[u8]) -> &[u8] {
    // Names are short: a plain loop beats a vectorised search's setup.
    match name.iter().position(|&b| b == b':') {
        Some(i)
            if i > 0 && i + 1 < name.len() && memchr::memchr(b':', &name[i + 1..]).is_none() =>
        {
            &name[i + 1..]
        }
        _ => name,
    }
}

/// Byte equality for names of a few bytes, without a call to `memcmp`.
#[inline]
fn short_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x == y)
}

/// ASCII without `&`, `<` or CR: text that needs no decoding, unescaping or line-end work.
/// Written as a fold without early exit so the compiler can vectorise it.
#[inline]
fn is_plain(bytes: &[u8]) -> bool {
    !bytes.iter().fold(false, |odd, &b| {
        odd | (b >= 0x80) | (b == b'&') | (b == b'<') | (b == b'\r')
    })
}

/// Whether character-reference digits name a character XML allows (a conservative subset:
/// anything unusual goes the slow way, which has the exact rules and messages).
fn char_ref_ok(digits: &[u8], radix: u32) -> bool {
    let Ok(text) = std::str::from_utf8(digits) else {
        return false;
    };
    match u32::from_str_radix(text, radix) {
        Ok(c) => {
            matches!(c, 0x9 | 0xA | 0xD | 0x20..=0xD7FF | 0xE000..=0xFFFD | 0x10000..=0x10FFFF)
        }
        Err(_) => false,
    }
}

/// Go's strict decoder knows only the five XML entities and character references.
fn check_reference(r: &BytesRef<'_>) -> Result<(), String> {
    let name: &[u8] = r;
    if matches!(name, b"lt" | b"gt" | b"amp" | b"apos" | b"quot") {
        return Ok(());
    }
    match r.resolve_char_ref() {
        Ok(Some(_)) => Ok(()),
        _ => Err(format!(
            "invalid character entity &{};",
            String::from_utf8_lossy(name)
        )),
    }
}

/// A declaration met while reading must name the encoding the file is read with.
fn check_declared_encoding(label: Option<&[u8]>, reading: XmlEncoding) -> Result<(), String> {
    let Some(label) = label else { return Ok(()) };
    match encoding::for_label(label) {
        Some(declared) if declared == reading => Ok(()),
        // A file decoded whole is UTF-8 text now; its declaration names the original.
        Some(_) if matches!(reading, XmlEncoding::Whole(_)) => Ok(()),
        Some(_) => Err(format!(
            "encoding {:?} declared after the file started in another encoding",
            String::from_utf8_lossy(label)
        )),
        None => Err(format!(
            "unsupported encoding {:?} declared",
            String::from_utf8_lossy(label)
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_names_split_like_go() {
        assert_eq!(go_local_name(b"testsuite"), b"testsuite");
        assert_eq!(go_local_name(b"x:testsuite"), b"testsuite");
        assert_eq!(go_local_name(b":testsuite"), b":testsuite");
        assert_eq!(go_local_name(b"a:b:testsuite"), b"a:b:testsuite");
        assert_eq!(go_local_name(b"x:"), b"x:");
    }
}
