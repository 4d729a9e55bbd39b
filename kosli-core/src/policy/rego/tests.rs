use serde_json::json;

use super::*;
use crate::ErrorKind;

fn eval(policy: &str, input: Value) -> Result<Decision> {
    evaluate(policy, &input, None)
}

const HEAD: &str = "package policy\n\nimport rego.v1\n\n";

#[test]
fn the_clis_shape_errors() {
    let e = RegoPolicy::parse("").unwrap_err();
    assert_eq!(
        e.to_string(),
        "failed to parse policy: policy.rego:0: rego_parse_error: empty module"
    );
    assert_eq!(e.kind(), ErrorKind::Parse);
    let e = RegoPolicy::parse("# just a comment\n").unwrap_err();
    assert!(e.to_string().ends_with("empty module"), "{e}");
    let e = RegoPolicy::parse("package foo\n\ndefault allow := true\n").unwrap_err();
    assert_eq!(
        e.to_string(),
        "policy package must be 'package policy', got 'foo'"
    );
    let e = RegoPolicy::parse("package policy\n\nviolations contains \"x\" if true\n").unwrap_err();
    assert_eq!(e.to_string(), "policy must declare an 'allow' rule");
    // Rego v0 bodies are refused, as OPA v1 refuses them.
    let e = RegoPolicy::parse("package policy\n\ndefault allow = false\n\nallow {\n\tinput.x\n}\n")
        .unwrap_err();
    assert!(
        e.to_string()
            .starts_with("failed to parse policy: policy.rego:5: rego_parse_error: "),
        "{e}"
    );
}

#[test]
fn allow_must_be_a_defined_boolean() {
    let e = eval(
        &format!("{HEAD}allow if input.score > 3\n"),
        json!({"score": 1}),
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "policy did not return a result for 'data.policy.allow'"
    );
    for (value, go) in [
        ("\"yes\"", "string"),
        ("1", "json.Number"),
        ("[1]", "[]interface {}"),
        ("{\"a\": 1}", "map[string]interface {}"),
        ("null", "<nil>"),
    ] {
        let e = eval(&format!("{HEAD}allow := {value}\n"), json!({})).unwrap_err();
        assert_eq!(
            e.to_string(),
            format!("policy 'allow' rule must evaluate to boolean, got {go}")
        );
    }
}

#[test]
fn violations_are_strings_reported_on_deny_only() {
    let p = format!("{HEAD}allow := input.ok\n\nviolations := {{\"b\", 2, \"a\", null}}\n");
    let d = eval(&p, json!({"ok": false})).unwrap();
    assert_eq!(d.violations, Some(vec!["a".to_string(), "b".to_string()]));
    assert_eq!(eval(&p, json!({"ok": true})).unwrap().violations, None);
    let p = format!("{HEAD}allow := false\n\nviolations := [\"b\", 2, \"a\"]\n");
    assert_eq!(
        eval(&p, json!({})).unwrap().violations,
        Some(vec!["b".to_string(), "a".to_string()])
    );
    let p = format!("{HEAD}allow := false\n\nviolations := []\n");
    assert_eq!(eval(&p, json!({})).unwrap().violations, None);
    let p = format!("{HEAD}allow := false\n\nviolations := \"a string\"\n");
    assert_eq!(eval(&p, json!({})).unwrap().violations, None);
    let e = eval(&p, json!({})).unwrap().into_result().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::PolicyDenied);
}

#[test]
fn opa_semantics_where_regorus_differs() {
    // Division by zero and failed builtins are undefined, not errors.
    let p = format!("{HEAD}default allow := false\n\nallow if input.a / input.b > 1\n");
    assert!(!eval(&p, json!({"a": 1, "b": 0})).unwrap().allow);
    let p =
        format!("{HEAD}default allow := false\n\nallow if time.parse_rfc3339_ns(input.t) > 0\n");
    assert!(!eval(&p, json!({"t": "not a time"})).unwrap().allow);
    // print goes nowhere.
    let p = format!(
        "{HEAD}default allow := false\n\nallow if {{\n\tprint(\"x\", input.a)\n\tinput.a\n}}\n"
    );
    assert!(eval(&p, json!({"a": true})).unwrap().allow);
    // Conflicts are evaluation errors in the CLI's words.
    let p = format!("{HEAD}x := 1 if input.a\n\nx := 2 if input.b\n\ndefault allow := false\n\nallow if x == 1\n");
    let e = eval(&p, json!({"a": true, "b": true})).unwrap_err();
    assert!(
        e.to_string()
            .contains("eval_conflict_error: complete rules must not produce multiple outputs"),
        "{e}"
    );
    // Reading all of data is recursion.
    let p = format!("{HEAD}limit := object.get(data, [\"params\", \"limit\"], 5)\n\ndefault allow := false\n\nallow if input.s < limit\n");
    let e = RegoPolicy::parse(&p).unwrap_err();
    assert!(e.to_string().contains("rego_recursion_error"), "{e}");
}

