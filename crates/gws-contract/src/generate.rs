//! Schemas generated from the tables:
//! - each operation's request body schema (`schemas/<operation>-request.schema.json`) from its
//!   row of [`crate::operations::OPERATIONS`];
//! - each media's notification schemas (`schemas/<media>-state-change.schema.json`,
//!   `schemas/<media>-message-log.schema.json`) from one template per kind and the media's row of
//!   the names table ([`crate::NAMES`]): the `messageType` and resource key spellings (one
//!   documented spelling: `const` and required; several: `enum` and exactly one key of them),
//!   the transcript keys; their `x-source` are the pages of the documented samples they judge
//!   (the fixtures' provenance) and the media's notifications page;
//! - for a media whose names the documentation spells more than one way, the strict overlays
//!   (`schemas/strict/…`): the newest spelling of each name that varies (target-contract
//!   section 4), citing the samples that use it.
//!
//! The generated files are checked in so that a vendor reads them like any other schema; the
//! test `generated_schemas_are_current` (tests/generated.rs) fails when a file differs from
//! what the table gives, and `UPDATE_SCHEMAS=1 cargo test -p gws-contract --test generated`
//! rewrites them.

use serde_json::{Map, Value, json};

use crate::{
    SCHEMA_BASE_URI,
    fixtures::{Spelling, fixtures},
    names::{Media, Names},
    operations::{Need, OPERATIONS, Operation, ParamType},
    pages,
};

/// Every generated schema as (path under `schemas/`, document): the request schemas in table
/// order, then per media (in [`Media::ALL`] order) its state-change and message-log schemas and
/// their strict overlays.
pub fn generated_schemas() -> Vec<(String, Value)> {
    let mut out: Vec<(String, Value)> = OPERATIONS
        .iter()
        .map(|op| {
            (
                format!("{}.schema.json", op.request_schema()),
                request_schema(op),
            )
        })
        .collect();
    for media in Media::ALL {
        let n = media.names();
        for (kind, doc) in [
            ("state-change", state_change_schema(n)),
            ("message-log", message_log_schema(n)),
        ] {
            out.push((format!("{}-{kind}.schema.json", n.media), doc));
        }
        if let Some(doc) = strict_state_change_schema(n) {
            out.push((format!("strict/{}-state-change.schema.json", n.media), doc));
        }
        if let Some(doc) = strict_message_log_schema(n) {
            out.push((format!("strict/{}-message-log.schema.json", n.media), doc));
        }
    }
    out
}

/// The pages of the documented samples that `schema` judges (those with `spelling`, when
/// given), each once, in the fixtures' order, as `x-source` entries.
fn sample_sources(schema: &str, spelling: Option<Spelling>) -> Vec<Value> {
    let mut seen: Vec<(String, String)> = Vec::new();
    for f in fixtures() {
        if f.schema != schema || spelling.is_some_and(|s| f.provenance.spelling != s) {
            continue;
        }
        let key = (f.provenance.page.clone(), f.provenance.url.clone());
        if !seen.contains(&key) {
            seen.push(key);
        }
    }
    seen.into_iter()
        .map(|(page, url)| json!({"page": page, "url": url}))
        .collect()
}

/// The `x-source` of a notification schema of `names`: its samples' pages, then the media's
/// notifications page.
fn notification_sources(names: &Names, schema: &str) -> Value {
    let mut sources = sample_sources(schema, None);
    if let Some(p) = names.notifications_page.and_then(pages::page) {
        sources.push(json!({"page": format!("{} ({})", p.title, p.tag), "url": p.url}));
    }
    Value::Array(sources)
}

/// The head every generated schema starts with.
fn head(path: &str, title: &str, description: &str, sources: Value) -> Map<String, Value> {
    let mut doc = Map::new();
    doc.insert(
        "$schema".into(),
        json!("https://json-schema.org/draft/2020-12/schema"),
    );
    doc.insert(
        "$id".into(),
        json!(format!("{SCHEMA_BASE_URI}{path}.schema.json")),
    );
    doc.insert("title".into(), json!(title));
    doc.insert("description".into(), json!(description));
    doc.insert("x-source".into(), sources);
    doc
}

