//! The lines of the journal's log, one JSON object each, told apart by `"t"`.
//!
//! ```text
//! {"t":"journal","version":1,"generation":"9c1f…","next_seq":1}
//! {"t":"record","seq":1,"at_ms":…,"owner":null,"queued":true,"op":"create_flow","method":"PUT",
//!  "path":"/api/v2/flows/{org}","params":[["org","acme"]],"query":[],"body":{"json":"{…}"},"hosts":null}
//! {"t":"bind","seq":1,"hosts":["https://app.kosli.com"],"org":"acme"}
//! {"t":"delivered","seq":1,"host":"https://app.kosli.com","status":201,"at_ms":…}
//! ```
//! A record is followed by marks that name it by `seq`; a record whose every host has a final
//! mark (`delivered`, `rejected`, `superseded`), or which was `discarded`, is done and goes
//! at the next compaction.

use serde::{Deserialize, Serialize};

/// The version of the log format written in the header.
pub(crate) const FORMAT_VERSION: u32 = 1;

/// One line of the log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "t", rename_all = "snake_case")]
pub(crate) enum Line {
    /// The first line: the format, a generation that changes at each compaction (so other
    /// processes notice the log was replaced), and the next record number.
    Journal {
        version: u32,
        generation: String,
        next_seq: u64,
    },
    /// A recorded write.
    Record(RecordLine),
    /// An offline record bound, at its first successful delivery, to the hosts and org of the
    /// delivering client.
    Bind {
        seq: u64,
        hosts: Vec<String>,
        org: Option<String>,
    },
    /// A live write that could not be sent to `host` now: it waits for a flush.
    Queued {
        seq: u64,
        host: String,
        at_ms: u64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        error: Option<String>,
    },
    /// `host` accepted the record (200 or 201).
    Delivered {
        seq: u64,
        host: String,
        status: u16,
        at_ms: u64,
    },
    /// `host` refused a live write and the caller was given the error: not sent again.
    Rejected {
        seq: u64,
        host: String,
        at_ms: u64,
        error: String,
    },
    /// A newer snapshot of the same environment replaces this one on `host`.
    Superseded { seq: u64, host: String, by: u64 },
    /// A delivery to `host` failed; the record stays pending.
    Failed {
        seq: u64,
        host: String,
        at_ms: u64,
        kind: String,
        error: String,
    },
    /// Removed by the user: never delivered.
    Discarded { seq: u64, at_ms: u64 },
}

impl Line {
    /// The record this line is about (`None` for the header).
    pub(crate) fn seq(&self) -> Option<u64> {
        match self {
            Line::Journal { .. } => None,
            Line::Record(r) => Some(r.seq),
            Line::Bind { seq, .. }
            | Line::Queued { seq, .. }
            | Line::Delivered { seq, .. }
            | Line::Rejected { seq, .. }
            | Line::Superseded { seq, .. }
            | Line::Failed { seq, .. }
            | Line::Discarded { seq, .. } => Some(*seq),
        }
    }

    /// The line as written: compact JSON and a newline.
    pub(crate) fn encode(&self) -> Result<String, serde_json::Error> {
        let mut s = serde_json::to_string(self)?;
        s.push('\n');
        Ok(s)
    }
}

/// A recorded write: everything needed to send it again, and nothing secret.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct RecordLine {
    /// The record's number: its order in the journal, and its id.
    pub(crate) seq: u64,
    /// When it was recorded.
    pub(crate) at_ms: u64,
    /// The journal handle sending it live, if one is (`None`: recorded to be queued).
    pub(crate) owner: Option<String>,
    /// Recorded offline: pending from the start.
    pub(crate) queued: bool,
    /// The operation's name.
    pub(crate) op: String,
    /// The HTTP method.
    pub(crate) method: String,
    /// The operation's path template.
    pub(crate) path: String,
    /// The path parameters (`org` among them when it was known when recorded).
    pub(crate) params: Vec<(String, String)>,
    /// The query pairs, in order.
    pub(crate) query: Vec<(String, String)>,
    /// The body.
    pub(crate) body: BodyLine,
    /// The hosts it is for (host keys), or `None` for an offline record not bound yet.
    pub(crate) hosts: Option<Vec<String>>,
}

/// A recorded body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum BodyLine {
    /// No body.
    Empty,
    /// JSON text, exactly the bytes that go on the wire.
    Json(String),
    /// A body that is not UTF-8, as hex.
    JsonHex(String),
    /// A multipart form, parts in wire order.
    Multipart(Vec<PartLine>),
}

/// A recorded multipart part: a text field inline, or a file whose bytes are in the blob
/// named by their SHA-256.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct PartLine {
    pub(crate) name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) filename: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) blob: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) size: Option<u64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_round_trip_and_read_as_documented() {
        let rec = Line::Record(RecordLine {
            seq: 7,
            at_ms: 1,
            owner: Some("1-ab".into()),
            queued: false,
            op: "attest_junit".into(),
            method: "POST".into(),
            path: "/api/v2/attestations/{org}/{flow}/trail/{trail}/junit".into(),
            params: vec![("org".into(), "acme".into())],
            query: vec![],
            body: BodyLine::Multipart(vec![
                PartLine {
                    name: "data_json".into(),
                    text: Some("{}".into()),
                    filename: None,
                    blob: None,
                    size: None,
                },
                PartLine {
                    name: "f".into(),
                    text: None,
                    filename: Some("x.tgz".into()),
                    blob: Some("ab".repeat(32)),
                    size: Some(3),
                },
            ]),
            hosts: None,
        });
        let text = rec.encode().unwrap();
        assert!(text.starts_with(r#"{"t":"record","seq":7,"#), "{text}");
        assert!(text.ends_with('\n') && text.matches('\n').count() == 1);
        assert_eq!(serde_json::from_str::<Line>(&text).unwrap(), rec);
        let d = Line::Delivered {
            seq: 7,
            host: "h".into(),
            status: 201,
            at_ms: 2,
        };
        assert_eq!(
            d.encode().unwrap(),
            "{\"t\":\"delivered\",\"seq\":7,\"host\":\"h\",\"status\":201,\"at_ms\":2}\n"
        );
        assert_eq!(d.seq(), Some(7));
        let body = serde_json::to_string(&BodyLine::Empty).unwrap();
        assert_eq!(body, "\"empty\"");
    }
}