#[test]
fn builtins_added_and_refused() {
    let p = format!("{HEAD}default allow := false\n\nallow if {{\n\tcrypto.sha256(\"\") == \"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\"\n\tcrypto.hmac.equal(crypto.hmac.sha256(\"what do ya want for nothing?\", \"Jefe\"), \"5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843\")\n\tcount(crypto.hmac.sha512(\"m\", \"k\")) == 128\n}}\n");
    assert!(eval(&p, json!({})).unwrap().allow);
    for name in UNSUPPORTED_BUILTINS {
        let p = format!("{HEAD}default allow := false\n\nx := {name}(input.a)\n\nallow if x\n");
        let e = RegoPolicy::parse(&p).unwrap_err();
        assert_eq!(
            e.to_string(),
            format!("policy.rego:7: the builtin {name} is not supported by this SDK's Rego engine (see kosli_core::policy::rego::UNSUPPORTED_BUILTINS)")
        );
    }
}

#[test]
fn params_are_data_params() {
    let p = RegoPolicy::parse(&format!(
        "{HEAD}default allow := false\n\nallow if input.n >= data.params.min\n"
    ))
    .unwrap();
    let input = json!({"n": 5});
    assert!(!p.evaluate(&input, None).unwrap().allow);
    assert!(p.evaluate(&input, Some(&json!({"min": 3}))).unwrap().allow);
    assert!(!p.evaluate(&input, Some(&json!({"min": 9}))).unwrap().allow);
}

#[test]
fn input_is_read_as_go_reads_it() {
    let err = |b: &[u8]| parse_input(b).unwrap_err().to_string();
    assert_eq!(err(b""), "failed to parse input: EOF");
    assert_eq!(err(b"  \n"), "failed to parse input: EOF");
    assert_eq!(
        err(b"{\"score\": 5\n"),
        "failed to parse input: unexpected EOF"
    );
    assert_eq!(err(b"[1, 2]"), "failed to parse input: json: cannot unmarshal array into Go value of type map[string]interface {}");
    assert_eq!(err(b"\"x\""), "failed to parse input: json: cannot unmarshal string into Go value of type map[string]interface {}");
    assert!(err(b"x").starts_with("failed to parse input: invalid character 'x'"));
    assert_eq!(parse_input(b"{} trailing").unwrap(), json!({}));
    assert_eq!(parse_input(b"null").unwrap(), Value::Null);
    let v = parse_input(br#"{"score": 12345678901234567890, "float": 1e3, "neg": -0.0}"#).unwrap();
    let shown = render(
        &Decision {
            allow: true,
            violations: None,
        },
        OutputFormat::Json,
        Some((&v, None)),
    );
    assert_eq!(shown, "{\n  \"allow\": true,\n  \"input\": {\n    \"float\": 1000,\n    \"neg\": -0,\n    \"score\": 12345678901234567000\n  },\n  \"violations\": null\n}");
}

#[test]
fn params_are_read_as_go_reads_them() {
    let err = |t: &str| parse_params(t).unwrap_err().to_string();
    assert_eq!(
        parse_params("{\"threshold\": 3}").unwrap(),
        Some(json!({"threshold": 3}))
    );
    assert_eq!(parse_params("null").unwrap(), None);
    assert_eq!(err("[1,2]"), "failed to parse --params: json: cannot unmarshal array into Go value of type map[string]interface {}");
    assert!(
        err("{bad").starts_with("failed to parse --params: invalid character 'b'"),
        "{}",
        err("{bad")
    );
    assert_eq!(
        err("@/nonexistent/p.json"),
        "failed to read --params file: open /nonexistent/p.json: no such file or directory"
    );
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("p.json");
    std::fs::write(&f, "{\"min_score\": 9}").unwrap();
    assert_eq!(
        parse_params(&format!("@{}", f.display())).unwrap(),
        Some(json!({"min_score": 9}))
    );
}

#[test]
fn output_is_the_clis() {
    let denied = Decision {
        allow: false,
        violations: Some(vec!["a <b>".into(), "c".into()]),
    };
    assert_eq!(
        render(&denied, OutputFormat::Table, None),
        "RESULT:      DENIED\nVIOLATIONS:  a <b>\n             c\n"
    );
    assert_eq!(
        render(&denied, OutputFormat::Json, Some((&json!({"k": "<"}), Some(&json!({"t": 1}))))),
        "{\n  \"allow\": false,\n  \"input\": {\n    \"k\": \"\\u003c\"\n  },\n  \"params\": {\n    \"t\": 1\n  },\n  \"violations\": [\n    \"a \\u003cb\\u003e\",\n    \"c\"\n  ]\n}"
    );
    let allowed = Decision {
        allow: true,
        violations: None,
    };
    assert_eq!(
        render(&allowed, OutputFormat::Table, None),
        "RESULT:  ALLOWED\n"
    );
    assert_eq!(
        denied_message(denied.reasons(), true),
        "policy denied: [a <b> c]"
    );
    assert_eq!(denied_message(denied.reasons(), false), "policy denied");
    assert_eq!(
        OutputFormat::parse("yaml").unwrap_err().to_string(),
        "unsupported output format: yaml"
    );
}
