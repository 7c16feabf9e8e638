//! Negatives generated from the fixtures, not written one by one.
//!
//! A walker follows each fixture through its (lenient) schema, resolving `$ref`s inside the
//! embedded bundle, and collects the rules that apply at each instance location: required
//! properties, typed values, enumerated values. It knows exactly the keywords the bundle uses and
//! fails on any other, so a new keyword cannot silently escape the generator. For every fixture:
//! - each required property is removed: the payload must fail, naming the object that lost it;
//! - each typed value gets another JSON type: the payload must fail at that value;
//! - each enumerated (or constant) string is replaced by an undocumented one: it must fail there.

use std::collections::{BTreeMap, BTreeSet};

use gws_contract::{ContractError, Mode, Violation, fixtures, schema_documents, validate};
use serde_json::{Value, json};

/// Keywords the walker understands; the bundle must use no other.
const KNOWN: &[&str] = &[
    "$schema",
    "$id",
    "$defs",
    "$ref",
    "title",
    "description",
    "x-source",
    "x-rules",
    "type",
    "enum",
    "const",
    "required",
    "properties",
    "items",
    "pattern",
    "minLength",
    "minimum",
    "uniqueItems",
    "if",
    "then",
    "else",
    "anyOf",
    "oneOf",
    "allOf",
];

#[derive(Default)]
struct Rules {
    /// (object pointer, property) that must be present.
    required: BTreeSet<(String, String)>,
    /// Pointers of values whose JSON type is constrained.
    typed: BTreeSet<String>,
    /// Pointers of string values restricted by `enum` or `const`.
    enumerated: BTreeSet<String>,
}

struct Bundle {
    by_id: BTreeMap<String, &'static Value>,
}

impl Bundle {
    fn new() -> Self {
        let by_id = schema_documents()
            .into_iter()
            .map(|(_, doc)| (doc["$id"].as_str().expect("$id").to_owned(), doc))
            .collect();
        Bundle { by_id }
    }

    /// Resolves `reference` relative to the document `base`: returns (document id, node).
    fn resolve(&self, base: &str, reference: &str) -> (String, &'static Value) {
        let (file, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        let id = if file.is_empty() {
            base.to_owned()
        } else {
            let dir = &base[..=base.rfind('/').expect("absolute $id")];
            format!("{dir}{file}")
        };
        let doc = self
            .by_id
            .get(&id)
            .unwrap_or_else(|| panic!("unresolved $ref {reference} from {base}"));
        let node = doc
            .pointer(fragment)
            .unwrap_or_else(|| panic!("no {fragment} in {id}"));
        (id, node)
    }

    fn walk(&self, base: &str, schema: &Value, instance: &Value, at: &str, rules: &mut Rules) {
        let Some(schema) = schema.as_object() else {
            return;
        };
        for key in schema.keys() {
            assert!(
                KNOWN.contains(&key.as_str()),
                "the walker does not know keyword `{key}` (at {base})"
            );
        }
        if let Some(Value::String(reference)) = schema.get("$ref") {
            let (id, node) = self.resolve(base, reference);
            self.walk(&id, node, instance, at, rules);
        }
        for sub in schema
            .get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            self.walk(base, sub, instance, at, rules);
        }
        if schema.contains_key("type") {
            rules.typed.insert(at.to_owned());
        }
        if (schema.contains_key("enum") || schema.contains_key("const")) && instance.is_string() {
            rules.enumerated.insert(at.to_owned());
        }
        if let Some(if_schema) = schema.get("if") {
            assert!(
                !if_schema.to_string().contains("$ref"),
                "the walker evaluates `if` on its own; keep $ref out of it"
            );
            let holds = jsonschema::draft202012::is_valid(if_schema, instance);
            let branch = if holds {
                schema.get("then")
            } else {
                schema.get("else")
            };
            if let Some(branch) = branch {
                self.walk(base, branch, instance, at, rules);
            }
        }
        for key in ["anyOf", "oneOf"] {
            if let Some(branches) = schema.get(key).and_then(Value::as_array) {
                // The bundle uses these only to pick one of several documented keys.
                let keys: Vec<&str> = branches
                    .iter()
                    .map(|b| {
                        let obj = b.as_object().expect("branch is an object");
                        assert_eq!(obj.len(), 1, "`{key}` branches are `{{\"required\": [k]}}`");
                        b["required"][0].as_str().expect("required key")
                    })
                    .collect();
                let present: Vec<&&str> = keys
                    .iter()
                    .filter(|k| instance.get(**k).is_some())
                    .collect();
                if present.len() == 1 {
                    rules
                        .required
                        .insert((at.to_owned(), present[0].to_string()));
                }
            }
        }
        if let (Some(required), Some(obj)) = (schema.get("required"), instance.as_object()) {
            for name in required.as_array().expect("required is an array") {
                let name = name.as_str().expect("required names are strings");
                if obj.contains_key(name) {
                    rules.required.insert((at.to_owned(), name.to_owned()));
                }
            }
        }
        if let (Some(props), Some(obj)) = (
            schema.get("properties").and_then(Value::as_object),
            instance.as_object(),
        ) {
            for (name, sub) in props {
                if let Some(value) = obj.get(name) {
                    let child = format!("{at}/{}", name.replace('~', "~0").replace('/', "~1"));
                    self.walk(base, sub, value, &child, rules);
                }
            }
        }
        if let (Some(items), Some(array)) = (schema.get("items"), instance.as_array()) {
            for (i, value) in array.iter().enumerate() {
                self.walk(base, items, value, &format!("{at}/{i}"), rules);
            }
        }
    }
}

