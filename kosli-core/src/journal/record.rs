//! A [`Request`] as a journal record and back: operation, path parameters, query and body, with
//! file parts copied into content-addressed blobs. Works for any operation: nothing here knows
//! what the request means.

use std::io;
use std::sync::Mutex;

use crate::client::{Body, Part, Request};
use crate::dryrun::Method;
use crate::operations::{self, Operation};

use super::entry::{BodyLine, PartLine, RecordLine};
use super::storage::{StagedBlob, Storage};
use super::util::{from_hex, sha256_hex, to_hex};

/// A record ready to be appended: its line (without its number yet) and the attachments
/// staged for it, each with its SHA-256.
#[derive(Debug)]
pub(crate) struct Draft {
    pub(crate) line: RecordLine,
    pub(crate) blobs: Vec<(StagedBlob, String)>,
}

/// What is recorded besides the request.
#[derive(Debug, Clone)]
pub(crate) struct Meta {
    pub(crate) org: Option<String>,
    pub(crate) hosts: Option<Vec<String>>,
    pub(crate) owner: Option<String>,
    pub(crate) at_ms: u64,
}

/// Turns `request` into a draft record, staging its file parts. On error nothing stays staged.
pub(crate) fn draft(storage: &dyn Storage, request: &Request, meta: Meta) -> io::Result<Draft> {
    let mut params = request.params().to_vec();
    if let Some(org) = &meta.org {
        if !params.iter().any(|(n, _)| n == "org") {
            params.push(("org".to_string(), org.clone()));
        }
    }
    let mut blobs: Vec<(StagedBlob, String)> = Vec::new();
    let body = match request.body() {
        Body::Empty => BodyLine::Empty,
        Body::Json(bytes) => match std::str::from_utf8(bytes) {
            Ok(text) => BodyLine::Json(text.to_string()),
            Err(_) => BodyLine::JsonHex(to_hex(bytes)),
        },
        Body::Multipart(parts) => {
            let mut lines = Vec::with_capacity(parts.len());
            for part in parts {
                match stage_part(storage, part, &mut blobs) {
                    Ok(line) => lines.push(line),
                    Err(e) => {
                        for (staged, _) in blobs {
                            let _ = storage.discard_staged(staged);
                        }
                        return Err(e);
                    }
                }
            }
            BodyLine::Multipart(lines)
        }
    };
    let op = request.operation();
    Ok(Draft {
        line: RecordLine {
            seq: 0,
            at_ms: meta.at_ms,
            owner: meta.owner.clone(),
            queued: meta.owner.is_none(),
            op: op.name.to_string(),
            method: op.method.as_str().to_string(),
            path: op.path.to_string(),
            params,
            query: request.query_pairs().to_vec(),
            body,
            hosts: meta.hosts,
        },
        blobs,
    })
}

fn stage_part(
    storage: &dyn Storage,
    part: &Part,
    blobs: &mut Vec<(StagedBlob, String)>,
) -> io::Result<PartLine> {
    match part.filename() {
        None => {
            // Fields are built from strings (`Part::field`, `Part::json`), so they are UTF-8.
            let text = std::str::from_utf8(part.data()).map_err(|_| {
                io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("the form field {:?} is not UTF-8", part.name()),
                )
            })?;
            Ok(PartLine {
                name: part.name().to_string(),
                text: Some(text.to_string()),
                filename: None,
                blob: None,
                size: None,
            })
        }
        Some(filename) => {
            let hash = sha256_hex(part.data());
            let staged = storage.stage_blob(part.data())?;
            let size = staged.len;
            blobs.push((staged, hash.clone()));
            Ok(PartLine {
                name: part.name().to_string(),
                text: None,
                filename: Some(filename.to_string()),
                blob: Some(hash),
                size: Some(size),
            })
        }
    }
}

/// The request a record stands for, ready to send; `org` fills `{org}` when the record has
/// none. Attachments are read back and checked against their SHA-256.
pub(crate) fn to_request(
    storage: &dyn Storage,
    line: &RecordLine,
    org: Option<&str>,
) -> Result<Request, String> {
    let op = operation(&line.op, &line.method, &line.path)?;
    let mut request = Request::new(op);
    for (k, v) in &line.params {
        request = request.param(k.clone(), v.clone());
    }
    if let Some(org) = org {
        if !line.params.iter().any(|(n, _)| n == "org") {
            request = request.param("org", org);
        }
    }
    for (k, v) in &line.query {
        request = request.query(k.clone(), v.clone());
    }
    Ok(match &line.body {
        BodyLine::Empty => request,
        BodyLine::Json(text) => request.json_bytes(text.clone().into_bytes()),
        BodyLine::JsonHex(hex) => request.json_bytes(
            from_hex(hex).ok_or_else(|| format!("record {}: its body is not hex", line.seq))?,
        ),
        BodyLine::Multipart(parts) => {
            let mut out = Vec::with_capacity(parts.len());
            for p in parts {
                out.push(match (&p.filename, &p.blob, &p.text) {
                    (Some(filename), Some(blob), _) => {
                        let data = storage
                            .read_blob(blob)
                            .map_err(|e| format!("record {}: attachment {blob}: {e}", line.seq))?;
                        if sha256_hex(&data) != *blob {
                            return Err(format!(
                                "record {}: attachment {blob} is corrupt (its SHA-256 differs)",
                                line.seq
                            ));
                        }
                        Part::file(p.name.clone(), filename.clone(), data)
                    }
                    (None, None, Some(text)) => Part::field(p.name.clone(), text.clone()),
                    _ => {
                        return Err(format!(
                            "record {}: part {:?} is malformed",
                            line.seq, p.name
                        ))
                    }
                });
            }
            request.multipart(out)
        }
    })
}

