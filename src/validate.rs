//! `gws-conformance validate`: judges captured payloads against the embedded schemas.
//! INTERFACE STUB (contract helper owns this file).

/// Flags of `validate`.
#[derive(Debug, clap::Args)]
pub struct ValidateArgs {}

/// Validates the files; returns the exit code (0 all valid, 1 any invalid, 2 unusable input).
pub fn main(args: ValidateArgs) -> u8 {
    let _ = args;
    todo!()
}
