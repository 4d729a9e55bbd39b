//! Every exported function's body is one panic-boundary macro, with no exception: a panic must
//! never unwind into C. This reads the sources, so a new function cannot skip it unnoticed.

use std::fs;
use std::path::Path;

#[test]
fn every_exported_function_goes_through_the_panic_boundary() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut exported = 0;
    for entry in fs::read_dir(&src).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = fs::read_to_string(&path).unwrap();
        let mut rest = text.as_str();
        while let Some(at) = rest.find("extern \"C\" fn ") {
            let after = &rest[at..];
            let name: String = after["extern \"C\" fn ".len()..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            // The body starts at the first `{` after the signature's closing `)`.
            let body_start = after.find("{\n").expect("a body");
            let body = after[body_start + 1..].trim_start();
            let is_fn_type = after[..body_start].contains(';');
            if !is_fn_type {
                exported += 1;
                assert!(
                    body.starts_with("ffi_status!(")
                        || body.starts_with("ffi_value!(")
                        || body.starts_with("// ")
                            && body.lines().nth(1).is_some_and(|l| {
                                let l = l.trim_start();
                                l.starts_with("ffi_status!(") || l.starts_with("ffi_value!(")
                            }),
                    "{}: `{name}` does not start with ffi_status!/ffi_value!",
                    path.display()
                );
            }
            rest = &after["extern \"C\" fn ".len()..];
        }
    }
    assert!(exported >= 6, "found only {exported} exported functions");
}
