//! A server's error answer turned into the CLI's message and the SDK's [`Error`] kinds.

use serde_json::Value;

use super::gofmt::{format_s, format_v, json_error_text, printf_no_args};
use crate::error::Error;

/// The longest server message kept in an error, in bytes; longer ones are cut.
pub(crate) const MAX_MESSAGE_LEN: usize = 4096;

/// The CLI's message for an error body (wire.md §5):
/// a JSON string is the message; an object's `message` is cut before "You have requested" and
/// followed by `: <errors>` when it has `errors`; an object without a string `message` is
/// Go's `%s` of the whole map; other JSON gives an empty message; a body that is not JSON gives
/// Go's parse error. The CLI then prints the text through a format function, which marks any
/// `%` in it, and so does this.
pub(crate) fn server_message(body: &[u8]) -> String {
    let text = match serde_json::from_slice::<Value>(body) {
        Err(e) => json_error_text(body, &e),
        Ok(Value::String(s)) => s,
        Ok(Value::Object(map)) => match map.get("message") {
            Some(Value::String(message)) => {
                let mut message = match message.find("You have requested") {
                    Some(cut) => message[..cut].to_string(),
                    None => message.clone(),
                };
                if let Some(errors) = map.get("errors") {
                    message = format!("{message}: {}", format_v(errors));
                }
                message
            }
            _ => format_s(&Value::Object(map)),
        },
        Ok(_) => String::new(),
    };
    bound(printf_no_args(&text))
}

/// Cuts `text` to [`MAX_MESSAGE_LEN`] bytes (on a character boundary), marking the cut.
fn bound(mut text: String) -> String {
    if text.len() > MAX_MESSAGE_LEN {
        let mut cut = MAX_MESSAGE_LEN;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
        text.push_str("...");
    }
    text
}

/// The error for a final answer with `status` and `message`: 401/403 are `Auth`, 404 is
/// `NotFound`, anything else `Api`.
pub(crate) fn status_error(status: u16, message: String) -> Error {
    match status {
        401 | 403 => Error::Auth { status, message },
        404 => Error::NotFound { message },
        _ => Error::Api { status, message },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    #[test]
    fn the_four_body_forms() {
        // error_401_string_body
        assert_eq!(
            server_message(br#""Invalid API token""#),
            "Invalid API token"
        );
        // error_400_message_and_errors
        assert_eq!(
            server_message(br#"{"message": "Input payload validation failed", "errors": {"type": "'K9S' is not one of ['K8S', 'ECS']"}}"#),
            "Input payload validation failed: map[type:'K9S' is not one of ['K8S', 'ECS']]"
        );
        // "You have requested" and everything after it is cut, leaving the trailing space.
        assert_eq!(
            server_message(br#"{"message":"Flow named 'nope' does not exist for organization 'acme'. You have requested a flow"}"#),
            "Flow named 'nope' does not exist for organization 'acme'. "
        );
        // An object without a message: Go's %s of the map, then the format marks.
        assert_eq!(
            server_message(br#"{"code":403,"detail":"forbidden"}"#),
            "map[code:%!!(MISSING)s(float64=403) detail:forbidden]"
        );
        assert_eq!(
            server_message(br#"{"message":42}"#),
            "map[message:%!!(MISSING)s(float64=42)]"
        );
        // Not JSON.
        assert_eq!(
            server_message(b"<html>bad</html>"),
            "invalid character '<' looking for beginning of value"
        );
        assert_eq!(server_message(b""), "unexpected end of JSON input");
        // Other JSON: empty (observed for an array).
        assert_eq!(server_message(b"[1,2]"), "");
        // 202 {"message":"accepted"} is an error whose message is the message.
        assert_eq!(server_message(br#"{"message":"accepted"}"#), "accepted");
    }

    #[test]
    fn percent_signs_are_marked_as_the_cli_prints_them() {
        assert_eq!(
            server_message(br#"{"message":"bad 100% thing %d %s","errors":{"type":"x"}}"#),
            "bad 100%!t(MISSING)hing %!d(MISSING) %!s(MISSING): map[type:x]"
        );
    }

    #[test]
    fn long_messages_are_bounded() {
        let long = format!("\"{}\"", "é".repeat(5000));
        let m = server_message(long.as_bytes());
        assert!(m.len() <= MAX_MESSAGE_LEN + 3);
        assert!(m.ends_with("..."));
    }

    #[test]
    fn statuses_map_to_kinds() {
        assert_eq!(status_error(401, "x".into()).kind(), ErrorKind::Auth);
        assert_eq!(status_error(403, "x".into()).kind(), ErrorKind::Auth);
        assert_eq!(status_error(404, "x".into()).kind(), ErrorKind::NotFound);
        assert_eq!(status_error(400, "x".into()).kind(), ErrorKind::Api);
        assert_eq!(status_error(202, "x".into()).kind(), ErrorKind::Api);
    }
}
