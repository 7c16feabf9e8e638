//! The command line: `run` (the default), `serve` and `validate`. Each subcommand's flags are
//! defined beside the code that implements it.

use clap::{Parser, Subcommand};

/// Conformance suite for the Genesys Web Services REST API v2 multimedia agent API.
#[derive(Debug, Parser)]
#[command(
    name = "gws-conformance",
    version,
    about,
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Flags of `run`, when no subcommand is named.
    #[command(flatten)]
    pub run: crate::run::RunArgs,
}

#[derive(Debug, Subcommand)]
// Built once per process; boxing the run flags would buy nothing.
#[allow(clippy::large_enum_variant)]
pub enum Command {
    /// Run the conformance scenarios against a target (default: the embedded reference server).
    Run(crate::run::RunArgs),
    /// Serve the reference server standalone.
    Serve(crate::serve::ServeArgs),
    /// Validate captured payloads (JSON files) against the documented schemas.
    Validate(crate::validate::ValidateArgs),
}