/// The blobs a record refers to.
pub(crate) fn blobs_of(line: &RecordLine) -> impl Iterator<Item = &str> {
    let parts: &[PartLine] = match &line.body {
        BodyLine::Multipart(p) => p,
        _ => &[],
    };
    parts.iter().filter_map(|p| p.blob.as_deref())
}

/// The `&'static Operation` for a recorded operation: the SDK's own when it has one of that
/// name, method and path, else one made once per process (an operation recorded by another
/// build of the program, or defined by the caller).
fn operation(name: &str, method: &str, path: &str) -> Result<&'static Operation, String> {
    static MADE: Mutex<Vec<&'static Operation>> = Mutex::new(Vec::new());
    let method = match method {
        "GET" => Method::Get,
        "POST" => Method::Post,
        "PUT" => Method::Put,
        "PATCH" => Method::Patch,
        "DELETE" => Method::Delete,
        other => return Err(format!("unknown HTTP method {other:?} in the journal")),
    };
    let same = |op: &Operation| op.name == name && op.method == method && op.path == path;
    if let Some(op) = operations::ALL.iter().copied().find(|op| same(op)) {
        return Ok(op);
    }
    let mut made = MADE.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(op) = made.iter().copied().find(|op| same(op)) {
        return Ok(op);
    }
    // Leaked on purpose: one small value per distinct operation, for the process's life.
    let op: &'static Operation = Box::leak(Box::new(Operation::new(
        Box::leak(name.to_string().into_boxed_str()),
        method,
        Box::leak(path.to_string().into_boxed_str()),
    )));
    made.push(op);
    Ok(op)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::fs::FileStorage;

    static ATTEST: Operation = Operation::new(
        "attest_test",
        Method::Post,
        "/api/v2/attestations/{org}/{flow}/trail/{trail}/generic",
    );

    fn meta(org: Option<&str>) -> Meta {
        Meta {
            org: org.map(str::to_string),
            hosts: None,
            owner: None,
            at_ms: 5,
        }
    }

    #[test]
    fn requests_round_trip_with_attachments_in_blobs() {
        let dir = tempfile::tempdir().unwrap();
        let s = FileStorage::open(dir.path()).unwrap();
        let req = Request::new(&ATTEST)
            .param("flow", "f")
            .param("trail", "t")
            .query("b", "2")
            .query("a", "1")
            .multipart(vec![
                Part::field("data_json", r#"{"attestation_name":"x"}"#),
                Part::file("attachment_file", "e.tgz", vec![0u8, 159, 146, 150]),
            ]);
        let d = draft(&s, &req, meta(Some("acme"))).unwrap();
        assert!(d.line.queued);
        assert_eq!(d.blobs.len(), 1);
        let hash = d.blobs[0].1.clone();
        for (staged, name) in d.blobs {
            s.commit_blob(staged, &name).unwrap();
        }
        assert_eq!(blobs_of(&d.line).collect::<Vec<_>>(), [hash.as_str()]);
        let back = to_request(&s, &d.line, None).unwrap();
        assert_eq!(
            back.render_path(None).unwrap(),
            "api/v2/attestations/acme/f/trail/t/generic"
        );
        assert_eq!(back.render_query(), req.render_query());
        assert_eq!(back.body(), req.body());
        // The SDK's own operation object is reused when the names match; others are made once.
        assert!(std::ptr::eq(
            operation("status", "GET", "/ready").unwrap(),
            &operations::STATUS
        ));
        let a = operation("x", "PUT", "/x").unwrap();
        assert!(std::ptr::eq(a, operation("x", "PUT", "/x").unwrap()));
    }

    #[test]
    fn a_changed_attachment_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let s = FileStorage::open(dir.path()).unwrap();
        let req = Request::new(&ATTEST).multipart(vec![Part::file("f", "a", "abc")]);
        let d = draft(&s, &req, meta(None)).unwrap();
        for (staged, name) in d.blobs {
            s.commit_blob(staged, &name).unwrap();
        }
        let name = blobs_of(&d.line).next().unwrap().to_string();
        std::fs::write(dir.path().join("blobs").join(&name), "abd").unwrap();
        let e = to_request(&s, &d.line, Some("acme")).unwrap_err();
        assert!(e.contains("corrupt"), "{e}");
    }

    #[test]
    fn org_is_bound_when_given_and_json_bytes_are_kept() {
        let dir = tempfile::tempdir().unwrap();
        let s = FileStorage::open(dir.path()).unwrap();
        let req = Request::new(&ATTEST).json_bytes(b"{\"a\":\"\\u003c\"}\xff".to_vec());
        let d = draft(&s, &req, meta(None)).unwrap();
        assert!(matches!(d.line.body, BodyLine::JsonHex(_)));
        assert!(!d.line.params.iter().any(|(n, _)| n == "org"));
        let back = to_request(&s, &d.line, Some("late")).unwrap();
        assert_eq!(back.body(), req.body());
        let e = back.render_path(None).unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::InvalidInput); // {flow} missing, org was bound
        let d = draft(&s, &req.param("org", "mine"), meta(Some("other"))).unwrap();
        let orgs: Vec<_> = d.line.params.iter().filter(|(n, _)| n == "org").collect();
        assert_eq!(orgs, [&("org".to_string(), "mine".to_string())]);
    }
}
