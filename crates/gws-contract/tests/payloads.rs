//! Rules checked from the documentation side: "required where every documented sample carries
//! it" (derived from the fixtures, independently of the schemas), the provider-state Invited
//! offer, error responses, Consult targets, the Bayeux envelope, and the rendering of violations.

use std::collections::{BTreeMap, BTreeSet};

use gws_contract::{ContractError, Mode, Violation, detect_schema, fixtures, validate};
use pretty_assertions::assert_eq;
use serde_json::{Value, json};

fn violations(schema: &str, value: &Value, mode: Mode) -> Vec<Violation> {
    match validate(schema, value, mode) {
        Ok(()) => Vec::new(),
        Err(ContractError::Invalid(v)) => v,
        Err(e) => panic!("{e}"),
    }
}

fn paths(schema: &str, value: &Value) -> Vec<String> {
    let set: BTreeSet<String> = violations(schema, value, Mode::Lenient)
        .into_iter()
        .map(|v| v.instance_path)
        .collect();
    set.into_iter().collect()
}

/// The kinds of documented object, and where each occurs in a fixture.
/// Per kind of object: the keys every sample carries so far, and where the samples are
/// (fixture index, pointer).
type KeysAndPlaces = (Option<BTreeSet<String>>, Vec<(usize, String)>);

fn objects_of(fixture: &Value, schema: &str) -> Vec<(String, String)> {
    // A bare resource (SMSResources' GET sample, `<media>-resource`) is an interaction, judged
    // with the resources inside the state-change notifications.
    if schema.ends_with("-resource") {
        let mut out = vec![("interaction".to_owned(), String::new())];
        for (i, _) in fixture["participants"]
            .as_array()
            .into_iter()
            .flatten()
            .enumerate()
        {
            out.push(("participant".into(), format!("/participants/{i}")));
        }
        return out;
    }
    let mut out = vec![(format!("{schema} payload"), String::new())];
    for key in ["chat", "facebooksession", "facebooksessions", "smssession"] {
        if let Some(resource) = fixture.get(key) {
            out.push(("interaction".into(), format!("/{key}")));
            for (i, _) in resource["participants"]
                .as_array()
                .into_iter()
                .flatten()
                .enumerate()
            {
                out.push(("participant".into(), format!("/{key}/participants/{i}")));
            }
        }
    }
    for (i, _) in fixture
        .get("messages")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        out.push(("transcript message".into(), format!("/messages/{i}")));
        out.push(("participant".into(), format!("/messages/{i}/from")));
    }
    out
}

/// Whether `key` of a `<operation>-request payload` is a parameter its operation's table calls
/// optional.
fn documented_optional(kind: &str, key: &str) -> bool {
    use gws_contract::operations::Need;
    let Some(schema) = kind.strip_suffix(" payload") else {
        return false;
    };
    gws_contract::OPERATIONS.iter().any(|o| {
        o.request_schema() == schema
            && o.params
                .iter()
                .any(|p| p.name == key && matches!(p.need, Need::Optional))
    })
}

