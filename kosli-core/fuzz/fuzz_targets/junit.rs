//! Any bytes through the JUnit parser: it must return a value or an error, never panic, and
//! what it returns must serialize (the payload path).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut cases = 0u64;
    let mut visit = |_: &kosli_core::evidence::junit::TestCase<'_>| cases += 1;
    let detailed = kosli_core::evidence::junit::parse_bytes_with(data, None, &mut visit);
    let plain = kosli_core::evidence::junit::parse_bytes(data, None);
    // Detail must not change the totals.
    match (&detailed, &plain) {
        (Ok(a), Ok(b)) => {
            assert_eq!(a, b);
            let _ = kosli_core::model::go_json::to_string(a).expect("suites serialize");
        }
        (Err(_), Err(_)) => {}
        _ => panic!("detail changed the outcome: {detailed:?} vs {plain:?}"),
    }
});
