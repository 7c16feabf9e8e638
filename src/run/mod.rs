//! `gws-conformance run`: the conformance runner.
//! INTERFACE STUB (runner helper owns this directory).

/// Flags of `run` (target-contract section 1).
#[derive(Debug, Clone, clap::Args)]
pub struct RunArgs {}

/// Runs the suite; returns the exit code of the target contract (0, 1, 2).
pub fn main(args: RunArgs) -> u8 {
    let _ = args;
    todo!()
}
