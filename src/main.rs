//! Entry point: parses the command line and hands over to the subcommand.

use std::process::ExitCode;

use clap::Parser;
use gws_conformance::cli::{Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match cli.command {
        Some(Command::Run(args)) => gws_conformance::run::main(args),
        None => gws_conformance::run::main(cli.run),
        Some(Command::Serve(args)) => gws_conformance::serve::main(args),
        Some(Command::Validate(args)) => gws_conformance::validate::main(args),
    };
    ExitCode::from(code)
}
