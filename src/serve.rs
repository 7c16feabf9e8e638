//! `gws-conformance serve`: the reference server, standalone.
//! INTERFACE STUB (server helper owns this file).

/// Flags of `serve`.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {}

/// Runs the server until interrupted; returns the process exit code.
pub fn main(args: ServeArgs) -> u8 {
    let _ = args;
    todo!()
}
