//! Examples of the Kosli SDK live in this package's `examples/` targets: `kosli` (a drop-in for
//! the official CLI's commands) and `pipeline`. Run them with
//! `cargo run --release --example kosli -- --help`.
