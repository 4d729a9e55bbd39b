//! Benchmarks live in `benches/benches/`; comparison scripts beside this crate.

pub mod evidence_data;
