//! Every documented sample validates against its schema, in both modes where it uses the newest
//! spelling; older spellings fail strict mode at the right instance paths; every repair is needed,
//! sufficient and the only change.

use std::collections::BTreeSet;

use gws_contract::{
    ContractError, Detection, Fixture, FixtureKind, Mode, Spelling, bundle_files, detect_schema,
    errata, fixtures, schema_names, validate,
};
use pretty_assertions::assert_eq;
use serde_json::Value;

/// The sorted, de-duplicated instance paths of the violations of `value` against `schema`
/// (empty when valid).
fn violation_paths(schema: &str, value: &Value, mode: Mode) -> Vec<String> {
    match validate(schema, value, mode) {
        Ok(()) => Vec::new(),
        Err(ContractError::Invalid(v)) => {
            assert!(!v.is_empty(), "Invalid without violations for {schema}");
            v.into_iter()
                .map(|v| v.instance_path)
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect()
        }
        Err(e) => panic!("{schema}: {e}"),
    }
}

#[test]
fn the_agreed_schema_names_exist() {
    let expected = [
        "accept-request",
        "bayeux-envelope",
        "chat-message-log",
        "chat-state-change",
        "complete-request",
        "consult-request",
        "facebooksession-message-log",
        "facebooksession-state-change",
        "leave-request",
        "operation-response",
        "reject-request",
        "sendmessage-request",
        "smssession-message-log",
        "smssession-state-change",
    ];
    assert_eq!(schema_names(), expected.to_vec());
    assert!(matches!(
        validate("no-such-schema", &Value::Null, Mode::Lenient),
        Err(ContractError::UnknownSchema(name)) if name == "no-such-schema"
    ));
}

#[test]
fn every_seed_sample_is_a_fixture_in_page_order() {
    let all = fixtures();
    // 5 + 5 + 4 + 5 + 5 samples on the five pages.
    assert_eq!(all.len(), 24);
    let per_seed = |seed: &str| -> Vec<(u32, FixtureKind)> {
        all.iter()
            .filter(|f| {
                f.provenance
                    .seed
                    .as_deref()
                    .is_some_and(|s| s.starts_with(seed))
            })
            .map(|f| (f.provenance.order, f.provenance.kind))
            .collect()
    };
    use FixtureKind::*;
    let accept = vec![
        (1, Request),
        (2, Response),
        (3, Notification),
        (4, Notification),
        (5, Notification),
    ];
    for seed in ["000", "001", "003", "004"] {
        assert_eq!(per_seed(seed), accept, "seed {seed}");
    }
    assert_eq!(
        per_seed("002"),
        vec![
            (1, Request),
            (2, Response),
            (3, Notification),
            (4, Notification)
        ]
    );
    for f in &all {
        assert!(f.provenance.url.starts_with("https://"), "{}", f.path);
        assert!(
            !f.provenance.page.is_empty() && !f.provenance.heading.is_empty(),
            "{}",
            f.path
        );
        assert!(
            schema_names().contains(&f.schema.as_str()),
            "{}: {}",
            f.path,
            f.schema
        );
    }
}

#[test]
fn every_fixture_validates_in_lenient_mode() {
    for f in fixtures() {
        assert_eq!(
            violation_paths(&f.schema, &f.value, Mode::Lenient),
            Vec::<String>::new(),
            "{}",
            f.path
        );
    }
}

#[test]
fn strict_mode_accepts_the_newest_spelling_and_names_older_ones() {
    let mut older = 0;
    for f in fixtures() {
        let paths = violation_paths(&f.schema, &f.value, Mode::Strict);
        match f.provenance.spelling {
            Spelling::Newest | Spelling::NotApplicable => {
                assert_eq!(paths, Vec::<String>::new(), "{} must pass strict", f.path)
            }
            Spelling::Older => {
                older += 1;
                assert!(!paths.is_empty(), "{} uses an older spelling", f.path);
                assert_eq!(paths, f.provenance.strict_instance_paths, "{}", f.path);
            }
        }
    }
    // 2015 Accept: 3 notifications; 2016 Consult: the state change.
    assert_eq!(older, 4);
}

#[test]
fn the_schema_is_detected_from_each_fixture() {
    for f in fixtures() {
        assert_eq!(
            detect_schema(&f.value),
            Some(f.schema.as_str()),
            "{}",
            f.path
        );
    }
    assert_eq!(detect_schema(&serde_json::json!({"hello": 1})), None);
    assert_eq!(detect_schema(&serde_json::json!([1])), None);
    assert_eq!(
        detect_schema(&serde_json::json!({"operationName": "Reject"})),
        Some("reject-request")
    );
    assert_eq!(
        detect_schema(&serde_json::json!({"operationName": "Dance"})),
        None
    );
    assert_eq!(
        detect_schema(&serde_json::json!({"channel": "/v2/me/chats", "data": {}})),
        Some("bayeux-envelope")
    );
}

