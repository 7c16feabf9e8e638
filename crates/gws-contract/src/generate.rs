//! Schemas generated from the tables: each operation's request body schema
//! (`schemas/<operation>-request.schema.json`) from its row of [`crate::operations::OPERATIONS`].
//! The generated files are checked in so that a vendor reads them like any other schema; the
//! test `generated_schemas_are_current` (tests/generated.rs) fails when a file differs from
//! what the table gives, and `UPDATE_SCHEMAS=1 cargo test -p gws-contract --test generated`
//! rewrites them.

use serde_json::{Map, Value, json};

use crate::{
    SCHEMA_BASE_URI,
    operations::{Need, OPERATIONS, Operation, ParamType},
    pages,
};

/// Every generated schema as (file name under `schemas/`, document), in table order.
pub fn generated_schemas() -> Vec<(String, Value)> {
    OPERATIONS
        .iter()
        .map(|op| {
            (
                format!("{}.schema.json", op.request_schema()),
                request_schema(op),
            )
        })
        .collect()
}

/// The request body schema of `op`: `operationName` (any documented spelling), its mandatory
/// parameters required, one-of groups as `anyOf`, "only together with" as `if`/`then`, and
/// every parameter's type. Extra properties are allowed.
pub fn request_schema(op: &Operation) -> Value {
    let mut names: Vec<&str> = vec![op.name];
    // The page's own spelling first when it differs from the title's.
    if let Some(wire) = op.wire {
        names.retain(|n| *n != wire);
        names.insert(0, wire);
    }
    names.extend(op.spellings.iter().filter(|n| Some(**n) != op.wire));
    let operation_name = if names.len() == 1 {
        json!({"type": "string", "const": op.name})
    } else {
        json!({"type": "string", "enum": names})
    };
    let mut properties = Map::new();
    properties.insert("operationName".into(), operation_name);
    let mut required = vec![json!("operationName")];
    let mut groups: Vec<(&str, Vec<&str>)> = Vec::new();
    let mut with: Vec<Value> = Vec::new();
    let mut rules = Map::new();
    for p in op.params {
        let mut schema = match p.ty {
            ParamType::String => json!({"type": "string"}),
            ParamType::Boolean => json!({"type": "boolean"}),
            ParamType::Uri => json!({"$ref": "definitions.schema.json#/$defs/uri"}),
            ParamType::Path => json!({"$ref": "definitions.schema.json#/$defs/path"}),
            ParamType::Object => json!({"type": "object"}),
            ParamType::StringArray => json!({"type": "array", "items": {"type": "string"}}),
        };
        let media = if p.media.is_empty() {
            String::new()
        } else {
            let names: Vec<&str> = p.media.iter().map(|m| m.name()).collect();
            format!(" Documented for {} only.", names.join(", "))
        };
        if let Some(o) = schema.as_object_mut() {
            o.insert("description".into(), json!(format!("{}.{media}", p.doc)));
        }
        properties.insert(p.name.into(), schema);
        match p.need {
            Need::Mandatory => required.push(json!(p.name)),
            Need::Optional => {}
            Need::OneOf(group) => match groups.iter_mut().find(|(g, _)| *g == group) {
                Some((_, members)) => members.push(p.name),
                None => groups.push((group, vec![p.name])),
            },
            Need::With(other) => with.push(json!({
                "if": {"required": [p.name]},
                "then": {"required": [other]},
                "x-rules": {"required": format!("{} must be provided together with {other}", p.name)},
            })),
        }
    }
    let mut doc = Map::new();
    doc.insert(
        "$schema".into(),
        json!("https://json-schema.org/draft/2020-12/schema"),
    );
    doc.insert(
        "$id".into(),
        json!(format!(
            "{SCHEMA_BASE_URI}{}.schema.json",
            op.request_schema()
        )),
    );
    doc.insert("title".into(), json!(format!("{} request body", op.name)));
    let collections: Vec<&str> = op
        .pages
        .iter()
        .map(|(m, _)| m.names().collection.newest())
        .collect();
    doc.insert(
        "description".into(),
        json!(format!(
            "POST /api/v2/me/{{{}}}/{{id}} body of the {} operation. Generated from the operation table (crates/gws-contract/src/operations.rs); do not edit.",
            collections.join("|"),
            op.name
        )),
    );
    let sources: Vec<Value> = op
        .pages
        .iter()
        .filter_map(|(_, tag)| pages::page(tag))
        .map(|p| json!({"page": format!("{} ({}, {})", p.title, p.tag, p.revision), "url": p.url}))
        .collect();
    doc.insert("x-source".into(), Value::Array(sources));
    doc.insert("type".into(), json!("object"));
    doc.insert("required".into(), Value::Array(required));
    doc.insert("properties".into(), Value::Object(properties));
    let mut all_of = with;
    for (group, members) in &groups {
        let any: Vec<Value> = members.iter().map(|m| json!({"required": [m]})).collect();
        rules.insert(
            "anyOf".into(),
            json!(format!(
                "{} names its {group}: {} (each is mandatory if the others are not specified)",
                op.name,
                members.join(" or ")
            )),
        );
        if groups.len() == 1 {
            doc.insert("anyOf".into(), Value::Array(any));
        } else {
            all_of.push(json!({"anyOf": any}));
        }
    }
    if !all_of.is_empty() {
        doc.insert("allOf".into(), Value::Array(all_of));
    }
    if !rules.is_empty() {
        doc.insert("x-rules".into(), Value::Object(rules));
    }
    Value::Object(doc)
}
