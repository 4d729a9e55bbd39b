//! The OPA builtins the SDK's Rego engine does not have, the check that refuses a policy that
//! calls one (before anything is evaluated, whether or not the call would be reached), the
//! hash builtins the SDK adds itself, and the one recursion OPA finds that regorus does not
//! (a rule of `package policy` reading the whole of `data`).

use sha2::{Digest, Sha256, Sha512};

use crate::error::{Error, Result};

/// OPA v1 builtins (as in the CLI v2.43.1) that `kosli_core::policy::rego` does not support.
/// A policy that calls one is refused with an error naming it and its line.
pub const UNSUPPORTED_BUILTINS: &[&str] = &[
    // Hashes and certificates whose algorithms the SDK does not carry.
    "crypto.md5",
    "crypto.sha1",
    "crypto.hmac.md5",
    "crypto.hmac.sha1",
    "crypto.parse_private_keys",
    "crypto.x509.parse_and_verify_certificates",
    "crypto.x509.parse_and_verify_certificates_with_options",
    "crypto.x509.parse_certificate_request",
    "crypto.x509.parse_certificates",
    "crypto.x509.parse_keypair",
    "crypto.x509.parse_rsa_private_key",
    // JSON Web Tokens.
    "io.jwt.decode",
    "io.jwt.decode_verify",
    "io.jwt.encode_sign",
    "io.jwt.encode_sign_raw",
    "io.jwt.verify_eddsa",
    "io.jwt.verify_es256",
    "io.jwt.verify_es384",
    "io.jwt.verify_es512",
    "io.jwt.verify_hs256",
    "io.jwt.verify_hs384",
    "io.jwt.verify_hs512",
    "io.jwt.verify_ps256",
    "io.jwt.verify_ps384",
    "io.jwt.verify_ps512",
    "io.jwt.verify_rs256",
    "io.jwt.verify_rs384",
    "io.jwt.verify_rs512",
    // Network: calls out of the process, or CIDR operations regorus lacks.
    "http.send",
    "net.lookup_ip_addr",
    "net.cidr_merge",
    "net.cidr_intersects",
    "net.cidr_overlap",
    "net.cidr_contains_matches",
    // JSON Schema (left out to keep the build small), GraphQL, templates, Rego introspection.
    "json.match_schema",
    "json.verify_schema",
    "graphql.is_valid",
    "graphql.parse",
    "graphql.parse_and_verify",
    "graphql.parse_query",
    "graphql.parse_schema",
    "graphql.schema_is_valid",
    "strings.render_template",
    "regex.find_all_string_submatch_n",
    "rego.metadata.chain",
    "rego.metadata.rule",
    "rego.parse_module",
    "providers.aws.sign_req",
];

/// The builtins the SDK adds to regorus (it lacks them; sha2 is already a dependency).
pub const ADDED_BUILTINS: &[&str] = &[
    "crypto.sha256",
    "crypto.hmac.sha256",
    "crypto.hmac.sha512",
    "crypto.hmac.equal",
];

/// The policy's code with comments and string contents blanked out (same length, same line
/// breaks), so that searches see only code.
pub(super) fn code_only(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '#' => {
                out.push(' ');
                while let Some(&n) = chars.peek() {
                    if n == '\n' {
                        break;
                    }
                    out.push(' ');
                    chars.next();
                }
            }
            '"' => {
                out.push('"');
                while let Some(n) = chars.next() {
                    match n {
                        '\\' => {
                            out.push(' ');
                            if chars.next().is_some() {
                                out.push(' ');
                            }
                        }
                        '"' => {
                            out.push('"');
                            break;
                        }
                        '\n' => {
                            out.push('\n');
                            break;
                        }
                        _ => out.push(' '),
                    }
                }
            }
            '`' => {
                out.push('`');
                for n in chars.by_ref() {
                    if n == '`' {
                        out.push('`');
                        break;
                    }
                    out.push(if n == '\n' { '\n' } else { ' ' });
                }
            }
            _ => out.push(c),
        }
    }
    out
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Every dotted name followed by `(` in `code`, with its 1-based line.
fn calls(code: &str) -> Vec<(String, usize)> {
    let mut found = Vec::new();
    for (i, line) in code.lines().enumerate() {
        let bytes: Vec<char> = line.chars().collect();
        let mut j = 0;
        while j < bytes.len() {
            if is_ident(bytes[j]) && (j == 0 || !(is_ident(bytes[j - 1]) || bytes[j - 1] == '.')) {
                let start = j;
                while j < bytes.len() && (is_ident(bytes[j]) || bytes[j] == '.') {
                    j += 1;
                }
                let name: String = bytes[start..j].iter().collect();
                let mut k = j;
                while k < bytes.len() && bytes[k] == ' ' {
                    k += 1;
                }
                if k < bytes.len() && bytes[k] == '(' {
                    found.push((name, i + 1));
                }
            } else {
                j += 1;
            }
        }
    }
    found
}

