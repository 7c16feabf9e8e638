//! The documented contract of the GWS v2 multimedia agent API: the fixtures taken from every
//! documented sample (`fixtures/`) and the JSON Schemas derived from them (`schemas/`), embedded in
//! the binary and compiled once.
//!
//! INTERFACE STUB: the signatures below are the agreed interface; the bodies are being written.

use serde_json::Value;

/// How strictly documented spelling variants are judged
/// (`../shared/reference/target-contract.md` section 4).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Mode {
    /// Every documented spelling is conformant.
    #[default]
    Lenient,
    /// Only the newest documented spelling is conformant.
    Strict,
}

/// One broken rule found in one payload.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// Schema name, e.g. `chat-state-change`.
    pub schema: String,
    /// JSON Pointer into the payload, e.g. `/chat/state` (empty string for the root).
    pub instance_path: String,
    /// JSON Pointer into the schema (through `$ref`s), e.g. `/properties/chat/$ref/properties/state/enum`.
    pub schema_path: String,
    /// The rule in words, e.g. "state must be one of the documented interaction states".
    pub rule: String,
    /// What the documentation allows here.
    pub expected: String,
    /// What the payload holds here (compact JSON, truncated).
    pub actual: String,
    /// The documentation page the rule comes from (page name and URL).
    pub source: String,
}

/// Why a payload could not be judged valid.
#[derive(Debug, thiserror::Error)]
pub enum ContractError {
    /// No schema of that name is embedded.
    #[error("no schema named `{0}`")]
    UnknownSchema(String),
    /// The payload breaks one or more rules.
    #[error("{} violation(s) of schema `{}`", .0.len(), .0.first().map(|v| v.schema.as_str()).unwrap_or(""))]
    Invalid(Vec<Violation>),
}

/// Validates `instance` against the embedded schema `schema` (see `schemas/README.md` for names).
pub fn validate(schema: &str, instance: &Value, mode: Mode) -> Result<(), ContractError> {
    let _ = (schema, instance, mode);
    todo!("issue 2")
}

/// Picks the schema name for a payload from `messageType`, `notificationType`, `operationName`
/// or `statusCode`; `None` when nothing identifies it.
pub fn detect_schema(instance: &Value) -> Option<&'static str> {
    let _ = instance;
    todo!("issue 2")
}

/// Names of every embedded schema.
pub fn schema_names() -> Vec<&'static str> {
    todo!("issue 2")
}

/// Every embedded file of `schemas/` and `fixtures/` as (relative path, bytes), for the report's
/// SHA-256 bundle fingerprint.
pub fn bundle_files() -> Vec<(String, &'static [u8])> {
    todo!("issue 2")
}