/// A value of another JSON type than `value`'s.
fn other_type(value: &Value) -> Value {
    match value {
        Value::String(_) => json!(12345),
        Value::Number(_) => json!("12345"),
        Value::Bool(b) => json!(b.to_string()),
        Value::Array(_) => json!({"not": "an array"}),
        Value::Object(_) => json!(["not", "an", "object"]),
        Value::Null => json!("null"),
    }
}

fn violations(schema: &str, value: &Value) -> Vec<Violation> {
    match validate(schema, value, Mode::Lenient) {
        Ok(()) => Vec::new(),
        Err(ContractError::Invalid(v)) => v,
        Err(e) => panic!("{e}"),
    }
}

fn parent_and_key(pointer: &str) -> (&str, String) {
    let (parent, key) = pointer.rsplit_once('/').expect("not the root");
    (parent, key.replace("~1", "/").replace("~0", "~"))
}

#[test]
fn generated_negatives_fail_at_the_right_instance_path() {
    let bundle = Bundle::new();
    let (mut removed, mut retyped, mut replaced) = (0usize, 0usize, 0usize);
    let mut failures = Vec::new();
    for f in fixtures() {
        let (base, node) = bundle.resolve(
            &format!("{}{}.schema.json", gws_contract::SCHEMA_BASE_URI, f.schema),
            "",
        );
        let mut rules = Rules::default();
        bundle.walk(&base, node, &f.value, "", &mut rules);
        assert!(
            !rules.required.is_empty() && !rules.typed.is_empty(),
            "{}: no rules found",
            f.path
        );

        for (object, property) in &rules.required {
            removed += 1;
            let mut value = f.value.clone();
            value
                .pointer_mut(object)
                .and_then(Value::as_object_mut)
                .unwrap()
                .shift_remove(property);
            let found = violations(&f.schema, &value);
            if !found.iter().any(|v| {
                v.instance_path == *object
                    && (v.rule.contains(property.as_str())
                        || v.expected.contains(property.as_str()))
            }) {
                failures.push(format!(
                    "{}: removing {object}/{property} gave {found:#?}",
                    f.path
                ));
            }
        }
        for pointer in &rules.typed {
            retyped += 1;
            let mut value = f.value.clone();
            let target = if pointer.is_empty() {
                &mut value
            } else {
                value.pointer_mut(pointer).unwrap()
            };
            *target = other_type(target);
            let found = violations(&f.schema, &value);
            if !found.iter().any(|v| v.instance_path == *pointer) {
                failures.push(format!("{}: retyping {pointer:?} gave {found:#?}", f.path));
            }
        }
        for pointer in &rules.enumerated {
            replaced += 1;
            let mut value = f.value.clone();
            let (parent, key) = parent_and_key(pointer);
            let slot = value.pointer_mut(parent).unwrap();
            let undocumented = json!("UndocumentedValue");
            match slot {
                Value::Object(o) => {
                    o.insert(key, undocumented);
                }
                Value::Array(a) => a[key.parse::<usize>().unwrap()] = undocumented,
                _ => unreachable!(),
            }
            let found = violations(&f.schema, &value);
            if !found.iter().any(|v| v.instance_path == *pointer) {
                failures.push(format!("{}: replacing {pointer} gave {found:#?}", f.path));
            }
        }
    }
    let total = removed + retyped + replaced;
    println!(
        "generated negatives: {total} ({removed} removed required properties, {retyped} changed JSON types, {replaced} undocumented enumerated values)"
    );
    assert!(
        failures.is_empty(),
        "{} negative(s) passed or failed elsewhere:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(
        total > 1300,
        "only {total} negatives generated (977 from the seed pages, 1338 with the twelve page files)"
    );
    assert!(
        removed > 400 && retyped > 600 && replaced > 150,
        "{removed}/{retyped}/{replaced}"
    );
}