/// Refuses a policy that calls an unsupported builtin.
pub(super) fn check_supported(code: &str) -> Result<()> {
    for (name, line) in calls(code) {
        if UNSUPPORTED_BUILTINS.contains(&name.as_str()) {
            return Err(Error::invalid_input(
                "policy",
                format!(
                    "policy.rego:{line}: the builtin {name} is not supported by this SDK's Rego engine (see kosli_core::policy::rego::UNSUPPORTED_BUILTINS)"
                ),
            ));
        }
    }
    Ok(())
}

/// OPA's recursion check also fires when a rule of the package reads all of `data` (which
/// contains the package itself); regorus evaluates such a policy. Refuse it as the CLI does.
pub(super) fn check_whole_data(code: &str) -> Result<()> {
    for (i, line) in code.lines().enumerate() {
        let chars: Vec<char> = line.chars().collect();
        let mut j = 0;
        while let Some(pos) = line[j..].find("data").map(|p| p + j) {
            let before = line[..pos].chars().next_back();
            let after = chars.get(line[..pos + 4].chars().count()).copied();
            let standalone = before.is_none_or(|c| !(is_ident(c) || c == '.'))
                && after.is_none_or(|c| !(is_ident(c) || c == '.' || c == '['));
            // `package`/`import` lines name paths, not values.
            let head = line.trim_start();
            if standalone && !head.starts_with("package") && !head.starts_with("import") {
                return Err(Error::invalid_input(
                    "policy",
                    format!(
                        "policy evaluation failed: bundle activation failed: policy.rego:{}: rego_recursion_error: a rule reads the whole of data, which holds package policy itself",
                        i + 1
                    ),
                ));
            }
            j = pos + 4;
        }
    }
    Ok(())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// HMAC (RFC 2104) over a block-based hash.
fn hmac<D: Digest>(block: usize, key: &[u8], message: &[u8]) -> Vec<u8> {
    let mut k = if key.len() > block {
        D::digest(key).to_vec()
    } else {
        key.to_vec()
    };
    k.resize(block, 0);
    let inner: Vec<u8> = k
        .iter()
        .map(|b| b ^ 0x36)
        .chain(message.iter().copied())
        .collect();
    let inner_hash = D::digest(&inner);
    let outer: Vec<u8> = k
        .iter()
        .map(|b| b ^ 0x5c)
        .chain(inner_hash.iter().copied())
        .collect();
    D::digest(&outer).to_vec()
}

/// `crypto.sha256(s)`: hex of the SHA-256 of a string.
pub(super) fn sha256_hex(s: &str) -> String {
    hex(&Sha256::digest(s.as_bytes()))
}

/// `crypto.hmac.sha256(x, key)`.
pub(super) fn hmac_sha256_hex(message: &str, key: &str) -> String {
    hex(&hmac::<Sha256>(64, key.as_bytes(), message.as_bytes()))
}

/// `crypto.hmac.sha512(x, key)`.
pub(super) fn hmac_sha512_hex(message: &str, key: &str) -> String {
    hex(&hmac::<Sha512>(128, key.as_bytes(), message.as_bytes()))
}

/// `crypto.hmac.equal(a, b)`: compares in time independent of where they differ.
pub(super) fn constant_time_equal(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_and_comments_are_not_code() {
        let code = code_only("x := \"crypto.md5(\" # crypto.md5(x)\ny := `io.jwt.decode(`\n");
        assert!(calls(&code).is_empty(), "{code}");
        assert_eq!(
            code.len(),
            "x := \"crypto.md5(\" # crypto.md5(x)\ny := `io.jwt.decode(`\n".len()
        );
        assert_eq!(
            calls("a := crypto.md5 (\"x\")\nb := count(y)"),
            [("crypto.md5".to_string(), 1), ("count".to_string(), 2)]
        );
    }

    #[test]
    fn unsupported_calls_are_named_with_their_line() {
        let e = check_supported(&code_only(
            "package policy\n\nmac := io.jwt.decode(input.t)\n",
        ))
        .unwrap_err();
        assert!(
            e.to_string()
                .starts_with("policy.rego:3: the builtin io.jwt.decode is not supported"),
            "{e}"
        );
        assert!(check_supported("x := crypto.sha256(\"a\")").is_ok());
    }

    #[test]
    fn whole_data_reads_are_recursion() {
        assert!(
            check_whole_data("package policy\nlimit := object.get(data, [\"params\"], 5)\n")
                .is_err()
        );
        assert!(check_whole_data(
            "package policy\nx := data.params.limit\ny := data[\"params\"]\nmetadata := 1\n"
        )
        .is_ok());
    }

    #[test]
    fn hashes_match_known_values() {
        assert_eq!(sha256_hex("kosli").len(), 64);
        assert_eq!(
            sha256_hex(""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        // RFC 4231 test case 2.
        assert_eq!(
            hmac_sha256_hex("what do ya want for nothing?", "Jefe"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        assert_eq!(
            &hmac_sha512_hex("what do ya want for nothing?", "Jefe")[..32],
            "164b7a7bfcf819e2e395fbe73b56e0a3"
        );
        assert!(
            constant_time_equal("ab", "ab")
                && !constant_time_equal("ab", "ac")
                && !constant_time_equal("a", "ab")
        );
    }
}
