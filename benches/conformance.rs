//! Benchmark of a conformance run (issue 6). Being written.
fn main() {}
