//! The journal tests' workload: flows, trails and attestations with unique names, built from
//! the SDK's own operations, and the checks run against what fake-kosli applied.
//!
//! Used by the `journal-writer` helper process and by `tests/tests/journal_*.rs`.

use std::collections::HashMap;

use kosli_core::client::{Part, Request};
use kosli_core::operations;
use serde_json::Value;

/// Flows per writer.
const FLOWS: usize = 4;
/// Trails per flow.
const TRAILS: usize = 3;

/// Where a workload record sits: its flow, and its trail if it is about one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// The flow (`None` for creating one: org-wide).
    pub flow: Option<String>,
    /// The trail, for attestations.
    pub trail: Option<String>,
}

/// One record of the workload: its unique marker (the name the fake sees), where it sits, and
/// the request.
#[derive(Debug, Clone)]
pub struct Item {
    /// The name in the payload, unique in the whole test.
    pub marker: String,
    /// Flow and trail.
    pub place: Place,
    /// The request.
    pub request: Request,
}

/// `n` records for writer `prefix`: its flows created, its trails begun, then attestations
/// spread over the trails (every tenth with an attachment).
pub fn workload(prefix: &str, n: usize) -> Vec<Item> {
    let mut out = Vec::with_capacity(n);
    let flow = |f: usize| format!("{prefix}-flow{f}");
    let trail = |t: usize| format!("{prefix}-trail{t}");
    for f in 0..FLOWS {
        out.push(Item {
            marker: flow(f),
            place: Place {
                flow: None,
                trail: None,
            },
            request: Request::new(&operations::CREATE_FLOW_LEGACY)
                .json_bytes(format!(r#"{{"name":"{}","description":"d"}}"#, flow(f))),
        });
        for t in 0..TRAILS {
            out.push(Item {
                marker: format!("{}/{}", flow(f), trail(t)),
                place: Place {
                    flow: Some(flow(f)),
                    trail: None,
                },
                request: Request::new(&operations::BEGIN_TRAIL)
                    .param("flow", flow(f))
                    .multipart(vec![Part::field(
                        "data_json",
                        format!(r#"{{"name":"{}"}}"#, trail(t)),
                    )]),
            });
        }
    }
    let mut i = 0;
    while out.len() < n {
        let (f, t) = (i % FLOWS, (i / FLOWS) % TRAILS);
        let marker = format!("{prefix}-att{i}");
        let mut parts = vec![Part::field(
            "data_json",
            format!(r#"{{"attestation_name":"{marker}","is_compliant":true}}"#),
        )];
        if i % 10 == 0 {
            parts.push(Part::file(
                "attachment_file",
                "evidence.txt",
                format!("evidence of {marker}\n").repeat(20),
            ));
        }
        out.push(Item {
            marker,
            place: Place {
                flow: Some(flow(f)),
                trail: Some(trail(t)),
            },
            request: Request::new(&operations::ATTEST_GENERIC)
                .param("flow", flow(f))
                .param("trail", trail(t))
                .multipart(parts),
        });
        i += 1;
    }
    out.truncate(n);
    out
}

/// Whether `later` must reach Kosli after `earlier` (the journal's rule for these records).
pub fn depends(later: &Place, earlier: &Place) -> bool {
    match (&earlier.flow, &later.flow) {
        (None, _) => true,
        (Some(a), Some(b)) if a == b => {
            !matches!((&later.trail, &earlier.trail), (Some(x), Some(y)) if x != y)
        }
        _ => false,
    }
}

/// The marker of a request fake-kosli logged: the flow, `flow/trail` or attestation name.
pub fn marker_of(logged: &Value) -> Option<String> {
    if let Some(name) = logged["json"]["name"].as_str() {
        return Some(name.to_string());
    }
    let data = logged["multipart"]
        .as_array()?
        .iter()
        .find(|p| p["name"] == "data_json")?;
    if let Some(name) = data["json"]["attestation_name"].as_str() {
        return Some(name.to_string());
    }
    let trail = data["json"]["name"].as_str()?;
    let flow = logged["path"].as_str()?.rsplit('/').next()?;
    Some(format!("{flow}/{trail}"))
}

/// Whether the fake applied a logged request (changed its data): answered 200/201 without an
/// injected answer, or dropped after applying it.
pub fn applied(logged: &Value) -> bool {
    match logged["fault"].as_str() {
        Some("drop-after") => true,
        None | Some("delay") => matches!(logged["response"]["status"].as_u64(), Some(200 | 201)),
        _ => false,
    }
}

/// What the fake applied: per marker, the positions (in its log) where it was applied.
pub fn applications(log: &[Value]) -> HashMap<String, Vec<usize>> {
    let mut out: HashMap<String, Vec<usize>> = HashMap::new();
    for (pos, entry) in log.iter().enumerate() {
        if applied(entry) {
            if let Some(m) = marker_of(entry) {
                out.entry(m).or_default().push(pos);
            }
        }
    }
    out
}

/// Checks that every item was applied, and first applied after everything it depends on;
/// returns how many applications were duplicates.
pub fn check_order(items: &[Item], applied: &HashMap<String, Vec<usize>>) -> Result<usize, String> {
    let mut first = Vec::with_capacity(items.len());
    let mut duplicates = 0;
    for item in items {
        let at = applied
            .get(&item.marker)
            .ok_or_else(|| format!("{} never arrived", item.marker))?;
        duplicates += at.len() - 1;
        first.push(at[0]);
    }
    for (i, later) in items.iter().enumerate() {
        for (j, earlier) in items[..i].iter().enumerate() {
            if depends(&later.place, &earlier.place) && first[j] > first[i] {
                return Err(format!(
                    "{} arrived before {}, which it depends on",
                    later.marker, earlier.marker
                ));
            }
        }
    }
    Ok(duplicates)
}
