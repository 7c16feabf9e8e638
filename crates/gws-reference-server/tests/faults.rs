//! The fault catalog (issue 5): under each fault the server shows exactly the deviation the fault
//! describes, and the conformant server does not. The probe drives one Accept flow, one Consult and
//! the error cases, recording responses and notifications; the check per fault is an exhaustive
//! `match`, so a new fault without a check does not compile.

mod common;

use common::*;
use gws_bayeux::client::Inbox;
use gws_reference_server::{Dialect, Fault, ServerConfig, StartError, faults};
use serde_json::{Value, json};

/// What a probe saw.
#[derive(Debug)]
struct Transcript {
    missing_nickname: Value,
    accept: Value,
    /// (channel, data) between Accept and the marker message, marker excluded.
    accept_notes: Vec<(String, Value)>,
    accept_twice: Value,
    unknown_id: Value,
    consult: Value,
    consult_notes: Vec<(String, Value)>,
    consult_without_target: Value,
}

/// Takes every notification until one containing `marker` (bounded by [`WAIT`] per notification).
async fn until_marker(inbox: &Inbox, marker: &str) -> Vec<(String, Value)> {
    let mut seen = Vec::new();
    loop {
        let n = inbox
            .take(|_| true, WAIT)
            .await
            .unwrap_or_else(|e| panic!("waiting for marker {marker}: {e}; seen {seen:#?}"));
        if n.data.to_string().contains(marker) {
            return seen;
        }
        seen.push((n.channel, n.data));
    }
}

async fn probe(fault: Option<Fault>) -> Transcript {
    let server = server(ServerConfig {
        fault: fault.map(|f| f.name().to_string()),
        ..config(Dialect::V2019)
    })
    .await;
    let base = server.base_url();
    let a = login(&base, "agent1", "secret1", Dialect::V2019).await;
    let cometd = a.cometd().await;
    let inbox = cometd.inbox();
    let id = offer(&base, "chat", "agent1", "PersonP", "Hello World").await;
    next_for(&inbox, &id).await;
    let path = format!("/api/v2/me/chats/{id}");
    let missing_nickname = a.post(&path, &json!({"operationName": "Accept"})).await.1;
    let accept = a
        .post(
            &path,
            &json!({"operationName": "Accept", "nickname": "Marat"}),
        )
        .await
        .1;
    a.post(
        &path,
        &json!({"operationName": "SendMessage", "text": "MARKER-1"}),
    )
    .await;
    let accept_notes = until_marker(&inbox, "MARKER-1").await;
    let accept_twice = a
        .post(
            &path,
            &json!({"operationName": "Accept", "nickname": "Marat"}),
        )
        .await
        .1;
    let unknown_id = a
        .post(
            "/api/v2/me/chats/0000NOSUCHID0000",
            &json!({"operationName": "Accept", "nickname": "x"}),
        )
        .await
        .1;
    let target = provider_state(
        &base,
        &json!({"state": "another agent is available", "params": {"user": "agent1"}}),
    )
    .await
    .1;
    let consult = a
        .post(
            &path,
            &json!({"operationName": "Consult", "targetUri": target["targetUri"]}),
        )
        .await
        .1;
    a.post(
        &path,
        &json!({"operationName": "SendMessage", "text": "MARKER-2"}),
    )
    .await;
    let consult_notes = until_marker(&inbox, "MARKER-2").await;
    // A second interaction for the Consult without target.
    let id2 = offer(&base, "chat", "agent1", "PersonQ", "Hi").await;
    let path2 = format!("/api/v2/me/chats/{id2}");
    a.post(
        &path2,
        &json!({"operationName": "Accept", "nickname": "Marat"}),
    )
    .await;
    let consult_without_target = a.post(&path2, &json!({"operationName": "Consult"})).await.1;
    server.shutdown().await;
    Transcript {
        missing_nickname,
        accept,
        accept_notes,
        accept_twice,
        unknown_id,
        consult,
        consult_notes,
        consult_without_target,
    }
}

fn status_changes(t: &Transcript) -> Vec<&Value> {
    t.accept_notes
        .iter()
        .map(|n| &n.1)
        .filter(|d| {
            d["notificationType"] == "StatusChange"
                || d.get("chat").is_some() && d["notificationType"] != "ParticipantsUpdated"
        })
        .collect()
}

fn of_type<'a>(t: &'a Transcript, notification_type: &str) -> Option<&'a Value> {
    t.accept_notes
        .iter()
        .map(|n| &n.1)
        .find(|d| d["notificationType"] == notification_type)
}

fn history(t: &Transcript) -> Option<&Value> {
    of_type(t, "NewMessages")
}

