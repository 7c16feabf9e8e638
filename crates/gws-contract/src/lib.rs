//! The documented contract of the GWS v2 multimedia agent API: the fixtures taken from every
//! documented sample (`fixtures/`) and the JSON Schemas derived from them (`schemas/`), embedded in
//! the binary and compiled once.
//!
//! - [`validate`] judges a payload against a named schema and returns every [`Violation`].
//! - [`detect_schema`] picks the schema name for a payload; [`closest_schemas`] the nearest ones
//!   for a payload that matches none exactly.
//! - [`fixtures`] and [`errata`] give the documented samples, their provenance and their repairs.
//! - [`bundle_files`] lists every embedded file for the report's fingerprint.
//!
//! No schema is ever read from the filesystem or fetched over the network at run time: every
//! `$ref` resolves inside the embedded bundle (`https://gws-conformance.invalid/schemas/...`).
//! The bundle is parsed and compiled once, on first use (about 120 ms in a debug build). A defective
//! embedded bundle would panic there; the crate's tests compile and exercise all of it, so a build
//! whose tests pass cannot hit that.

mod fixtures;
pub mod generate;
pub mod names;
pub mod operations;
pub mod pages;
mod violation;

use std::collections::BTreeMap;
use std::sync::LazyLock;

use include_dir::{Dir, include_dir};
use jsonschema::{Registry, Validator};
use serde_json::Value;

pub use fixtures::{
    Detection, Edit, Erratum, Fixture, FixtureKind, Provenance, Spelling, errata, fixture, fixtures,
};
pub use generate::generated_schemas;
pub use names::{Dialect, Media, NAMES, Names, Spellings};
pub use operations::{OPERATIONS, Operation, State, capabilities_after, operation};
pub use pages::{PAGES, Page};

/// The embedded `schemas/` directory.
pub(crate) static SCHEMAS_DIR: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/../../schemas");
/// The embedded `fixtures/` directory.
pub(crate) static FIXTURES_DIR: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/../../fixtures");

/// Base URI of every embedded schema's `$id`; the `.invalid` top-level domain never resolves.
pub const SCHEMA_BASE_URI: &str = "https://gws-conformance.invalid/schemas/";

/// How strictly documented spelling variants are judged
/// (docs/target-contract.md, section 4).
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

/// A documentation page a schema rests on (the schema's `x-source` list).
#[derive(Clone, Debug, PartialEq, Eq, serde::Deserialize)]
pub struct Source {
    /// Page name, e.g. "Chat API: Accept (ChatAccept, 8.5.2)".
    pub page: String,
    /// Page URL on docs.genesys.com.
    pub url: String,
}

impl std::fmt::Display for Source {
    /// `page — url`: a bare URL, never in angle brackets (HTML report viewers read `<https://…>`
    /// as a tag).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} — {}", self.page, self.url)
    }
}

/// One named schema, compiled in both modes.
struct Entry {
    lenient: Validator,
    /// The strict overlay (`schemas/strict/<name>.schema.json`) when the name has spelling variants.
    strict: Option<Validator>,
    sources: Vec<Source>,
    strict_sources: Vec<Source>,
}

/// Every schema of the bundle, parsed, and every named schema, compiled.
struct Compiled {
    /// `$id` (without fragment) -> schema document, for `x-rules` look-ups.
    documents: BTreeMap<String, &'static Value>,
    entries: BTreeMap<&'static str, Entry>,
}

/// The parsed schema documents, as (relative path, `$id`, document), for the whole process.
static DOCUMENTS: LazyLock<Vec<(&'static str, String, Value)>> = LazyLock::new(|| {
    let mut docs = Vec::new();
    collect_schema_files(&SCHEMAS_DIR, &mut docs);
    docs
});

fn collect_schema_files(dir: &'static Dir<'static>, out: &mut Vec<(&'static str, String, Value)>) {
    for file in dir.files() {
        let Some(path) = file.path().to_str() else {
            continue;
        };
        if !path.ends_with(".schema.json") {
            continue;
        }
        // The bundle is checked by the crate's tests; a broken embedded schema is a build defect.
        let value: Value = serde_json::from_slice(file.contents())
            .unwrap_or_else(|e| panic!("embedded schema {path} is not JSON: {e}"));
        let id = value
            .get("$id")
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("embedded schema {path} has no $id"))
            .to_owned();
        out.push((path, id, value));
    }
    for sub in dir.dirs() {
        collect_schema_files(sub, out);
    }
}