const GENERATED_FROM_NAMES: &str = "Generated from the names table (crates/gws-contract/src/names.rs) and the samples' provenance (fixtures/index.json); do not edit.";

/// The state-change notification data schema of a media (StatusChange, ParticipantsUpdated,
/// PropertiesUpdated, Error): `messageType` one of its documented spellings, the resource under
/// exactly one of its documented keys.
pub fn state_change_schema(names: &Names) -> Value {
    let schema = format!("{}-state-change", names.media);
    let mut doc = head(
        &schema,
        &format!("{} notification data", names.state_message_type.newest()),
        &format!(
            "The data of a state-change CometD notification (StatusChange, ParticipantsUpdated, PropertiesUpdated, Error), without the Bayeux envelope. {GENERATED_FROM_NAMES}"
        ),
        notification_sources(names, &schema),
    );
    doc.insert("type".into(), json!("object"));
    let keys = names.resource_key.all;
    let mut required = vec![json!("messageType"), json!("notificationType")];
    if keys.len() == 1 {
        required.push(json!(keys[0]));
    }
    doc.insert("required".into(), Value::Array(required));
    let message_types = names.state_message_type.all;
    let mut properties = Map::new();
    properties.insert(
        "messageType".into(),
        if message_types.len() == 1 {
            json!({"type": "string", "const": message_types[0]})
        } else {
            json!({"type": "string", "enum": message_types})
        },
    );
    properties.insert(
        "notificationType".into(),
        json!({"$ref": "definitions.schema.json#/$defs/state-change-notification-type"}),
    );
    properties.insert(
        "referenceId".into(),
        json!({"$ref": "definitions.schema.json#/$defs/reference-id"}),
    );
    for key in keys {
        properties.insert(
            (*key).into(),
            json!({"$ref": "definitions.schema.json#/$defs/interaction"}),
        );
    }
    doc.insert("properties".into(), Value::Object(properties));
    if keys.len() > 1 {
        doc.insert(
            "oneOf".into(),
            Value::Array(keys.iter().map(|k| json!({"required": [k]})).collect()),
        );
        doc.insert(
            "x-rules".into(),
            json!({"oneOf": format!(
                "the resource is under exactly one of the documented keys: {}",
                keys.join(" or ")
            )}),
        );
    }
    Value::Object(doc)
}

/// The MessageLogUpdated / NewMessages notification data schema of a media: the transcript
/// messages and the interaction's `uri` under the media's key (its `path` optional).
pub fn message_log_schema(names: &Names) -> Value {
    let schema = format!("{}-message-log", names.media);
    let uri = names.log_uri_key.newest();
    let mut doc = head(
        &schema,
        &format!("MessageLogUpdated notification data ({})", names.media),
        &format!(
            "The data of a MessageLogUpdated / NewMessages CometD notification for {}, keyed by {uri}, without the Bayeux envelope. {GENERATED_FROM_NAMES}",
            names.media
        ),
        notification_sources(names, &schema),
    );
    doc.insert("type".into(), json!("object"));
    doc.insert(
        "required".into(),
        json!(["messageType", "notificationType", "messages", uri]),
    );
    let mut properties = Map::new();
    properties.insert(
        "messageType".into(),
        json!({"type": "string", "const": "MessageLogUpdated"}),
    );
    properties.insert(
        "notificationType".into(),
        json!({"type": "string", "const": "NewMessages"}),
    );
    properties.insert(
        "messages".into(),
        json!({"type": "array", "items": {"$ref": "definitions.schema.json#/$defs/transcript-message"}}),
    );
    properties.insert(
        uri.into(),
        json!({"$ref": "definitions.schema.json#/$defs/uri"}),
    );
    properties.insert(
        names.log_path_key.newest().into(),
        json!({"$ref": "definitions.schema.json#/$defs/path"}),
    );
    properties.insert(
        "referenceId".into(),
        json!({"$ref": "definitions.schema.json#/$defs/reference-id"}),
    );
    doc.insert("properties".into(), Value::Object(properties));
    Value::Object(doc)
}