#[test]
fn every_property_that_every_sample_carries_is_required() {
    // kind -> (common keys so far, [(fixture index, pointer)])
    let all = fixtures();
    let mut kinds: BTreeMap<String, KeysAndPlaces> = BTreeMap::new();
    for (i, f) in all.iter().enumerate() {
        for (kind, pointer) in objects_of(&f.value, &f.schema) {
            let keys: BTreeSet<String> = f
                .value
                .pointer(&pointer)
                .unwrap()
                .as_object()
                .unwrap()
                .keys()
                .cloned()
                .collect();
            let entry = kinds.entry(kind).or_default();
            entry.0 = Some(match entry.0.take() {
                None => keys,
                Some(common) => common.intersection(&keys).cloned().collect(),
            });
            entry.1.push((i, pointer));
        }
    }
    let mut checked = 0;
    let mut optional_kept = Vec::new();
    for (kind, (common, places)) in &kinds {
        for key in common.as_ref().unwrap() {
            // The parameter table outranks the samples: a parameter the page calls optional
            // (SetDisposition's dispositionKey, printed in all three samples) stays optional.
            if documented_optional(kind, key) {
                optional_kept.push(format!("{kind}: {key}"));
                continue;
            }
            for (i, pointer) in places {
                let f = &all[*i];
                let mut value = f.value.clone();
                value
                    .pointer_mut(pointer)
                    .unwrap()
                    .as_object_mut()
                    .unwrap()
                    .shift_remove(key);
                checked += 1;
                assert!(
                    paths(&f.schema, &value).contains(pointer),
                    "{}: every {kind} sample carries `{key}`, yet removing it at {pointer:?} passes",
                    f.path
                );
            }
        }
    }
    // `capabilities` is carried by every interaction sample that is not finished (Completed or
    // Revoked) and by no documented Reject/Complete notification: required on that condition.
    let interaction = kinds["interaction"].0.as_ref().unwrap();
    assert!(
        !interaction.contains("capabilities"),
        "every interaction sample lists capabilities: the condition is no longer documented"
    );
    let mut finished_without = 0;
    for (i, pointer) in &kinds["interaction"].1 {
        let f = &all[*i];
        let resource = f.value.pointer(pointer).unwrap();
        let finished = matches!(resource["state"].as_str(), Some("Completed" | "Revoked"));
        if finished {
            finished_without += usize::from(resource.get("capabilities").is_none());
            continue;
        }
        assert!(
            resource.get("capabilities").is_some(),
            "{}: an unfinished interaction without capabilities",
            f.path
        );
        let mut value = f.value.clone();
        value
            .pointer_mut(pointer)
            .unwrap()
            .as_object_mut()
            .unwrap()
            .shift_remove("capabilities");
        checked += 1;
        assert!(
            paths(&f.schema, &value).contains(pointer),
            "{}: removing capabilities of an unfinished interaction at {pointer:?} passes",
            f.path
        );
    }
    assert!(finished_without >= 5, "{finished_without}");
    assert!(checked > 300, "{checked}");
    assert_eq!(
        optional_kept,
        vec!["setdisposition-request payload: dispositionKey".to_owned()]
    );
}

fn invited(media_key: &str, message_type: &str, capabilities: Option<Value>) -> Value {
    let collection = match media_key {
        "chat" => "chats",
        "smssession" => "smssessions",
        _ => "facebooksessions",
    };
    let mut resource = json!({
        "id": "00000000000000AB",
        "state": "Invited",
        "uri": format!("http://127.0.0.1:8080/api/v2/{collection}/00000000000000AB"),
        "participants": [{"type": "Customer", "nickname": "PersonP", "participantId": "0000000000000001"}],
    });
    if let Some(c) = capabilities {
        resource["capabilities"] = c;
    }
    json!({"messageType": message_type, "notificationType": "StatusChange", media_key: resource})
}

#[test]
fn the_provider_state_offer_validates_and_needs_capabilities() {
    for (key, message_type, schema) in [
        ("chat", "ChatStateChangeMessage", "chat-state-change"),
        (
            "facebooksessions",
            "facebooksessionStateChangeMessage",
            "facebooksession-state-change",
        ),
        (
            "smssession",
            "SMSsessionStateChangeMessage",
            "smssession-state-change",
        ),
    ] {
        let offer = invited(key, message_type, Some(json!(["Accept", "Reject"])));
        assert_eq!(detect_schema(&offer), Some(schema));
        assert_eq!(paths(schema, &offer), Vec::<String>::new(), "{schema}");
        let missing = invited(key, message_type, None);
        assert_eq!(paths(schema, &missing), vec![format!("/{key}")], "{schema}");
        let rule = &violations(schema, &missing, Mode::Lenient)[0].rule;
        assert!(
            rule.contains("`capabilities` is required") && rule.contains("lists its capabilities"),
            "{rule}"
        );
        // A finished interaction may omit them (documented Reject/Complete notifications).
        let mut completed = missing.clone();
        completed[key]["state"] = json!("Completed");
        assert_eq!(paths(schema, &completed), Vec::<String>::new(), "{schema}");
    }
    // Strict mode: the newest Facebook spelling passes, the resource key `facebooksession` fails.
    let newest = invited(
        "facebooksessions",
        "facebooksessionStateChangeMessage",
        Some(json!(["Accept"])),
    );
    assert!(validate("facebooksession-state-change", &newest, Mode::Strict).is_ok());
    let mut singular = newest.clone();
    let resource = singular
        .as_object_mut()
        .unwrap()
        .shift_remove("facebooksessions")
        .unwrap();
    singular["facebooksession"] = resource;
    let strict: BTreeSet<String> =
        violations("facebooksession-state-change", &singular, Mode::Strict)
            .into_iter()
            .map(|v| v.instance_path)
            .collect();
    assert_eq!(
        strict.into_iter().collect::<Vec<_>>(),
        vec!["/facebooksession".to_owned()]
    );
    // Lenient: exactly one resource key.
    let mut both = newest.clone();
    both["facebooksession"] = both["facebooksessions"].clone();
    assert_eq!(
        paths("facebooksession-state-change", &both),
        vec![String::new()]
    );
}