/// Applies every erratum of `f` except `skip` to its original text.
fn repaired_without(f: &Fixture, skip: Option<&str>) -> String {
    let original = f.original.expect("a repaired fixture keeps its original");
    f.errata
        .iter()
        .filter(|e| Some(e.id.as_str()) != skip)
        .fold(original.to_owned(), |text, e| e.apply(&text))
}

#[test]
fn each_original_is_rejected_and_its_repair_is_the_only_change() {
    let mut repaired = 0;
    for f in fixtures() {
        let Some(original) = f.original else {
            assert!(f.errata.is_empty(), "{}", f.path);
            continue;
        };
        repaired += 1;
        let rejected = match serde_json::from_str::<Value>(original) {
            Err(_) => true,
            Ok(v) => validate(&f.schema, &v, Mode::Lenient).is_err(),
        };
        assert!(rejected, "the original of {} must be rejected", f.path);
        let text = repaired_without(&f, None);
        let value: Value = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{}: repairs do not give JSON: {e}", f.path));
        assert_eq!(
            value, f.value,
            "{}: the fixture differs from original + repairs",
            f.path
        );
    }
    assert_eq!(repaired, 5);
}

#[test]
fn each_repair_is_needed_and_its_absence_is_detected_as_documented() {
    let mut counted = 0;
    for f in fixtures() {
        for e in &f.errata {
            counted += 1;
            for edit in &e.edits {
                assert!(
                    f.original.unwrap().contains(&edit.find),
                    "{}: `{}` not in the original",
                    e.id,
                    edit.find
                );
            }
            let text = repaired_without(&f, Some(&e.id));
            let parsed = serde_json::from_str::<Value>(&text);
            match e.detected_by {
                Detection::Parser => {
                    assert!(parsed.is_err(), "{}: should not parse without it", e.id)
                }
                Detection::Schema => {
                    let value = parsed.unwrap_or_else(|err| panic!("{}: {err}", e.id));
                    assert_eq!(
                        violation_paths(&f.schema, &value, Mode::Lenient),
                        e.instance_paths,
                        "{}",
                        e.id
                    );
                }
                Detection::None => {
                    let value = parsed.unwrap_or_else(|err| panic!("{}: {err}", e.id));
                    assert_eq!(
                        violation_paths(&f.schema, &value, Mode::Lenient),
                        Vec::<String>::new(),
                        "{}",
                        e.id
                    );
                    assert_ne!(value, f.value, "{}: the repair changes nothing", e.id);
                }
            }
        }
    }
    assert_eq!(
        counted,
        errata().len(),
        "every erratum belongs to a fixture"
    );
}

#[test]
fn the_errata_file_lists_every_repair() {
    let md = bundle_files()
        .into_iter()
        .find(|(p, _)| p == "fixtures/ERRATA.md")
        .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
        .expect("fixtures/ERRATA.md is embedded");
    for e in errata() {
        assert!(md.contains(&e.id), "ERRATA.md does not list {}", e.id);
    }
}

#[test]
fn the_bundle_holds_every_schema_and_fixture_sorted() {
    let files = bundle_files();
    let paths: Vec<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted);
    for name in schema_names() {
        assert!(
            paths.contains(&format!("schemas/{name}.schema.json").as_str()),
            "{name}"
        );
    }
    for f in fixtures() {
        assert!(
            paths.contains(&format!("fixtures/{}", f.path).as_str()),
            "{}",
            f.path
        );
    }
    for e in errata() {
        assert!(
            paths.contains(&format!("fixtures/{}", e.original).as_str()),
            "{}",
            e.original
        );
    }
    assert!(paths.contains(&"schemas/README.md"));
    // Every fixture JSON on disk is indexed (no stray, unjudged file).
    let indexed: BTreeSet<String> = fixtures()
        .into_iter()
        .map(|f| format!("fixtures/{}", f.path))
        .collect();
    for p in paths
        .iter()
        .filter(|p| p.starts_with("fixtures/") && p.ends_with(".json"))
    {
        if *p != "fixtures/index.json" && *p != "fixtures/errata.json" {
            assert!(indexed.contains(*p), "{p} is not in fixtures/index.json");
        }
    }
}

#[test]
fn the_schema_readme_table_names_every_schema_and_fixture() {
    let readme = bundle_files()
        .into_iter()
        .find(|(p, _)| p == "schemas/README.md")
        .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
        .expect("schemas/README.md is embedded");
    for name in schema_names() {
        let row = readme
            .lines()
            .find(|l| l.starts_with(&format!("| `{name}`")))
            .unwrap_or_else(|| panic!("no README row for {name}"));
        for f in fixtures().into_iter().filter(|f| f.schema == name) {
            assert!(
                row.contains(&format!("`{}`", f.path)),
                "README row of {name} lacks {}",
                f.path
            );
        }
        for source in gws_contract::schema_sources(name).unwrap() {
            assert!(
                row.contains(&source.url),
                "README row of {name} lacks {}",
                source.url
            );
        }
    }
}
