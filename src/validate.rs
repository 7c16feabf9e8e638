//! `gws-conformance validate`: judges captured payloads (JSON files) against the embedded schemas
//! of the documented contract (`gws-contract`), so a vendor can check what their own server sends
//! without running the scenarios.
//!
//! ```text
//! gws-conformance validate FILE... [--schema NAME] [--strict]
//! ```
//!
//! Each file holds one payload: a request body, a response body, a notification's `data`, or a
//! whole Bayeux message. The schema is picked from the payload (`operationName`, `statusCode`,
//! `messageType`, `notificationType`, the transcript key) unless `--schema` names it. Results go to
//! stdout (`<file>: ok` or every violation); unusable input goes to stderr, one line each.

use std::io::Read;
use std::path::PathBuf;

use gws_contract::{ContractError, Mode};
use serde_json::Value;

/// Flags of `validate`.
#[derive(Debug, clap::Args)]
pub struct ValidateArgs {
    /// JSON files to judge, one payload each (`-` reads standard input).
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,
    /// Judge every file against this schema instead of detecting it (see schemas/README.md).
    #[arg(long, value_name = "NAME")]
    pub schema: Option<String>,
    /// Require the newest documented spelling of every name (target-contract section 4).
    #[arg(long)]
    pub strict: bool,
}

/// Exit code: every file is valid.
const VALID: u8 = 0;
/// Exit code: at least one payload breaks a documented rule.
const INVALID: u8 = 1;
/// Exit code: at least one file could not be judged (unreadable, not JSON, no schema).
const UNUSABLE: u8 = 2;

fn valid_names() -> String {
    gws_contract::schema_names().join(", ")
}

/// Reads `path` (`-` is standard input).
fn read(path: &PathBuf) -> std::io::Result<String> {
    if path.as_os_str() == "-" {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text)?;
        Ok(text)
    } else {
        std::fs::read_to_string(path)
    }
}

/// Judges one file; returns its exit code.
fn judge(path: &PathBuf, forced: Option<&str>, mode: Mode) -> u8 {
    let shown = path.display();
    let text = match read(path) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("{shown}: cannot read the file: {e}");
            return UNUSABLE;
        }
    };
    let value: Value = match serde_json::from_str(&text) {
        Ok(value) => value,
        Err(e) => {
            eprintln!(
                "{shown}: not JSON at line {} column {}: {}",
                e.line(),
                e.column(),
                describe_json_error(&e)
            );
            return UNUSABLE;
        }
    };
    let Some(schema) = forced.or_else(|| gws_contract::detect_schema(&value)) else {
        eprintln!(
            "{shown}: no schema fits this payload (no known operationName, statusCode, messageType, notificationType or transcript key); name one with --schema NAME ({})",
            valid_names()
        );
        return UNUSABLE;
    };
    match gws_contract::validate(schema, &value, mode) {
        Ok(()) => {
            println!("{shown}: ok ({schema})");
            VALID
        }
        Err(ContractError::Invalid(violations)) => {
            let mode = match mode {
                Mode::Lenient => "lenient",
                Mode::Strict => "strict",
            };
            println!(
                "{shown}: {} violation(s) of {schema} ({mode} mode)",
                violations.len()
            );
            for violation in violations {
                println!();
                for line in violation.to_string().lines() {
                    println!("  {line}");
                }
            }
            println!();
            INVALID
        }
        Err(ContractError::UnknownSchema(name)) => {
            eprintln!(
                "{shown}: no schema named `{name}`; valid names: {}",
                valid_names()
            );
            UNUSABLE
        }
    }
}

/// serde_json's message without its own " at line L column C" tail (the caller prints those).
fn describe_json_error(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(cut) => text[..cut].to_owned(),
        None => text,
    }
}

/// Validates the files; returns the exit code (0 all valid, 1 any invalid, 2 unusable input).
///
/// An unknown `--schema` name is reported once, with the valid names, before any file is read.
pub fn main(args: ValidateArgs) -> u8 {
    if let Some(name) = &args.schema
        && !gws_contract::schema_names().contains(&name.as_str())
    {
        eprintln!("no schema named `{name}`; valid names: {}", valid_names());
        return UNUSABLE;
    }
    let mode = if args.strict {
        Mode::Strict
    } else {
        Mode::Lenient
    };
    args.files
        .iter()
        .map(|path| judge(path, args.schema.as_deref(), mode))
        .max()
        .unwrap_or(VALID)
}
