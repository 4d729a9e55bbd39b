//! `kosli get trail -o markdown`: the trail as a Markdown document, as CLI v2.43.1 prints it
//! (observed: tests/fixtures/reads/cases/get_trail_markdown*.json). A heading linking the
//! trail's page, a key/value table, its commit, its attestations (the trail's, then each
//! artifact's by name, with icons for their status), and its events. Text is escaped for a
//! table cell (`&`, `<`, `>` as entities, `|` as `\|`, line breaks as `<br>`); URLs are not.

use kosli_core::ops::history::{AttestationStatus, Trail};

use super::trail_events::EventFields;
use super::web_url;
use crate::timefmt;

/// Where the links of the view point.
pub struct Links<'a> {
    /// The Kosli host, as given.
    pub host: &'a str,
    /// The organization.
    pub org: &'a str,
    /// The flow (as given with `--flow`).
    pub flow: &'a str,
}

/// Text for a Markdown table cell.
fn esc(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('|', "\\|")
        .replace("\r\n", "<br>")
        .replace(['\r', '\n'], "<br>")
}

/// A compliance state with its icon (`✅ COMPLIANT`); other values as they are.
fn state(value: Option<&str>) -> String {
    match value.unwrap_or_default() {
        "COMPLIANT" => "\u{2705} COMPLIANT".to_string(),
        "NON-COMPLIANT" => "\u{274c} NON-COMPLIANT".to_string(),
        "INCOMPLETE" => "\u{23f3} INCOMPLETE".to_string(),
        other => esc(other),
    }
}

/// `[text](url)`, or the text alone without a URL.
fn link(text: &str, url: Option<&str>) -> String {
    match url {
        Some(u) => format!("[{text}]({u})"),
        None => text.to_string(),
    }
}

const TABLE: &str = "|  |  |\n| --- | --- |\n";

/// One attestation's row: its name (linked when it was reported) and its status.
fn attestation_row(a: &AttestationStatus, trail_url: Option<&str>) -> String {
    let name = esc(&a.attestation_name);
    let url = a
        .attestation_id
        .as_deref()
        .filter(|id| !id.is_empty())
        .and_then(|id| trail_url.map(|t| format!("{t}?attestation_id={id}")));
    let status = if a.status.as_deref() == Some("MISSING") {
        "\u{23f3} missing"
    } else {
        match a.is_compliant {
            Some(true) => "\u{2705} compliant",
            Some(false) => "\u{274c} non-compliant",
            None => "\u{23f3} pending",
        }
    };
    let unexpected = if a.unexpected == Some(true) {
        " (+)"
    } else {
        ""
    };
    format!(
        "| {} | {status}{unexpected} |\n",
        link(&name, url.as_deref())
    )
}

/// One event's row.
fn event_row(e: &EventFields, links: &Links<'_>, trail_url: Option<&str>) -> String {
    let mut description = esc(&e.description);
    if let (Some(a), Some(t)) = (&e.attestation, trail_url) {
        let reference = esc(&a.reference);
        let linked = format!("for [{reference}]({t}?attestation_id={})", a.id);
        description = description.replacen(&format!("for {reference}"), &linked, 1);
    }
    if let Some(env) = &e.environment {
        if let Some(base) = web_url::join(links.host, &[links.org, "environments", &env.name]) {
            let quoted = format!("'{}'", esc(&env.name));
            let linked = format!("[{quoted}]({base}/{})", env.snapshot);
            description = description.replacen(&quoted, &linked, 1);
        }
    }
    let commit = if e.commit.is_empty() {
        String::new()
    } else {
        let url = Some(e.commit_url.as_str()).filter(|u| !u.is_empty());
        link(&esc(&e.commit), url)
    };
    let compliance = match e.compliant {
        Some(true) => "\u{2705} compliant",
        Some(false) => "\u{274c} non-compliant",
        None => "",
    };
    format!("| {} | {description} | {commit} | {compliance} |\n", e.time)
}

