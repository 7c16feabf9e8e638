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
    // The hand-written schemas, plus one request schema per row of the operation table.
    let mut expected: Vec<String> = [
        "bayeux-envelope",
        "chat-message-log",
        "chat-state-change",
        "facebooksession-message-log",
        "facebooksession-state-change",
        "operation-response",
        "smssession-message-log",
        "smssession-resource",
        "smssession-state-change",
    ]
    .map(String::from)
    .to_vec();
    expected.extend(gws_contract::OPERATIONS.iter().map(|o| o.request_schema()));
    expected.sort();
    assert_eq!(schema_names(), expected);
    assert!(matches!(
        validate("no-such-schema", &Value::Null, Mode::Lenient),
        Err(ContractError::UnknownSchema(name)) if name == "no-such-schema"
    ));
}

#[test]
fn every_seed_sample_is_a_fixture_in_page_order() {
    let all = fixtures();
    // 5 + 5 + 4 + 5 + 5 samples on the five seed pages, 39 on the twelve Reject, Complete, Leave
    // and SendMessage pages, 26 on the eight typing pages, 30 on the ten pages of messages to the
    // customer or the agents (SendUrl, SendToAgents, SendCustomNotice, SendCustomNoticeToAgents),
    // 12 on the three SetDisposition pages and FacebookPMAddComment, 18 on the nine user-data
    // pages (Attach, Update, DeleteUserData; their notifications are cut short, no fixture), 25
    // on the ten pages of second agents, conferences, transfers and resources (Consult, Invite,
    // RemoveParticipantFromConference, Transfer, SMSResources).
    assert_eq!(all.len(), 24 + 39 + 26 + 30 + 12 + 18 + 25);
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
        assert!(f.provenance.page_path().is_some(), "{}", f.path);
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
fn every_page_file_sample_is_a_fixture_in_page_order() {
    let all = fixtures();
    let per_page = |page: &str| -> Vec<(u32, FixtureKind, &str)> {
        all.iter()
            .filter(|f| f.provenance.page_file.as_deref() == Some(page))
            .map(|f| {
                (
                    f.provenance.order,
                    f.provenance.kind,
                    f.path.rsplit('/').next().unwrap(),
                )
            })
            .collect()
    };
    use FixtureKind::*;
    let reject = vec![
        (1, Request, "1-request.json"),
        (2, Response, "2-response.json"),
        (
            3,
            Notification,
            "3-notification-status-change-completed.json",
        ),
    ];
    let complete = vec![
        (1, Request, "1-request.json"),
        (2, Request, "2-request-queue-name.json"),
        (3, Response, "3-response.json"),
        (
            4,
            Notification,
            "4-notification-status-change-completed.json",
        ),
    ];
    let leave = vec![
        (1, Request, "1-request.json"),
        (2, Response, "2-response.json"),
        (
            3,
            Notification,
            "3-notification-status-change-left-chat.json",
        ),
        (
            4,
            Notification,
            "4-notification-status-change-completed.json",
        ),
    ];
    let send = vec![
        (1, Request, "1-request.json"),
        (2, Response, "2-response.json"),
        (3, Notification, "3-notification-message-log-updated.json"),
    ];
    for page in [
        "pages/chat/ChatReject.txt",
        "pages/facebooksession/FacebookPMReject.txt",
        "pages/smssession/SMSReject.txt",
    ] {
        assert_eq!(per_page(page), reject, "{page}");
    }
    for page in [
        "pages/chat/ChatComplete.txt",
        "pages/smssession/SMSComplete.txt",
    ] {
        assert_eq!(per_page(page), complete, "{page}");
    }
    for page in ["pages/chat/ChatLeave.txt", "pages/smssession/SMSLeave.txt"] {
        assert_eq!(per_page(page), leave, "{page}");
    }
    for page in [
        "pages/chat/ChatSend.txt",
        "pages/facebooksession/FacebookPMSendMessage.txt",
        "pages/smssession/SMSSendMessage.txt",
    ] {
        assert_eq!(per_page(page), send, "{page}");
    }
    // The two 2015 Facebook drafts are cut off inside their notification's userData: the
    // notification cannot be read to its end, so it is no fixture (nothing is invented).
    assert_eq!(
        per_page("pages/facebooksession/FacebookPMComplete.txt"),
        complete[..3].to_vec()
    );
    assert_eq!(
        per_page("pages/facebooksession/FacebookPMLeave.txt"),
        leave[..2].to_vec()
    );
    // Typing: the two chat pages of 2023 print a success and a failure response.
    let log = (3, Notification, "3-notification-message-log-updated.json");
    let typing = vec![send[0], send[1], log];
    let typing_with_failure = vec![
        send[0],
        (2, Response, "2-response.json"),
        (3, Response, "3-response-failure.json"),
        (4, Notification, "4-notification-message-log-updated.json"),
    ];
    for page in [
        "pages/chat/ChatSendStartTypingNotification.txt",
        "pages/chat/ChatSendStopTypingNotification.txt",
    ] {
        assert_eq!(per_page(page), typing_with_failure, "{page}");
    }
    for page in [
        "pages/chat/ChatSendStartTypingToAgentsNotification.txt",
        "pages/chat/ChatSendStopTypingToAgentsNotification.txt",
        "pages/smssession/SMSSendStartType.txt",
        "pages/smssession/SMSSendStopType.txt",
        "pages/smssession/SMSSendStartTypingToAgentsNotification.txt",
        "pages/smssession/SMSSendStopTypingToAgentsNotification.txt",
    ] {
        assert_eq!(per_page(page), typing, "{page}");
    }
    // Messages to the customer or the agents: request, response, message log.
    for page in [
        "pages/chat/ChatSendURL.txt",
        "pages/chat/ChatSendToAgents.txt",
        "pages/chat/ChatSendCustomNotice.txt",
        "pages/chat/ChatSendCustomNoticeToAgents.txt",
        "pages/facebooksession/FacebookPMSendUrl.txt",
        "pages/facebooksession/FacebookPMSendToAgents.txt",
        "pages/smssession/SMSSendUrl.txt",
        "pages/smssession/SMSSendToAgents.txt",
        "pages/smssession/SMSSendCustomNotice.txt",
        "pages/smssession/SMSSendCustomNoticeToAgents.txt",
    ] {
        assert_eq!(per_page(page), send, "{page}");
    }
    // SetDisposition and AddComment: request, response, PropertiesUpdated state change.
    let properties = vec![
        send[0],
        send[1],
        (3, Notification, "3-notification-properties-updated.json"),
    ];
    for page in [
        "pages/chat/ChatSetDisposition.txt",
        "pages/facebooksession/FacebookPMSetDisposition.txt",
        "pages/smssession/SMSSetDisposition.txt",
        "pages/facebooksession/FacebookPMAddComment.txt",
    ] {
        assert_eq!(per_page(page), properties, "{page}");
    }
    // The nine user-data pages: every saved copy stops inside its PropertiesUpdated notification
    // before a required field (messageType and notificationType on the chat and SMS pages, the
    // resource's id, state and uri on the Facebook drafts): no fixture, only request and response.
    for page in [
        "pages/chat/ChatAttachUserData.txt",
        "pages/chat/ChatUpdateUserData.txt",
        "pages/chat/ChatDeleteUserData.txt",
        "pages/facebooksession/FacebookPMAttachUserData.txt",
        "pages/facebooksession/FacebookPMUpdateUserData.txt",
        "pages/facebooksession/FacebookPMDeleteUserData.txt",
        "pages/smssession/SMSAttachUserData.txt",
        "pages/smssession/SMSUpdateUserData.txt",
        "pages/smssession/SMSDeleteUserData.txt",
    ] {
        assert_eq!(per_page(page), send[..2].to_vec(), "{page}");
    }
    // Second agents, conferences and transfers. Consult and SMSInvite: every copy stops inside
    // the first notification (no fixture); ChatInviteUser's first notification is complete, its
    // second is cut; the Facebook and SMS RemoveParticipantFromConference pages: the first
    // notification (a Notice), the second is cut; ChatRemoveParticipantFromConference: cut in
    // its only notification. The Transfer pages print no notification (an empty section,
    // "Missing").
    for page in [
        "pages/chat/ChatConsult.txt",
        "pages/smssession/SMSConsult.txt",
        "pages/smssession/SMSInvite.txt",
        "pages/chat/ChatRemoveParticipantFromConference.txt",
    ] {
        assert_eq!(per_page(page), send[..2].to_vec(), "{page}");
    }
    assert_eq!(
        per_page("pages/chat/ChatInviteUser.txt"),
        vec![
            send[0],
            send[1],
            (3, Notification, "3-notification-participants-updated.json")
        ]
    );
    for page in [
        "pages/facebooksession/FacebookPMRemovePart.txt",
        "pages/smssession/SMSRemoveParticipantFromConference.txt",
    ] {
        assert_eq!(per_page(page), send, "{page}");
    }
    assert_eq!(
        per_page("pages/chat/ChatSingleStepTransfer.txt"),
        complete[..3].to_vec()
    );
    assert_eq!(
        per_page("pages/facebooksession/FacebookPMTransfer.txt"),
        vec![
            send[0],
            send[1],
            (3, Request, "3-request-queue.json"),
            (4, Response, "4-response-queue.json"),
        ]
    );
    // SMSResources: the one resource its GET sample prints.
    assert_eq!(
        per_page("pages/smssession/SMSResources.txt"),
        vec![(1, Response, "1-response.json")]
    );
    for f in all.iter().filter(|f| f.provenance.page_file.is_some()) {
        let request = format!("{}-request", f.provenance.operation);
        let resource = format!("{}-resource", f.provenance.media);
        let expected = match f.provenance.kind {
            Request => request.as_str(),
            // A GET sample (SMSResources) is a resource, not an operation response.
            Response if f.provenance.operation == "resources" => resource.as_str(),
            Response => "operation-response",
            Notification => &f.schema,
        };
        assert_eq!(f.schema, expected, "{}", f.path);
        assert!(
            f.schema.starts_with(&f.provenance.media) || f.provenance.kind != Notification,
            "{}",
            f.path
        );
    }
}

#[test]
fn the_chat_reject_status_key_is_a_documentation_error() {
    // ChatReject shows {"status": 0}; Return Values says every method returns statusCode.
    let f = gws_contract::fixture("chat/reject/2023/2-response.json").unwrap();
    let original: Value = serde_json::from_str(f.original.unwrap()).unwrap();
    assert_eq!(original, serde_json::json!({"status": 0}));
    assert_eq!(
        violation_paths("operation-response", &original, Mode::Lenient),
        vec![String::new()]
    );
    assert_eq!(f.value, serde_json::json!({"statusCode": 0}));
}

#[test]
fn the_typing_failure_sample_is_a_template_repaired_to_a_failure() {
    // ChatSendStartTypingNotification and ChatSendStopTypingNotification print the failure as
    // `"statusCode": an integer value above 0, "statusMessage":details`: not JSON; the repair
    // is the least code the phrase allows and the quoted word.
    for op in ["sendstarttypingnotification", "sendstoptypingnotification"] {
        let f = gws_contract::fixture(&format!("chat/{op}/2023/3-response-failure.json")).unwrap();
        assert!(serde_json::from_str::<Value>(f.original.unwrap()).is_err());
        assert_eq!(
            f.value,
            serde_json::json!({"statusCode": 1, "statusMessage": "details"})
        );
        let mut without = f.value.clone();
        without.as_object_mut().unwrap().remove("statusMessage");
        assert_eq!(
            violation_paths("operation-response", &without, Mode::Lenient),
            vec![String::new()]
        );
    }
}

#[test]
fn the_stop_typing_to_agents_request_keeps_the_pages_operation_name() {
    // Both pages print operationName SendStopTypingToAgentNotification (no s after Agent), a
    // documented spelling variant: the fixture keeps it, the directory and schema use the
    // table's name.
    for path in [
        "chat/sendstoptypingtoagentsnotification/2016/1-request.json",
        "smssession/sendstoptypingtoagentsnotification/2024/1-request.json",
    ] {
        let f = gws_contract::fixture(path).unwrap();
        assert!(f.errata.is_empty(), "{path}");
        assert_eq!(
            f.value["operationName"], "SendStopTypingToAgentNotification",
            "{path}"
        );
        assert_eq!(f.schema, "sendstoptypingtoagentsnotification-request");
        assert_eq!(detect_schema(&f.value), Some(f.schema.as_str()));
    }
}

#[test]
fn the_smsession_key_of_sms_stop_typing_is_a_documentation_error() {
    // SMSSendStopType prints smsessionUri (one s): the log schema misses smssessionUri.
    let f = gws_contract::fixture(
        "smssession/sendstoptypingnotification/2016/3-notification-message-log-updated.json",
    )
    .unwrap();
    assert!(f.original.unwrap().contains("\"smsessionUri\""));
    assert!(f.value.get("smsessionUri").is_none());
    // The uri's own typo is kept: URIs are free-form.
    assert!(
        f.value["smssessionUri"]
            .as_str()
            .unwrap()
            .contains("/smsessions/")
    );
}

#[test]
fn the_smsession_key_of_sms_set_disposition_is_a_documentation_error() {
    // SMSSetDisposition prints the resource under u'smsession' (one s) over a /smsessions/ uri:
    // the key is repaired (no spelling variant smsession is documented), the uri and the request
    // line keep their typo.
    let dir = "smssession/setdisposition/2024";
    let f =
        gws_contract::fixture(&format!("{dir}/3-notification-properties-updated.json")).unwrap();
    assert!(f.original.unwrap().contains("u'smsession'"));
    assert!(f.value.get("smsession").is_none());
    let uri = f.value["smssession"]["uri"].as_str().unwrap();
    assert!(uri.contains("/smsessions/"), "{uri}");
    assert_eq!(
        f.value["smssession"]["userData"]["DispositionCode"],
        "IssueResolved"
    );
    let request = gws_contract::fixture(&format!("{dir}/1-request.json")).unwrap();
    assert_eq!(
        request.provenance.http_request.as_deref(),
        Some("POST api/v2/me/smsessions/0000Na9B26EF003M")
    );
}

#[test]
fn the_add_comment_text_mismatch_is_kept_as_printed() {
    // FacebookPMAddComment sends "Some facebook session comment text" while its notification
    // shows "Some chat comment text": each sample is valid on its own, neither is changed.
    let dir = "facebooksession/addcomment/2019";
    let request = gws_contract::fixture(&format!("{dir}/1-request.json")).unwrap();
    let note =
        gws_contract::fixture(&format!("{dir}/3-notification-properties-updated.json")).unwrap();
    assert!(request.errata.is_empty());
    assert_eq!(
        request.value["comment"],
        "Some facebook session comment text"
    );
    assert_eq!(
        note.value["facebooksession"]["comment"],
        "Some chat comment text"
    );
    // Only the space injected into the uri was repaired.
    assert_eq!(note.errata.len(), 1);
}

#[test]
fn the_singular_facebook_key_under_a_plural_uri_is_a_spelling_not_an_error() {
    // FacebookPMReject (2019) puts the resource under `facebooksession` while its uri says
    // /facebooksessions/: both are documented spellings, so lenient passes and strict names the
    // key (and the older messageType), not the uri.
    let f = gws_contract::fixture(
        "facebooksession/reject/2019/3-notification-status-change-completed.json",
    )
    .unwrap();
    assert!(f.value.get("facebooksession").is_some());
    assert!(
        f.value["facebooksession"]["uri"]
            .as_str()
            .unwrap()
            .contains("/facebooksessions/")
    );
    assert_eq!(f.provenance.spelling, Spelling::Older);
    assert_eq!(
        violation_paths(&f.schema, &f.value, Mode::Lenient),
        Vec::<String>::new()
    );
    assert_eq!(
        violation_paths(&f.schema, &f.value, Mode::Strict),
        vec!["/facebooksession".to_owned(), "/messageType".to_owned()]
    );
    // Only the space injected into its uri was repaired.
    assert_eq!(f.errata.len(), 1);
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
    // 2015 Accept: 3 notifications; 2016 Consult: the state change; 2019 Reject: the state change;
    // FacebookPMSetDisposition and FacebookPMAddComment: the state change.
    assert_eq!(older, 7);
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

#[test]
fn a_payload_that_matches_no_schema_exactly_gets_the_closest() {
    use gws_contract::closest_schemas;
    use serde_json::json;
    let status = closest_schemas(&json!({"status": 0})).expect("a closest schema");
    assert_eq!(status.schemas, vec!["operation-response"]);
    assert_eq!(status.by, vec!["status (for statusCode)"]);
    let log = closest_schemas(&json!({"messageType": "MessageLogUpdated",
        "notificationType": "NewMessages", "messages": []}))
    .expect("a closest schema");
    let logs: Vec<&str> = gws_contract::Media::ALL
        .iter()
        .map(|m| m.log_schema())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    assert_eq!(log.schemas, logs);
    assert!(
        log.by
            .contains(&r#"messageType "MessageLogUpdated""#.to_owned()),
        "{log:?}"
    );
    assert_eq!(closest_schemas(&json!({"hello": 1})), None);
    assert_eq!(closest_schemas(&json!([1])), None);
    // A documented sample is closest to its own schema (alone or among equals).
    for f in fixtures() {
        let closest = closest_schemas(&f.value).expect("a closest schema");
        assert!(
            closest.schemas.contains(&f.schema.as_str()),
            "{}: {closest:?}",
            f.path
        );
    }
}

/// The keys of request body `value` (a request fixture of `f`'s operation) that the operation
/// table does not document for `f`'s media; empty for responses and notifications. The request
/// schemas are shared by the media, so this is what notices a parameter of another media.
fn undocumented_params(f: &Fixture, value: &Value) -> Vec<String> {
    if f.provenance.kind != FixtureKind::Request {
        return Vec::new();
    }
    let op = gws_contract::OPERATIONS
        .iter()
        .find(|o| o.tag() == f.provenance.operation)
        .unwrap_or_else(|| panic!("{}: no operation {}", f.path, f.provenance.operation));
    let media = gws_contract::Media::from_name(&f.provenance.media)
        .unwrap_or_else(|| panic!("{}: media {}", f.path, f.provenance.media));
    value
        .as_object()
        .into_iter()
        .flat_map(|o| o.keys())
        .filter(|k| *k != "operationName")
        .filter(|k| !op.param(k).is_some_and(|p| p.applies_to(media)))
        .cloned()
        .collect()
}

#[test]
fn every_request_fixture_sends_only_its_media_s_parameters() {
    let mut requests = 0;
    for f in fixtures()
        .into_iter()
        .filter(|f| f.provenance.kind == FixtureKind::Request)
    {
        requests += 1;
        assert_eq!(
            undocumented_params(&f, &f.value),
            Vec::<String>::new(),
            "{}",
            f.path
        );
    }
    assert!(requests > 50, "{requests}");
    // The check can fail: FacebookPMTransfer's original sends targetUri, a chat parameter.
    let f = gws_contract::fixture("facebooksession/transfer/2015/1-request.json").unwrap();
    let original: Value = serde_json::from_str(f.original.unwrap()).unwrap();
    assert_eq!(undocumented_params(&f, &original), vec!["targetUri"]);
}

#[test]
fn the_facebook_transfer_path_sent_as_target_uri_is_a_documentation_error() {
    // FacebookPMTransfer (2015 draft) lists only targetPath; its agent sample sends the path
    // /users/... as targetUri. The shared request schema accepts it (targetUri is a chat
    // parameter; URIs are free-form), the operation table does not: repaired to targetPath.
    let f = gws_contract::fixture("facebooksession/transfer/2015/1-request.json").unwrap();
    let original: Value = serde_json::from_str(f.original.unwrap()).unwrap();
    assert_eq!(
        violation_paths("transfer-request", &original, Mode::Lenient),
        Vec::<String>::new()
    );
    assert_eq!(f.errata.len(), 1);
    assert_eq!(f.errata[0].detected_by, Detection::Table);
    assert_eq!(
        f.value,
        serde_json::json!({"operationName": "Transfer", "targetPath": "/users/10f8abb20c154fb28c82c68102625233"})
    );
    assert_eq!(
        f.provenance.http_request.as_deref(),
        Some("POST api/v2/me/facebooksession/01QQQG2MU214P05W")
    );
}

#[test]
fn the_sms_invite_user_uri_is_a_documentation_error() {
    // SMSInvite's table lists targetUri and targetPath; its sample sends userUri (the name the
    // 2014 ChatRemoveParticipantFromConference draft used, replaced by targetUri): the request
    // names no target, so the schema rejects it at the root.
    let f = gws_contract::fixture("smssession/invite/undated/1-request.json").unwrap();
    let original: Value = serde_json::from_str(f.original.unwrap()).unwrap();
    assert!(original.get("userUri").is_some());
    assert_eq!(
        violation_paths("invite-request", &original, Mode::Lenient),
        vec![String::new()]
    );
    assert_eq!(f.value["targetUri"], original["userUri"]);
    assert!(f.value.get("userUri").is_none());
}

#[test]
fn the_remove_participant_notice_mismatches_are_kept_as_printed() {
    // FacebookPMRemovePart removes c30d06da... at 10.10.15.212:9090, while its Notice names
    // e2c90c96... and its URIs say 192.168.83.25:8090: each sample is valid on its own, so
    // neither is changed. The SMS page's Notice names the user of its request.
    let notice = |path: &str| {
        gws_contract::fixture(path).unwrap().value["messages"][0]["text"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let target = |path: &str| {
        gws_contract::fixture(path).unwrap().value["targetUri"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let fb = "facebooksession/removeparticipantfromconference/undated";
    let fb_target = target(&format!("{fb}/1-request.json"));
    let fb_notice = notice(&format!("{fb}/3-notification-message-log-updated.json"));
    assert!(fb_target.ends_with("/users/c30d06daa1ea43b8be79f9b071f30d70"));
    assert_eq!(
        fb_notice,
        "REMOVE_PARTICIPANT_FROM_CONFERENCEe2c90c960d3d40c79684818983ceb314"
    );
    let sms = "smssession/removeparticipantfromconference/undated";
    let sms_target = target(&format!("{sms}/1-request.json"));
    let sms_notice = notice(&format!("{sms}/3-notification-message-log-updated.json"));
    let id = sms_target.rsplit('/').next().unwrap();
    assert_eq!(
        sms_notice,
        format!("REMOVE_PARTICIPANT_FROM_CONFERENCE{id}")
    );
}

#[test]
fn capabilities_after_consult_and_invite_come_from_the_complete_samples() {
    use gws_contract::{State, capabilities_after};
    // Invite: the ChatInviteUser first notification is the only complete one (SMSInvite's is
    // cut in its uri).
    let invite =
        gws_contract::fixture("chat/invite/2024/3-notification-participants-updated.json").unwrap();
    let listed: Vec<String> = invite.value["chat"]["capabilities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        capabilities_after("Invite", State::Chatting).unwrap(),
        listed.as_slice()
    );
    // Consult: ChatConsult's and SMSConsult's notifications are cut short; the FacebookPMConsult
    // seed's ParticipantsUpdated is the only sample.
    let consult = gws_contract::fixture(
        "facebooksession/consult/2016/3-notification-participants-updated.json",
    )
    .unwrap();
    let listed: Vec<String> = consult.value["facebooksession"]["capabilities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        capabilities_after("Consult", State::Chatting).unwrap(),
        listed.as_slice()
    );
    // No Transfer or RemoveParticipantFromConference sample shows a resource.
    assert_eq!(capabilities_after("Transfer", State::Completed), None);
    assert_eq!(
        capabilities_after("RemoveParticipantFromConference", State::Chatting),
        None
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
            Ok(v) => {
                validate(&f.schema, &v, Mode::Lenient).is_err()
                    || !undocumented_params(&f, &v).is_empty()
            }
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
    // 5 on the seed pages, 14 on the twelve Reject, Complete, Leave and SendMessage pages, 10 on
    // the typing pages, 10 on the pages of messages to the customer or the agents, 7 on the
    // SetDisposition pages (Python-repr requests and notifications) and FacebookPMAddComment, 5
    // on the pages of second agents, conferences and transfers (the ChatInviteUser notification,
    // the two RemoveParticipantFromConference notices, the FacebookPMTransfer and SMSInvite
    // requests).
    assert_eq!(repaired, 5 + 14 + 10 + 10 + 7 + 5);
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
                Detection::Table => {
                    let value = parsed.unwrap_or_else(|err| panic!("{}: {err}", e.id));
                    assert_eq!(
                        violation_paths(&f.schema, &value, Mode::Lenient),
                        Vec::<String>::new(),
                        "{}: the schema notices it; say `schema`",
                        e.id
                    );
                    assert!(
                        !undocumented_params(&f, &value).is_empty(),
                        "{}: sends only documented parameters without it",
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
                    assert!(
                        undocumented_params(&f, &value).is_empty(),
                        "{}: the operation table notices it; say `table`",
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
