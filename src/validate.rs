//! `gws-conformance validate`: judges captured payloads (JSON files) against the embedded schemas
//! of the documented contract (`gws-contract`), so a vendor can check what their own server sends
//! without running the scenarios.
//!
//! ```text
//! gws-conformance validate FILE... [--schema NAME] [--strict] [--max-input-mib MIB]
//! ```
//!
//! Each file holds one payload (a request body, a response body, a notification's `data`, a
//! whole Bayeux message) or a Bayeux batch (a JSON array of messages, judged one by one as
//! `<file>[i]`; a message's envelope and then its `data`). At most `--max-input-mib` (64 MiB) is
//! read per file. The schema is picked from the payload (`operationName`, `statusCode`,
//! `messageType`, `notificationType`, the transcript key: `gws_contract::detect_schema`), else
//! the closest schemas are used (`gws_contract::closest_schemas`, at most one per media), unless
//! `--schema` names it. Results go to stdout (`<file>: ok` or every violation); unusable input
//! goes to stderr, one line each.

use std::io::Read;
use std::path::PathBuf;

use gws_contract::{ContractError, Mode};
use serde_json::Value;

/// Flags of `validate`.
#[derive(Debug, clap::Args)]
#[command(after_help = after_help())]
pub struct ValidateArgs {
    /// JSON files to judge, one payload or one Bayeux batch (a JSON array of messages) each
    /// (`-` reads standard input).
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,
    /// Judge every payload against this schema instead of detecting it (an unknown name lists
    /// the valid ones).
    #[arg(long, value_name = "NAME")]
    pub schema: Option<String>,
    /// Require the newest documented spelling of every name (target-contract section 4).
    #[arg(long)]
    pub strict: bool,
    /// Read at most this many MiB of each file; a larger file is refused (exit 2) without being
    /// read further.
    #[arg(long, value_name = "MIB", default_value_t = DEFAULT_MAX_INPUT_MIB,
          value_parser = clap::value_parser!(u64).range(1..=1024 * 1024))]
    pub max_input_mib: u64,
}

/// The default of `--max-input-mib`.
pub const DEFAULT_MAX_INPUT_MIB: u64 = 64;

/// The help's closing text: how payloads are judged, the documentation the schemas rest on
/// (titles and URLs from the pages table) and the exit status.
fn after_help() -> String {
    let pages: String = [
        "ReturnValues",
        "ChatAccept",
        "FacebookPMAccept",
        "SMSAccept",
    ]
    .iter()
    .filter_map(|tag| gws_contract::pages::page(tag))
    .map(|p| format!("\n  {} <{}>", p.title, p.url))
    .collect();
    format!(
        "Each payload is judged against the JSON Schema of the documented message it is (picked \
from operationName, statusCode, messageType, notificationType or the transcript key, else the \
closest schemas); every violation names the rule, the documentation page with its URL, the JSON \
path, and what was expected and found. The schemas rest on the Genesys Web Services API v2 \
pages, among them:{pages}\nand, for the envelope of a notification, on Bayeux 1.0 \
<https://docs.cometd.org/current/reference/#_bayeux>.\n\
Exit status: 0 every payload valid; 1 a payload breaks a documented rule; 2 unusable input \
(unreadable, larger than --max-input-mib, not JSON, no schema comes close, unknown --schema)."
    )
}

/// Exit code: every file is valid.
const VALID: u8 = 0;
/// Exit code: at least one payload breaks a documented rule.
const INVALID: u8 = 1;
/// Exit code: at least one file could not be judged (unreadable, not JSON, no schema).
const UNUSABLE: u8 = 2;

/// More schemas than this, equally close, are not a judgement but a guess: the payload is
/// reported as unplaced (the media's variants of one message are at most this many).
const MOST_EQUALLY_CLOSE: usize = gws_contract::Media::ALL.len();

fn valid_names() -> String {
    gws_contract::schema_names().join(", ")
}

/// Why a file could not be read.
enum ReadError {
    Io(std::io::Error),
    TooLarge(u64),
}

/// Reads at most `max` bytes of `path` (`-` is standard input).
fn read(path: &PathBuf, max: u64) -> Result<Vec<u8>, ReadError> {
    let source: Box<dyn Read> = if path.as_os_str() == "-" {
        Box::new(std::io::stdin())
    } else {
        Box::new(std::fs::File::open(path).map_err(ReadError::Io)?)
    };
    let mut bytes = Vec::new();
    // One byte more than allowed tells a file of exactly `max` bytes from a larger one.
    source
        .take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > max {
        return Err(ReadError::TooLarge(max));
    }
    Ok(bytes)
}