/// The markdown view of `t`.
pub fn view(t: &Trail, links: &Links<'_>) -> String {
    let trail_url = web_url::join(
        links.host,
        &[links.org, "flows", links.flow, "trails", &t.name],
    );
    let trail_url = trail_url.as_deref();
    let name = esc(&t.name);
    let mut out = format!("## Trail: {}\n\n{TABLE}", link(&name, trail_url));
    out.push_str(&format!("| Name | {name} |\n"));
    out.push_str(&format!(
        "| Description | {} |\n",
        esc(t.description.as_deref().unwrap_or_default())
    ));
    out.push_str(&format!(
        "| Compliance | {} |\n",
        state(t.compliance_state.as_deref())
    ));
    out.push_str(&format!(
        "| Last modified at | {} |\n",
        t.last_modified_at
            .map_or("N/A".to_string(), timefmt::date_and_ago)
    ));
    if let Some(origin) = t.origin_url.as_deref().filter(|o| !o.is_empty()) {
        out.push_str(&format!("| Origin | {} |\n", esc(origin)));
    }
    out.push('\n');
    if let Some(c) = &t.git_commit_info {
        let url = c.url.as_deref().filter(|u| !u.is_empty());
        // The first line of the message (a `\r` ends it too).
        let first = c.message.split(['\r', '\n']).next().unwrap_or_default();
        out.push_str(&format!(
            "### Git commit\n\n{TABLE}| Sha1 | {} |\n| Author | {} |\n| Timestamp | {} |\n| Message | {} |\n\n",
            link(&esc(&c.sha1), url),
            esc(&c.author),
            c.timestamp.map_or("N/A".to_string(), timefmt::date_and_ago),
            esc(first)
        ));
    }
    if let Some(status) = &t.compliance_status {
        let artifacts: Vec<_> = status
            .artifacts_statuses
            .iter()
            .filter(|(_, a)| !a.attestations_statuses.is_empty())
            .collect();
        if !status.attestations_statuses.is_empty() || !artifacts.is_empty() {
            out.push_str("### Attestations\n\n");
            if !status.attestations_statuses.is_empty() {
                out.push_str(&format!("**Trail**\n\n{TABLE}"));
                for a in &status.attestations_statuses {
                    out.push_str(&attestation_row(a, trail_url));
                }
                out.push('\n');
            }
            for (artifact, a) in artifacts {
                out.push_str(&format!(
                    "**{}** \u{2014} {}\n\n{TABLE}",
                    esc(artifact),
                    state(a.status.as_deref())
                ));
                for s in &a.attestations_statuses {
                    out.push_str(&attestation_row(s, trail_url));
                }
                out.push('\n');
            }
        }
    }
    out.push_str("### Events\n\n");
    match t.events.as_deref().filter(|e| !e.is_empty()) {
        None => out.push_str("_No events._\n"),
        Some(events) => {
            out.push_str(
                "| Time | Description | Git commit | Compliance |\n| --- | --- | --- | --- |\n",
            );
            for e in events {
                out.push_str(&event_row(&EventFields::of(e), links, trail_url));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_escaped_and_statuses_have_icons() {
        assert_eq!(
            esc("a|b <c> & d\r\ne\rf\ng"),
            "a\\|b &lt;c&gt; &amp; d<br>e<br>f<br>g"
        );
        assert_eq!(state(Some("COMPLIANT")), "\u{2705} COMPLIANT");
        assert_eq!(state(Some("a|b")), "a\\|b");
        assert_eq!(state(None), "");
        let a: AttestationStatus = serde_json::from_value(serde_json::json!(
            {"attestation_name": "x", "attestation_id": "i", "status": "COMPLETE", "unexpected": true}))
        .unwrap();
        assert_eq!(
            attestation_row(&a, Some("u")),
            "| [x](u?attestation_id=i) | \u{23f3} pending (+) |\n"
        );
        assert_eq!(attestation_row(&a, None), "| x | \u{23f3} pending (+) |\n");
    }
}