/// Whether `t` shows the deviation `fault` describes.
fn shows(fault: Fault, t: &Transcript) -> bool {
    let no_message = |v: &Value| {
        v["statusCode"].as_i64().is_some_and(|c| c != 0) && v.get("statusMessage").is_none()
    };
    let status = status_changes(t);
    let first_status = status.first().copied();
    match fault {
        Fault::StatusInsteadOfStatusCode => {
            t.accept.get("statusCode").is_none() && t.accept["status"] == 0
        }
        Fault::StatusCodeAsString => t.accept["statusCode"] == "0",
        Fault::NonZeroStatusForValidAccept => {
            t.accept["statusCode"].as_i64().is_some_and(|c| c != 0) && t.accept_notes.len() == 3
        }
        Fault::ErrorWithoutStatusMessage => {
            no_message(&t.missing_nickname)
                && no_message(&t.accept_twice)
                && no_message(&t.unknown_id)
                && no_message(&t.consult_without_target)
        }
        Fault::AcceptMissingStatusChange => {
            t.accept_notes.len() == 2 && of_type(t, "StatusChange").is_none()
        }
        Fault::AcceptMissingParticipantsUpdated => {
            t.accept_notes.len() == 2 && of_type(t, "ParticipantsUpdated").is_none()
        }
        Fault::AcceptMissingHistory => t.accept_notes.len() == 2 && history(t).is_none(),
        Fault::AcceptNotificationsOutOfOrder => {
            let order: Vec<_> = t
                .accept_notes
                .iter()
                .map(|n| n.1["notificationType"].as_str().unwrap_or(""))
                .collect();
            order == ["ParticipantsUpdated", "StatusChange", "NewMessages"]
        }
        Fault::AcceptWrongTopic => {
            t.accept_notes.len() == 3 && t.accept_notes.iter().all(|n| n.0 != "/v2/me/chats")
        }
        Fault::AcceptWrongState => first_status.is_some_and(|s| s["chat"]["state"] != "Chatting"),
        Fault::AcceptWrongMessageType => {
            first_status.is_some_and(|s| s["messageType"] != "ChatStateChangeMessage")
        }
        Fault::AcceptWrongNotificationType => {
            t.accept_notes.len() == 3
                && of_type(t, "StatusChange").is_none()
                && t.accept_notes.iter().any(|n| {
                    n.1.get("chat").is_some() && n.1["notificationType"] != "ParticipantsUpdated"
                })
        }
        Fault::AcceptCapabilitiesMissing => {
            of_type(t, "StatusChange").is_some_and(|s| s["chat"].get("capabilities").is_none())
        }
        Fault::AcceptCapabilitiesIncomplete => of_type(t, "StatusChange").is_some_and(|s| {
            s["chat"]["capabilities"]
                .as_array()
                .is_some_and(|c| c.len() == 6 && !c.contains(&json!("SendMessage")))
        }),
        Fault::HistoryWithoutCustomerText => history(t).is_some_and(|h| {
            h["messages"]
                .as_array()
                .unwrap()
                .iter()
                .all(|m| m["type"] != "Text")
        }),
        Fault::ParticipantWithoutParticipantId => {
            of_type(t, "ParticipantsUpdated").is_some_and(|p| {
                p["chat"]["participants"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|p| p.get("participantId").is_none())
            })
        }
        Fault::WrongInteractionIdInUri => of_type(t, "StatusChange").is_some_and(|s| {
            let uri = s["chat"]["uri"].as_str().unwrap_or("");
            !uri.ends_with(s["chat"]["id"].as_str().unwrap_or("?"))
        }),
        Fault::TimestampNotAString => history(t).is_some_and(|h| {
            h["messages"]
                .as_array()
                .unwrap()
                .iter()
                .all(|m| m["timestamp"].is_number())
        }),
        Fault::ConsultWithoutReferenceId => {
            t.consult["statusCode"] == 0 && t.consult.get("referenceId").is_none()
        }
        Fault::ConsultAgentVisibleToAll => t.consult_notes.iter().any(|n| {
            n.1["chat"]["participants"]
                .as_array()
                .is_some_and(|p| p.len() == 3 && p.iter().all(|p| p["visibility"] == "All"))
        }),
        Fault::ConsultWithoutTargetAccepted => t.consult_without_target["statusCode"] == 0,
        Fault::AcceptTwiceAccepted => t.accept_twice["statusCode"] == 0,
        Fault::UnknownInteractionAccepted => t.unknown_id["statusCode"] == 0,
    }
}

#[tokio::test]
async fn the_conformant_server_shows_no_fault() {
    let t = probe(None).await;
    assert_eq!(t.accept, json!({"statusCode": 0}));
    assert_eq!(t.accept_notes.len(), 3, "{:#?}", t.accept_notes);
    for f in Fault::all() {
        assert!(
            !shows(*f, &t),
            "the conformant server shows fault {f}: {t:#?}"
        );
    }
}

#[tokio::test]
async fn every_fault_shows_its_deviation_and_only_breaks_what_it_says() {
    let baseline = probe(None).await;
    for f in Fault::all() {
        let t = probe(Some(*f)).await;
        assert!(
            shows(*f, &t),
            "fault {f} does not show its deviation: {t:#?}"
        );
        let others: Vec<_> = Fault::all()
            .iter()
            .filter(|g| *g != f && shows(**g, &t))
            .collect();
        // Faults that remove a notification also make the order check vacuous; nothing else may co-occur.
        assert!(others.is_empty(), "fault {f} also shows {others:?}");
        assert!(!shows(*f, &baseline));
    }
}

#[tokio::test]
async fn unknown_fault_names_are_refused() {
    install_crypto();
    let err = gws_reference_server::start(
        ServerConfig {
            fault: Some("no-such-fault".into()),
            ..ServerConfig::default()
        },
        "127.0.0.1:0".parse().unwrap(),
    )
    .await
    .unwrap_err();
    assert!(
        matches!(err, StartError::UnknownFault(ref n) if n == "no-such-fault"),
        "{err}"
    );
    assert!(faults().len() >= 20);
}