#[test]
fn error_responses_carry_a_status_message() {
    let schema = "operation-response";
    assert_eq!(
        paths(schema, &json!({"statusCode": 0, "referenceId": 35})),
        Vec::<String>::new()
    );
    assert_eq!(
        paths(
            schema,
            &json!({"statusCode": 2, "statusMessage": "invalid state"})
        ),
        Vec::<String>::new()
    );
    assert_eq!(
        paths(schema, &json!({"statusCode": 2})),
        vec![String::new()]
    );
    let v = &violations(schema, &json!({"statusCode": 2}), Mode::Lenient)[0];
    assert_eq!(v.expected, "property `statusMessage` present");
    assert!(v.rule.contains("an error response"), "{}", v.rule);
    assert!(v.source.starts_with("Return Values"), "{}", v.source);
    assert_eq!(
        paths(schema, &json!({"statusCode": -1, "statusMessage": "x"})),
        vec!["/statusCode".to_owned()]
    );
    assert_eq!(paths(schema, &json!({"status": 0})), vec![String::new()]);
    assert!(paths(schema, &json!({"statusCode": "0"})).contains(&"/statusCode".to_owned()));
}

#[test]
fn consult_names_at_least_one_target() {
    let schema = "consult-request";
    assert_eq!(
        paths(
            schema,
            &json!({"operationName": "Consult", "targetPath": "/users/2"})
        ),
        Vec::<String>::new()
    );
    assert_eq!(
        paths(
            schema,
            &json!({"operationName": "Consult", "targetUri": "http://h/api/v2/users/2", "targetPath": "/users/2"})
        ),
        Vec::<String>::new()
    );
    let v = violations(schema, &json!({"operationName": "Consult"}), Mode::Lenient);
    assert_eq!(v.len(), 1);
    assert_eq!(v[0].expected, "at least one of `targetUri`, `targetPath`");
    assert_eq!(v[0].instance_path, "");
    assert_eq!(
        paths(
            schema,
            &json!({"operationName": "Consult", "targetPath": "users/2"})
        ),
        vec!["/targetPath".to_owned()]
    );
}

#[test]
fn the_bayeux_envelope_wraps_every_notification() {
    for f in fixtures()
        .into_iter()
        .filter(|f| f.provenance.kind == gws_contract::FixtureKind::Notification)
    {
        let envelope =
            json!({"channel": format!("/v2/me/{}", f.provenance.media), "data": f.value});
        assert_eq!(detect_schema(&envelope), Some("bayeux-envelope"));
        assert_eq!(
            paths("bayeux-envelope", &envelope),
            Vec::<String>::new(),
            "{}",
            f.path
        );
    }
    let schema = "bayeux-envelope";
    assert_eq!(paths(schema, &json!({"data": {}})), vec![String::new()]);
    assert_eq!(
        paths(schema, &json!({"channel": "v2/me/chats", "data": {}})),
        vec!["/channel".to_owned()]
    );
    assert_eq!(
        paths(schema, &json!({"channel": "/v2/me/chats", "data": []})),
        vec!["/data".to_owned()]
    );
    assert_eq!(
        paths(
            schema,
            &json!({"channel": "/v2/me/chats", "data": {}, "id": "7", "ext": {}})
        ),
        Vec::<String>::new()
    );
}