/// The head of a strict overlay of `schema`: everything the lenient schema asks, plus the
/// newest spellings, citing the samples that use them.
fn strict_head(schema: &str) -> Map<String, Value> {
    let sources: Vec<Value> = sample_sources(schema, Some(Spelling::Newest))
        .into_iter()
        .map(|mut s| {
            if let Some(page) = s["page"].as_str() {
                s["page"] = json!(format!(
                    "{page}: newest spelling, target-contract section 4"
                ));
            }
            s
        })
        .collect();
    let mut doc = head(
        &format!("strict/{schema}"),
        &format!("{schema} (strict: newest documented spelling)"),
        &format!(
            "Strict mode overlay: everything the lenient schema asks, plus the newest documented spelling (target-contract section 4). {GENERATED_FROM_NAMES}"
        ),
        Value::Array(sources),
    );
    doc.insert(
        "allOf".into(),
        json!([{"$ref": format!("../{schema}.schema.json")}]),
    );
    doc
}

/// The strict overlay of a media's state-change schema, when any of its names varies.
pub fn strict_state_change_schema(names: &Names) -> Option<Value> {
    let (types, keys, collection) = (
        &names.state_message_type,
        &names.resource_key,
        &names.collection,
    );
    if !(types.varies() || keys.varies() || collection.varies()) {
        return None;
    }
    let mut doc = strict_head(&format!("{}-state-change", names.media));
    let mut properties = Map::new();
    if types.varies() {
        properties.insert(
            "messageType".into(),
            json!({"const": types.newest(), "x-rules": {"const": format!(
                "strict: messageType uses the newest spelling {}", types.newest()
            )}}),
        );
    }
    for older in &keys.all[1..] {
        properties.insert(
            (*older).into(),
            json!({"not": {}, "x-rules": {"not": format!(
                "strict: the resource key uses the newest spelling {}, not {older}", keys.newest()
            )}}),
        );
    }
    doc.insert("properties".into(), Value::Object(properties));
    if collection.varies() {
        doc.insert(
            "patternProperties".into(),
            json!({format!("^({})$", keys.all.join("|")): {"properties": {"uri": {
                "pattern": format!("/{}/", collection.newest()),
                "x-rules": {"pattern": format!(
                    "strict: the URI uses the newest collection name /{}/", collection.newest()
                )},
            }}}}),
        );
    }
    Some(Value::Object(doc))
}

/// The strict overlay of a media's message-log schema, when its collection name varies (the
/// transcript keys carry it in their values).
pub fn strict_message_log_schema(names: &Names) -> Option<Value> {
    let collection = &names.collection;
    if !collection.varies() {
        return None;
    }
    let mut doc = strict_head(&format!("{}-message-log", names.media));
    let newest = collection.newest();
    doc.insert(
        "properties".into(),
        json!({
            names.log_uri_key.newest(): {
                "pattern": format!("/{newest}/"),
                "x-rules": {"pattern": format!("strict: the URI uses the newest collection name /{newest}/")},
            },
            names.log_path_key.newest(): {
                "pattern": format!("^/{newest}/"),
                "x-rules": {"pattern": format!("strict: the path uses the newest collection name /{newest}/")},
            },
        }),
    );
    Some(Value::Object(doc))
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
    let collections: Vec<&str> = op
        .pages
        .iter()
        .map(|(m, _)| m.names().collection.newest())
        .collect();
    let sources: Vec<Value> = op
        .pages
        .iter()
        .filter_map(|(_, tag)| pages::page(tag))
        .map(|p| json!({"page": format!("{} ({}, {})", p.title, p.tag, p.revision), "url": p.url}))
        .collect();
    let mut doc = head(
        &op.request_schema(),
        &format!("{} request body", op.name),
        &format!(
            "POST /api/v2/me/{{{}}}/{{id}} body of the {} operation. Generated from the operation table (crates/gws-contract/src/operations.rs); do not edit.",
            collections.join("|"),
            op.name
        ),
        Value::Array(sources),
    );
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
