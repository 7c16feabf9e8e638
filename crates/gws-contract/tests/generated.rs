//! The schemas generated from the tables (`gws_contract::generated_schemas`) are checked in
//! under `schemas/`; this test fails when a checked-in file differs from what the tables give.
//! `UPDATE_SCHEMAS=1 cargo test -p gws-contract --test generated` rewrites them.

use std::path::PathBuf;

#[test]
fn generated_schemas_are_current() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../schemas");
    let update = std::env::var_os("UPDATE_SCHEMAS").is_some();
    let mut stale = Vec::new();
    for (file, doc) in gws_contract::generated_schemas() {
        let path = dir.join(&file);
        let want = format!("{}\n", serde_json::to_string_pretty(&doc).unwrap());
        let have = std::fs::read_to_string(&path).unwrap_or_default();
        if have != want {
            if update {
                std::fs::write(&path, &want).unwrap();
            } else {
                stale.push(file);
            }
        }
    }
    assert!(
        stale.is_empty(),
        "generated schemas out of date (run UPDATE_SCHEMAS=1 cargo test -p gws-contract --test generated): {stale:?}"
    );
}

#[test]
fn every_generated_schema_is_embedded_and_compiles() {
    for (file, _) in gws_contract::generated_schemas() {
        let name = file.trim_end_matches(".schema.json");
        // A strict overlay is compiled with its lenient schema.
        let name = name.strip_prefix("strict/").unwrap_or(name);
        assert!(
            gws_contract::schema_names().contains(&name),
            "{name} is not embedded (rebuild after UPDATE_SCHEMAS=1)"
        );
    }
}

#[test]
fn request_schemas_follow_the_table() {
    use serde_json::json;
    let ok = |schema: &str, v: serde_json::Value| {
        gws_contract::validate(schema, &v, Default::default()).is_ok()
    };
    assert!(ok("reject-request", json!({"operationName": "Reject"})));
    assert!(!ok("reject-request", json!({"operationName": "Accept"})));
    assert!(ok(
        "sendmessage-request",
        json!({"operationName": "SendMessage", "text": "hi"})
    ));
    assert!(!ok(
        "sendmessage-request",
        json!({"operationName": "SendMessage"})
    ));
    assert!(!ok(
        "complete-request",
        json!({"operationName": "Complete", "messageType": "Text"})
    ));
    assert!(ok(
        "complete-request",
        json!({"operationName": "Complete", "text": "bye", "messageType": "Text"})
    ));
    assert!(!ok("consult-request", json!({"operationName": "Consult"})));
    assert!(ok(
        "consult-request",
        json!({"operationName": "Consult", "targetPath": "/users/x"})
    ));
    assert_eq!(
        gws_contract::detect_schema(&json!({"operationName": "Leave"})),
        Some("leave-request")
    );
    assert_eq!(
        gws_contract::detect_schema(&json!({"operationName": "Dance"})),
        None
    );
}
