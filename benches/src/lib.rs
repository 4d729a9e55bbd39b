//! Benchmarks live in `benches/benches/`; comparison scripts beside this crate.