#[test]
fn the_documentation_error_test_accept_is_detected_and_rejected() {
    let f =
        gws_contract::fixture("smssession/accept/2016/3-notification-status-change-chatting.json")
            .unwrap();
    let original: Value = serde_json::from_str(f.original.unwrap()).unwrap();
    assert_eq!(detect_schema(&original), Some("smssession-state-change"));
    let v = violations("smssession-state-change", &original, Mode::Lenient);
    assert_eq!(v.len(), 1);
    assert_eq!(
        (
            v[0].instance_path.as_str(),
            v[0].expected.as_str(),
            v[0].actual.as_str()
        ),
        (
            "/messageType",
            "\"SMSsessionStateChangeMessage\"",
            "\"test_accept \""
        )
    );
}

#[test]
fn a_violation_renders_as_a_block() {
    let mut value =
        gws_contract::fixture("chat/accept/2015/4-notification-participants-updated.json")
            .unwrap()
            .value;
    value["chat"]["participants"][1]["type"] = json!("Supervisor");
    let v = violations("chat-state-change", &value, Mode::Lenient);
    assert_eq!(v.len(), 1);
    let expected = "\
rule:     `type` must be one of the documented values
page:     Chat API: Accept (ChatAccept, 8.5.2, revision before oldid 360731) — https://enu.docs.genesys.com/index.php?direction=prev&oldid=360731&title=Documentation%3AHTCC%3AAPI%3AChatAccept%3A8.5.2 (also documented on 6 more page(s): https://docs.genesys.com/Documentation/GWS/8.5.2/API/ChatReject, https://docs.genesys.com/Documentation/HTCC/latest/API/ChatComplete and 4 more)
path:     /chat/participants/1/type
expected: one of [\"Agent\",\"Customer\"]
actual:   \"Supervisor\"
schema:   chat-state-change /properties/chat/$ref/properties/participants/items/$ref/properties/type/$ref/enum";
    assert_eq!(v[0].to_string(), expected);
    assert_eq!(v[0].schema, "chat-state-change");
}

#[test]
fn long_actual_values_are_truncated() {
    let value = json!({"operationName": "Accept", "nickname": ["x".repeat(1000)]});
    let v = violations("accept-request", &value, Mode::Lenient);
    assert_eq!(v.len(), 1);
    assert!(v[0].actual.chars().count() < 260, "{}", v[0].actual);
    assert!(
        v[0].actual.contains('…') && v[0].actual.ends_with("(array)"),
        "{}",
        v[0].actual
    );
}

/// Every violation of every generated negative cites a documentation page by URL and never a
/// path of this repository (a vendor has the binary, not the source tree).
#[test]
fn violations_cite_documentation_urls_not_repository_paths() {
    let mut checked = 0;
    for name in gws_contract::schema_names() {
        let schema_sources = gws_contract::schema_sources(name).unwrap();
        assert!(!schema_sources.is_empty(), "{name} has no x-source");
        // A payload breaking the root rule of every schema: not even an object.
        for v in violations(name, &json!(["not", "an", "object"]), Mode::Lenient)
            .into_iter()
            .chain(violations(name, &json!({}), Mode::Lenient))
        {
            let text = v.to_string();
            assert!(v.source.contains("https://"), "{name}: {text}");
            for repo_path in [".md", "schemas/", "fixtures/", "docs/"] {
                assert!(
                    !text.contains(repo_path),
                    "{name}: cites `{repo_path}`: {text}"
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 0);
    // The rules that explain a documentation error cite the page that has it.
    let mut value =
        gws_contract::fixture("chat/accept/2015/3-notification-status-change-chatting.json")
            .unwrap()
            .value;
    value["chat"]["uri"] = json!("http: //host: 8090/api/v2/chats/x");
    let v = violations("chat-state-change", &value, Mode::Lenient);
    assert!(!v.is_empty());
    for v in v {
        let text = v.to_string();
        assert!(!text.contains(".md"), "{text}");
        assert!(text.contains("https://"), "{text}");
    }
}