fn sources_of(doc: &Value) -> Vec<Source> {
    doc.get("x-source")
        .and_then(|s| serde_json::from_value(s.clone()).ok())
        .unwrap_or_default()
}

static COMPILED: LazyLock<Compiled> = LazyLock::new(|| {
    let docs: &'static [(&'static str, String, Value)] = &DOCUMENTS;
    let mut builder = Registry::new();
    for (path, id, value) in docs {
        builder = builder
            .add(id, value)
            .unwrap_or_else(|e| panic!("embedded schema {path}: {e}"));
    }
    let registry = builder
        .prepare()
        .unwrap_or_else(|e| panic!("embedded schema registry: {e}"));
    let build = |doc: &Value, path: &str| -> Validator {
        jsonschema::draft202012::options()
            // Every `$ref` is in the registry; never fetch, whatever features other crates enable.
            .offline()
            .with_registry(&registry)
            .build(doc)
            .unwrap_or_else(|e| panic!("embedded schema {path} does not compile: {e}"))
    };
    let mut entries = BTreeMap::new();
    for (path, _, doc) in docs {
        let Some(name) = schema_name_of(path) else {
            continue;
        };
        let strict_path = format!("strict/{name}.schema.json");
        let strict_doc = docs.iter().find(|(p, _, _)| *p == strict_path);
        entries.insert(
            name,
            Entry {
                lenient: build(doc, path),
                strict: strict_doc.map(|(p, _, d)| build(d, p)),
                sources: sources_of(doc),
                strict_sources: strict_doc
                    .map(|(_, _, d)| sources_of(d))
                    .unwrap_or_default(),
            },
        );
    }
    Compiled {
        documents: docs.iter().map(|(_, id, v)| (id.clone(), v)).collect(),
        entries,
    }
});

