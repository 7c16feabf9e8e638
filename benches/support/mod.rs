//! Support code of the conformance benchmark (issue 6).

pub mod bare;
pub mod noop;
