//! The blocking client against fake-kosli: calls from plain threads, several at once on the
//! shared runtime, and cancellation through a cancel handle.

mod client_common;

use std::time::{Duration, Instant};

use client_common::*;
use kosli_core::blocking::Client;
use kosli_core::client::{CancelHandle, Request};
use kosli_core::ErrorKind;
use kosli_tests::fake::{FakeKosli, Fault};

#[test]
fn blocking_calls_from_many_threads() {
    let fake = FakeKosli::start().unwrap();
    let client = Client::new(capture_config(&fake.url())).unwrap();
    let threads: Vec<_> = (0..8)
        .map(|i| {
            let client = client.clone();
            std::thread::spawn(move || {
                let body = format!(r#"{{"name":"env-{i}","type":"server","description":""}}"#);
                let outcome = client
                    .write(&Request::new(&CREATE_ENV).json_bytes(body))
                    .unwrap();
                assert!(outcome.response().is_some_and(|r| r.created()));
                client.status().unwrap()
            })
        })
        .collect();
    for t in threads {
        assert_eq!(t.join().unwrap(), "\"OK\"");
    }
    assert_eq!(fake.with_store(|s| s.orgs["acme"].environments.len()), 8);
}

#[test]
fn a_cancel_handle_stops_a_slow_call() {
    let fake = FakeKosli::start().unwrap();
    fake.push_faults(vec![Fault::delay_ms(10_000)]).unwrap();
    let client = Client::new(capture_config(&fake.url())).unwrap();
    let handle = CancelHandle::new();
    let cancellable = client.with_cancel(handle.clone());
    let started = Instant::now();
    let call = std::thread::spawn(move || cancellable.status());
    std::thread::sleep(Duration::from_millis(100));
    handle.cancel();
    let e = call.join().unwrap().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Cancelled);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "the call ended on cancel, not after the delay"
    );
    // The client itself is still usable without the handle.
    assert_eq!(client.status().unwrap(), "\"OK\"");
}