/// The schema name of a top-level `schemas/<name>.schema.json` file, except the shared
/// `definitions` (which has no root rule of its own).
fn schema_name_of(path: &'static str) -> Option<&'static str> {
    let name = path.strip_suffix(".schema.json")?;
    (!name.contains('/') && name != "definitions").then_some(name)
}

/// Validates `instance` against the embedded schema `schema` (see `schemas/README.md` for names).
///
/// Returns every violation (not just the first), each with the payload's JSON Pointer, the schema
/// path through `$ref`s, the rule in words, expected and actual values and the documentation page.
/// In [`Mode::Strict`] the strict overlay `schemas/strict/<name>.schema.json` is used where one
/// exists (the names with spelling variants); elsewhere both modes are the same.
///
/// # Errors
/// [`ContractError::UnknownSchema`] for a name not in [`schema_names`];
/// [`ContractError::Invalid`] with at least one [`Violation`] when the payload breaks a rule.
pub fn validate(schema: &str, instance: &Value, mode: Mode) -> Result<(), ContractError> {
    let compiled = &*COMPILED;
    let Some((name, entry)) = compiled.entries.get_key_value(schema) else {
        return Err(ContractError::UnknownSchema(schema.to_owned()));
    };
    let (validator, strict) = match (mode, &entry.strict) {
        (Mode::Strict, Some(strict)) => (strict, true),
        _ => (&entry.lenient, false),
    };
    let violations: Vec<Violation> = validator
        .iter_errors(instance)
        .map(|error| {
            let in_overlay = strict
                && error
                    .absolute_keyword_location()
                    .is_some_and(|uri| uri.as_str().contains("/schemas/strict/"));
            let sources = if in_overlay {
                &entry.strict_sources
            } else {
                &entry.sources
            };
            violation::describe(name, &error, sources, &compiled.documents)
        })
        .collect();
    if violations.is_empty() {
        Ok(())
    } else {
        Err(ContractError::Invalid(violations))
    }
}

/// The documentation pages the schema `name` rests on (its `x-source`), or `None` for an unknown
/// name.
pub fn schema_sources(name: &str) -> Option<Vec<Source>> {
    COMPILED.entries.get(name).map(|e| e.sources.clone())
}

/// Picks the schema name for a payload from `operationName`, `statusCode`, `messageType` or
/// `notificationType`; `None` when nothing identifies it.
///
/// Order: `operationName` → the operation's request schema (`<operation>-request`, from the
/// operation table; `None` for an operation the table does not have); `statusCode` →
/// `operation-response`; `MessageLogUpdated` / `NewMessages` → the message log of the media
/// whose transcript key (`chatUri`, `facebooksessionPath`, ..., any documented spelling) it
/// carries; a state-change `messageType` of the names table, or failing that a resource key
/// next to a state-change `notificationType` → that media's state change; `channel` + `data`
/// → `bayeux-envelope`; a bare resource (`id`, `state`, a `uri` in a media's collection) →
/// `<media>-resource` where that schema exists (`smssession-resource`).
pub fn detect_schema(instance: &Value) -> Option<&'static str> {
    static REQUEST_SCHEMAS: LazyLock<BTreeMap<&'static str, &'static str>> = LazyLock::new(|| {
        OPERATIONS
            .iter()
            .flat_map(|op| {
                let schema: &'static str = Box::leak(op.request_schema().into_boxed_str());
                std::iter::once(op.name)
                    .chain(op.spellings.iter().copied())
                    .map(move |n| (n, schema))
            })
            .collect()
    });
    let obj = instance.as_object()?;
    let text = |key: &str| obj.get(key).and_then(Value::as_str);
    if let Some(operation) = obj.get("operationName") {
        return REQUEST_SCHEMAS.get(operation.as_str()?).copied();
    }
    if obj.contains_key("statusCode") {
        return Some("operation-response");
    }
    let message_type = text("messageType");
    let notification_type = text("notificationType");
    if message_type == Some("MessageLogUpdated") || notification_type == Some("NewMessages") {
        return Media::from_log_key(obj).map(Media::log_schema);
    }
    if let Some(media) = message_type.and_then(Media::from_state_message_type) {
        return Some(media.state_schema());
    }
    let state_change = matches!(
        notification_type,
        Some("StatusChange" | "ParticipantsUpdated" | "PropertiesUpdated" | "Error")
    );
    if (state_change || message_type.is_some_and(|m| m.contains("StateChangeMessage")))
        && let Some((media, _)) = Media::from_resource_key(obj)
    {
        return Some(media.state_schema());
    }
    if obj.contains_key("channel") && obj.contains_key("data") {
        return Some("bayeux-envelope");
    }
    resource_schema(obj)
}

/// The schema of a bare interaction resource (a GET sample such as SMSResources'): an object
/// with `id`, `state` and a `uri` naming a media's collection → `<media>-resource`, where the
/// bundle has that schema.
fn resource_schema(obj: &serde_json::Map<String, Value>) -> Option<&'static str> {
    if !(obj.contains_key("id") && obj.contains_key("state")) {
        return None;
    }
    let uri = obj.get("uri")?.as_str()?;
    let media = Media::ALL
        .into_iter()
        .find(|m| m.collection_in_uri(uri).is_some())?;
    COMPILED
        .entries
        .get_key_value(format!("{}-resource", media.name()).as_str())
        .map(|(name, _)| *name)
}

/// The schemas closest to a payload: what [`closest_schemas`] found and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Closest {
    /// The equally close schemas, sorted by name (at least one).
    pub schemas: Vec<&'static str>,
    /// What made the first of them close, in words: the payload's keys it defines (with the
    /// fixed value matched, e.g. `messageType "MessageLogUpdated"`) and near-miss names
    /// (`status` for `statusCode`).
    pub by: Vec<String>,
}

