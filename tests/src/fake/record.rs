//! The log of requests the fake received, in the capture server's JSON shape (method, path,
//! query, headers in order, body as text or base64, parsed JSON, multipart parts, answer).

use base64::Engine;
use serde_json::{json, Map, Value};

use super::exchange::{Answer, ApiRequest};
use super::multipart;

/// Text for valid UTF-8 without NUL bytes, base64 otherwise.
fn text_or_b64(bytes: &[u8]) -> Value {
    match std::str::from_utf8(bytes) {
        Ok(s) if !s.contains('\0') => json!({ "text": s }),
        _ => json!({ "b64": base64::engine::general_purpose::STANDARD.encode(bytes) }),
    }
}

/// One received request as JSON. `answer` is `None` for a dropped connection.
pub fn record(seq: u64, req: &ApiRequest, answer: Option<&Answer>, fault: Option<&str>) -> Value {
    let mut query: Map<String, Value> = Map::new();
    for (k, v) in &req.query {
        let entry = query.entry(k.clone()).or_insert_with(|| json!([]));
        if let Value::Array(a) = entry {
            a.push(json!(v));
        }
    }
    let mut rec = json!({
        "seq": seq,
        "method": req.method,
        "path": req.path,
        "raw_target": req.target,
        "query": query,
        "headers": req.headers.iter().map(|(k, v)| json!([k, v])).collect::<Vec<_>>(),
        "body_len": req.body.len(),
    });
    if !req.body.is_empty() {
        rec["body"] = text_or_b64(&req.body);
        let ct = req.header("content-type").unwrap_or_default();
        if let Some(parts) = multipart::parse(&req.body, ct) {
            rec["multipart"] = parts
                .iter()
                .map(|p| {
                    let mut part = json!({
                        "headers": p.headers.iter().map(|(k, v)| json!([k, v])).collect::<Vec<_>>(),
                        "name": p.name,
                        "filename": p.filename,
                        "content_type": p.content_type,
                        "size": p.data.len(),
                    });
                    if let (Value::Object(o), Value::Object(b)) = (&mut part, text_or_b64(&p.data))
                    {
                        o.extend(b);
                    }
                    if let Ok(v) = serde_json::from_slice::<Value>(&p.data) {
                        part["json"] = v;
                    }
                    part
                })
                .collect();
        } else if let Ok(v) = serde_json::from_slice::<Value>(&req.body) {
            rec["json"] = v;
        }
    }
    rec["response"] = match answer {
        Some(a) => {
            let body = serde_json::from_slice::<Value>(&a.body)
                .unwrap_or_else(|_| json!({"__raw__": String::from_utf8_lossy(&a.body)}));
            json!({"status": a.status, "headers": a.headers.iter().map(|(k, v)| json!([k, v])).collect::<Vec<_>>(), "body": body})
        }
        None => Value::Null,
    };
    if let Some(f) = fault {
        rec["fault"] = json!(f);
    }
    rec
}