/// Judges one file; returns its exit code.
fn judge(path: &PathBuf, forced: Option<&str>, mode: Mode, max_bytes: u64) -> u8 {
    let shown = path.display().to_string();
    let bytes = match read(path, max_bytes) {
        Ok(bytes) => bytes,
        Err(ReadError::Io(e)) => {
            eprintln!("{shown}: cannot read the file: {e}");
            return UNUSABLE;
        }
        Err(ReadError::TooLarge(max)) => {
            eprintln!(
                "{shown}: larger than {} MiB, not read further; raise the bound with --max-input-mib",
                max / MIB
            );
            return UNUSABLE;
        }
    };
    let value: Value = match serde_json::from_slice(&bytes) {
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
    match value {
        // What a CometD response or request carries on the wire: a batch, judged message by
        // message (Bayeux 1.0 section 3: a batch is a JSON array of messages).
        Value::Array(messages) => messages
            .iter()
            .enumerate()
            .map(|(i, message)| judge_payload(&format!("{shown}[{i}]"), message, forced, mode))
            .max()
            .unwrap_or_else(|| {
                println!("{shown}: an empty batch, nothing to judge");
                VALID
            }),
        value => judge_payload(&shown, &value, forced, mode),
    }
}

/// Judges one payload or Bayeux message, shown as `name`; returns its exit code.
fn judge_payload(name: &str, value: &Value, forced: Option<&str>, mode: Mode) -> u8 {
    if let Some(schema) = forced {
        return report(name, schema, value, mode, None);
    }
    let channel = value.get("channel").and_then(Value::as_str);
    if let Some(channel) = channel {
        match value.get("data") {
            // A notification: its envelope, then its data.
            Some(data) => {
                let envelope = report(name, "bayeux-envelope", value, mode, None);
                return envelope.max(judge_payload(&format!("{name} data"), data, None, mode));
            }
            None if channel.starts_with("/meta/") => {
                println!(
                    "{name}: not judged ({channel} is a Bayeux meta message; the GWS pages document no schema for it)"
                );
                return VALID;
            }
            None => {}
        }
    }
    if let Some(schema) = gws_contract::detect_schema(value) {
        return report(name, schema, value, mode, None);
    }
    match gws_contract::closest_schemas(value) {
        Some(closest) if closest.schemas.len() <= MOST_EQUALLY_CLOSE => {
            let note = format!(
                "no schema matches exactly; judged against the closest{} by {}",
                if closest.schemas.len() > 1 {
                    format!(" ({} equally close)", closest.schemas.len())
                } else {
                    String::new()
                },
                closest.by.join(", ")
            );
            closest
                .schemas
                .iter()
                .map(|schema| report(name, schema, value, mode, Some(&note)))
                .max()
                .unwrap_or(UNUSABLE)
        }
        Some(closest) => {
            eprintln!(
                "{name}: no schema fits this payload ({} schemas come equally close: {}); name one with --schema NAME",
                closest.schemas.len(),
                closest.schemas.join(", ")
            );
            UNUSABLE
        }
        None => {
            eprintln!(
                "{name}: no schema fits this payload (no known operationName, statusCode, messageType, notificationType or transcript key, and no schema defines its keys); name one with --schema NAME ({})",
                valid_names()
            );
            UNUSABLE
        }
    }
}

/// Validates `value` against `schema` and prints the outcome (`note` says how the schema was
/// chosen); returns the exit code.
fn report(name: &str, schema: &str, value: &Value, mode: Mode, note: Option<&str>) -> u8 {
    let how = note.map(|n| format!("; {n}")).unwrap_or_default();
    match gws_contract::validate(schema, value, mode) {
        Ok(()) => {
            println!("{name}: ok ({schema}{how})");
            VALID
        }
        Err(ContractError::Invalid(violations)) => {
            let mode = match mode {
                Mode::Lenient => "lenient",
                Mode::Strict => "strict",
            };
            println!(
                "{name}: {} violation(s) of {schema} ({mode} mode{how})",
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
        Err(ContractError::UnknownSchema(unknown)) => {
            eprintln!(
                "{name}: no schema named `{unknown}`; valid names: {}",
                valid_names()
            );
            UNUSABLE
        }
    }
}

const MIB: u64 = 1024 * 1024;

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
        .map(|path| judge(path, args.schema.as_deref(), mode, args.max_input_mib * MIB))
        .max()
        .unwrap_or(VALID)
}