/// For a payload [`detect_schema`] cannot place, the schemas it comes closest to, judged from
/// the schema documents themselves (their top-level `properties`, `required`, `const` and
/// `enum`): each payload key a schema defines counts 1, or 3 when the schema fixes its value
/// (`const`/`enum`) and the payload has that value (a fixed value it does not have counts 0);
/// a key the schema does not define counts 1 when it is a near miss of one of the schema's
/// required names (one a case-insensitive prefix of the other, both at least 4 characters:
/// `status` for `statusCode`). `None` when no schema scores above 0.
///
/// Examples: `{"status": 0}` → `operation-response`; a `MessageLogUpdated` without any
/// transcript key → the message logs of every media, equally close.
pub fn closest_schemas(instance: &Value) -> Option<Closest> {
    let obj = instance.as_object()?;
    let mut best: Vec<(&'static str, Vec<String>)> = Vec::new();
    let mut best_score = 0;
    for (path, _, doc) in DOCUMENTS.iter() {
        let Some(name) = schema_name_of(path) else {
            continue;
        };
        let (score, by) = closeness(obj, referenced(doc));
        if score == 0 || score < best_score {
            continue;
        }
        if score > best_score {
            best.clear();
            best_score = score;
        }
        best.push((name, by));
    }
    best.sort_by_key(|(name, _)| *name);
    let by = best.first()?.1.clone();
    Some(Closest {
        schemas: best.into_iter().map(|(name, _)| name).collect(),
        by,
    })
}

/// `doc` itself, or, when it is only a `$ref` into another embedded schema document (e.g.
/// `smssession-resource` → `definitions.schema.json#/$defs/interaction`), the node it names
/// (`doc` when the reference cannot be followed).
fn referenced(doc: &Value) -> &Value {
    let Some(r) = doc.get("$ref").and_then(Value::as_str) else {
        return doc;
    };
    if doc.get("properties").is_some() {
        return doc;
    }
    let (file, pointer) = r.split_once('#').unwrap_or((r, ""));
    DOCUMENTS
        .iter()
        .find(|(path, _, _)| path.ends_with(file))
        .and_then(|(_, _, target)| target.pointer(pointer))
        .unwrap_or(doc)
}

/// The score of `doc` for the payload `obj` and its reasons (see [`closest_schemas`]).
fn closeness(obj: &serde_json::Map<String, Value>, doc: &Value) -> (u32, Vec<String>) {
    let properties = doc.get("properties").and_then(Value::as_object);
    let required: Vec<&str> = doc
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let near = |key: &str, wanted: &str| {
        let (key, wanted) = (key.to_ascii_lowercase(), wanted.to_ascii_lowercase());
        key != wanted
            && key.len() >= 4
            && wanted.len() >= 4
            && (wanted.starts_with(&key) || key.starts_with(&wanted))
    };
    let mut score = 0;
    let mut by = Vec::new();
    for (key, value) in obj {
        match properties.and_then(|p| p.get(key)) {
            Some(node) => {
                let fixed: Option<Vec<&Value>> = node.get("const").map(|c| vec![c]).or_else(|| {
                    node.get("enum")
                        .and_then(Value::as_array)
                        .map(|values| values.iter().collect())
                });
                match fixed {
                    Some(values) if values.contains(&value) => {
                        score += 3;
                        by.push(format!("{key} {value}"));
                    }
                    Some(_) => {}
                    None => {
                        score += 1;
                        by.push(key.clone());
                    }
                }
            }
            None => {
                if let Some(wanted) = required.iter().find(|r| near(key, r)) {
                    score += 1;
                    by.push(format!("{key} (for {wanted})"));
                }
            }
        }
    }
    (score, by)
}

/// Names of every embedded schema, sorted.
pub fn schema_names() -> Vec<&'static str> {
    COMPILED.entries.keys().copied().collect()
}

/// Every embedded file of `schemas/` and `fixtures/` as (relative path, bytes), for the report's
/// SHA-256 bundle fingerprint. Paths are prefixed with `schemas/` or `fixtures/` and use `/`;
/// the list is sorted by path.
pub fn bundle_files() -> Vec<(String, &'static [u8])> {
    fn walk(prefix: &str, dir: &'static Dir<'static>, out: &mut Vec<(String, &'static [u8])>) {
        for file in dir.files() {
            let path = file.path().to_string_lossy().replace('\\', "/");
            out.push((format!("{prefix}/{path}"), file.contents()));
        }
        for sub in dir.dirs() {
            walk(prefix, sub, out);
        }
    }
    let mut out = Vec::new();
    walk("schemas", &SCHEMAS_DIR, &mut out);
    walk("fixtures", &FIXTURES_DIR, &mut out);
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// Every embedded schema document as (relative path under `schemas/`, document), including the
/// shared `definitions.schema.json` and the `strict/` overlays. Tests use it to walk the rules.
pub fn schema_documents() -> Vec<(&'static str, &'static Value)> {
    DOCUMENTS.iter().map(|(p, _, v)| (*p, v)).collect()
}