#[test]
fn the_walker_finds_the_documented_rules_of_a_known_fixture() {
    // Guards the generator itself: the Accept request's rules are known by heart.
    let bundle = Bundle::new();
    let f = gws_contract::fixture("chat/accept/2015/1-request.json").expect("fixture");
    let (base, node) = bundle.resolve(
        &format!(
            "{}accept-request.schema.json",
            gws_contract::SCHEMA_BASE_URI
        ),
        "",
    );
    let mut rules = Rules::default();
    bundle.walk(&base, node, &f.value, "", &mut rules);
    let required: Vec<(String, String)> = rules.required.into_iter().collect();
    pretty_assertions::assert_eq!(
        required,
        vec![
            ("".into(), "nickname".into()),
            ("".into(), "operationName".into())
        ]
    );
    pretty_assertions::assert_eq!(
        rules.typed.into_iter().collect::<Vec<_>>(),
        vec!["".to_owned(), "/nickname".into(), "/operationName".into()]
    );
    pretty_assertions::assert_eq!(
        rules.enumerated.into_iter().collect::<Vec<_>>(),
        vec!["/operationName".to_owned()]
    );
}

#[test]
fn every_ref_resolves_inside_the_embedded_bundle() {
    fn refs<'v>(value: &'v Value, out: &mut Vec<&'v str>) {
        match value {
            Value::Object(o) => {
                if let Some(Value::String(r)) = o.get("$ref") {
                    out.push(r);
                }
                o.values().for_each(|v| refs(v, out));
            }
            Value::Array(a) => a.iter().for_each(|v| refs(v, out)),
            _ => {}
        }
    }
    let bundle = Bundle::new();
    let mut count = 0;
    for (path, doc) in schema_documents() {
        let id = doc["$id"].as_str().unwrap();
        assert!(
            id.starts_with(gws_contract::SCHEMA_BASE_URI),
            "{path}: $id {id}"
        );
        assert_eq!(
            doc["$schema"],
            json!("https://json-schema.org/draft/2020-12/schema"),
            "{path}"
        );
        let mut found = Vec::new();
        refs(doc, &mut found);
        for r in found {
            assert!(!r.starts_with("http"), "{path}: absolute $ref {r}");
            let r = r
                .strip_prefix("../")
                .map(|rest| (true, rest))
                .unwrap_or((false, r));
            let base = if r.0 {
                id.replacen("strict/", "", 1)
            } else {
                id.to_owned()
            };
            bundle.resolve(&base, r.1);
            count += 1;
        }
    }
    assert!(count > 20, "{count}");
}
