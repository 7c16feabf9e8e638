//! The state machine per media, through HTTP and CometD: each operation in valid and invalid
//! states, the notification sequence it produces, and every payload validated against the contract.

mod common;

use common::*;
use gws_contract::{State, capabilities_after};
use gws_reference_server::Dialect;
use serde_json::{Value, json};

/// The capabilities the documented samples show after `operation` in state `state`.
fn documented_capabilities(operation: &str, state: State) -> Value {
    json!(capabilities_after(operation, state).expect("a sample shows them"))
}

struct Flow {
    agent: AgentSession,
    cometd: gws_bayeux::client::BayeuxClient,
    media: &'static str,
    dialect: Dialect,
    id: String,
    server: gws_reference_server::RunningServer,
}

impl Flow {
    async fn offered(media: &'static str, dialect: Dialect) -> Flow {
        let server = server(config(dialect)).await;
        let base = server.base_url();
        let agent = login(&base, "agent1", "secret1", dialect).await;
        let cometd = agent.cometd().await;
        let id = offer(&base, media, "agent1", "PersonP", "Hello World").await;
        let flow = Flow {
            agent,
            cometd,
            media,
            dialect,
            id,
            server,
        };
        let n = flow.next().await;
        let r = &n[resource_key(media, dialect)];
        assert_eq!(n["notificationType"], "StatusChange");
        assert_eq!(r["state"], "Invited");
        assert_eq!(r["capabilities"], json!(["Accept", "Reject"]));
        assert_eq!(r["participants"][0]["nickname"], "PersonP");
        flow
    }

    fn path(&self) -> String {
        format!(
            "/api/v2/me/{}/{}",
            collection(self.media, self.dialect),
            self.id
        )
    }

    fn uri(&self) -> String {
        format!(
            "{}/api/v2/{}/{}",
            self.server.base_url(),
            collection(self.media, self.dialect),
            self.id
        )
    }

    /// The next notification about this interaction: on the media topic, contract-valid.
    async fn next(&self) -> Value {
        let n = next_for(&self.cometd.inbox(), &self.id).await;
        assert_eq!(n.channel, topic(self.media), "{:#}", n.data);
        assert_contract(&n.data, self.dialect);
        n.data
    }

    async fn op(&self, body: Value) -> (u16, Value) {
        let (status, body) = self.agent.post(&self.path(), &body).await;
        assert_contract(&body, self.dialect);
        (status, body)
    }

    async fn op_ok(&self, body: Value) -> Value {
        let (status, resp) = self.op(body.clone()).await;
        assert_eq!(
            (status, resp["statusCode"].as_i64()),
            (200, Some(0)),
            "{body} → {resp}"
        );
        resp
    }

    async fn op_fails(&self, body: Value, http: u16, code: i64) {
        let (status, resp) = self.op(body.clone()).await;
        assert_eq!(
            (status, resp["statusCode"].as_i64()),
            (http, Some(code)),
            "{body} → {resp}"
        );
        assert!(
            resp["statusMessage"]
                .as_str()
                .is_some_and(|m| !m.is_empty()),
            "{resp}"
        );
        assert_eq!(
            resp.as_object().unwrap().len(),
            2,
            "no other attributes: {resp}"
        );
    }

    fn key(&self) -> &'static str {
        resource_key(self.media, self.dialect)
    }

    async fn accept(&self) {
        self.op_ok(json!({"operationName": "Accept", "nickname": "Marat"}))
            .await;
        let status = self.next().await;
        let participants = self.next().await;
        let history = self.next().await;
        let key = self.key();
        assert_eq!(status["notificationType"], "StatusChange");
        assert!(status["referenceId"].is_u64());
        assert_eq!(status[key]["state"], "Chatting");
        assert_eq!(
            status[key]["capabilities"],
            documented_capabilities("Accept", State::Chatting)
        );
        assert_eq!(
            status[key]["capabilities"].as_array().map(Vec::len),
            Some(7),
            "the seven every Accept page prints"
        );
        assert_eq!(status[key]["participants"], json!([]));
        assert_eq!(status[key]["uri"], self.uri());
        assert_eq!(participants["notificationType"], "ParticipantsUpdated");
        let p = &participants[key]["participants"];
        assert_eq!(
            (p[0]["type"].as_str(), p[0]["nickname"].as_str()),
            (Some("Agent"), Some("Marat"))
        );
        assert_eq!(
            (p[1]["type"].as_str(), p[1]["nickname"].as_str()),
            (Some("Customer"), Some("PersonP"))
        );
        assert!(p[0]["participantId"].is_string() && p[1]["participantId"].is_string());
        assert_eq!(history["messageType"], "MessageLogUpdated");
        assert_eq!(history["notificationType"], "NewMessages");
        let types: Vec<_> = history["messages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["type"].as_str().unwrap())
            .collect();
        assert_eq!(types, ["ParticipantJoined", "Text", "ParticipantJoined"]);
        assert_eq!(history["messages"][1]["text"], "Hello World");
        assert_eq!(history["messages"][2]["from"]["nickname"], "Marat");
        let log_key = match self.media {
            "chat" => "chatUri",
            "facebooksession" => "facebooksessionUri",
            _ => "smssessionUri",
        };
        assert_eq!(history[log_key], self.uri());
    }
}

async fn accept_then_message_then_complete(media: &'static str, dialect: Dialect) {
    let f = Flow::offered(media, dialect).await;
    f.op_fails(json!({"operationName": "Accept"}), 200, 1).await;
    f.op_fails(
        json!({"operationName": "Accept", "nickname": "Marat", "saveLAR": "maybe"}),
        200,
        10,
    )
    .await;
    f.op_fails(json!({"operationName": "Complete"}), 200, 2)
        .await;
    f.accept().await;
    assert_no_more(&f.cometd.inbox(), &f.id);
    f.op_fails(
        json!({"operationName": "Accept", "nickname": "Again"}),
        200,
        2,
    )
    .await;
    f.op_fails(json!({"operationName": "Reject"}), 200, 2).await;

    let (status, item) = f.agent.get(&f.path()).await;
    assert_eq!(status, 200);
    assert_contract(&item, dialect);
    assert_eq!(item[f.key()]["state"], "Chatting");
    let coll = collection(media, dialect);
    let (_, list) = f.agent.get(&format!("/api/v2/me/{coll}")).await;
    assert_contract(&list, dialect);
    assert_eq!(list["uris"], json!([f.uri()]));
    let (_, full) = f.agent.get(&format!("/api/v2/me/{coll}?fields=*")).await;
    assert_contract(&full, dialect);
    assert_eq!(full[coll][0]["id"], f.id.as_str());

    f.op_fails(json!({"operationName": "SendMessage"}), 200, 1)
        .await;
    f.op_ok(json!({"operationName": "SendMessage", "text": "How can I help?"}))
        .await;
    let log = f.next().await;
    assert_eq!(log["messages"][0]["type"], "Text");
    assert_eq!(log["messages"][0]["text"], "How can I help?");
    assert_eq!(log["messages"][0]["index"], 4);
    f.op_ok(json!({"operationName": "SendStartTypingNotification"}))
        .await;
    assert_eq!(f.next().await["messages"][0]["type"], "TypingStarted");
    f.op_ok(json!({"operationName": "SendStopTypingNotification"}))
        .await;
    assert_eq!(f.next().await["messages"][0]["type"], "TypingStopped");

    f.op_ok(json!({"operationName": "Complete"})).await;
    let done = f.next().await;
    assert_eq!(done[f.key()]["state"], "Completed");
    assert!(done[f.key()].get("capabilities").is_none());
    f.op_fails(json!({"operationName": "Complete"}), 200, 2)
        .await;
    f.op_fails(
        json!({"operationName": "SendMessage", "text": "late"}),
        200,
        2,
    )
    .await;
    assert_no_more(&f.cometd.inbox(), &f.id);
    f.server.shutdown().await;
}

#[tokio::test]
async fn chat_accept_message_complete() {
    accept_then_message_then_complete("chat", Dialect::V2019).await;
}
#[tokio::test]
async fn facebook_accept_message_complete() {
    accept_then_message_then_complete("facebooksession", Dialect::V2019).await;
}
#[tokio::test]
async fn facebook_2015_accept_message_complete() {
    accept_then_message_then_complete("facebooksession", Dialect::V2015).await;
}
#[tokio::test]
async fn sms_accept_message_complete() {
    accept_then_message_then_complete("smssession", Dialect::V2019).await;
}

#[tokio::test]
async fn reject_then_nothing_is_allowed() {
    for media in ALL_MEDIA {
        let f = Flow::offered(media, Dialect::V2019).await;
        f.op_ok(json!({"operationName": "Reject"})).await;
        let n = f.next().await;
        assert_eq!(n[f.key()]["state"], "Completed");
        assert!(n["referenceId"].is_u64());
        f.op_fails(
            json!({"operationName": "Accept", "nickname": "Late"}),
            200,
            2,
        )
        .await;
        assert_no_more(&f.cometd.inbox(), &f.id);
        f.server.shutdown().await;
    }
}

#[tokio::test]
async fn leave_then_complete() {
    for media in ALL_MEDIA {
        let f = Flow::offered(media, Dialect::V2019).await;
        f.accept().await;
        f.op_ok(json!({"operationName": "Leave"})).await;
        let left = f.next().await;
        assert_eq!(left[f.key()]["state"], "LeftChat");
        assert_eq!(
            left[f.key()]["capabilities"],
            json!(["Transfer", "Complete", "Leave", "InFocus"])
        );
        assert_eq!(f.next().await["messages"][0]["type"], "ParticipantLeft");
        f.op_fails(json!({"operationName": "SendMessage", "text": "x"}), 200, 2)
            .await;
        f.op_ok(json!({"operationName": "Complete"})).await;
        assert_eq!(f.next().await[f.key()]["state"], "Completed");
        f.server.shutdown().await;
    }
}

async fn consult(media: &'static str, dialect: Dialect) {
    let f = Flow::offered(media, dialect).await;
    let base = f.server.base_url();
    let (status, target) = provider_state(
        &base,
        &json!({"state": "another agent is available", "params": {"user": "agent1"}}),
    )
    .await;
    assert_eq!(status, 200);
    let target_uri = target["targetUri"].as_str().unwrap().to_string();
    assert!(
        target_uri.ends_with("/api/v2/users/e2c90c960d3d40c79684818983ceb314"),
        "{target}"
    );
    f.op_fails(
        json!({"operationName": "Consult", "targetUri": target_uri}),
        200,
        2,
    )
    .await;
    f.accept().await;
    f.op_fails(json!({"operationName": "Consult"}), 200, 1)
        .await;
    f.op_fails(
        // ChatConsult names the agent by targetUri only.
        json!({"operationName": "Consult", "targetUri": "http://localhost:8080/api/v2/users/nobody"}),
        404,
        6,
    )
    .await;
    let resp = f
        .op_ok(json!({"operationName": "Consult", "targetUri": target_uri}))
        .await;
    assert!(resp["referenceId"].is_u64(), "{resp}");
    let updated = f.next().await;
    let r = &updated[f.key()];
    assert_eq!(updated["notificationType"], "ParticipantsUpdated");
    assert_eq!(r["state"], "Chatting");
    assert_eq!(
        r["capabilities"],
        documented_capabilities("Consult", State::Chatting)
    );
    assert_eq!(r["capabilities"].as_array().map(Vec::len), Some(18));
    let p = r["participants"].as_array().unwrap();
    assert_eq!(p.len(), 3);
    assert_eq!(
        (p[0]["type"].as_str(), p[0]["visibility"].as_str()),
        (Some("Customer"), Some("All"))
    );
    assert_eq!(
        (p[1]["uri"].as_str(), p[1]["visibility"].as_str()),
        (Some(target_uri.as_str()), Some("Agents"))
    );
    assert_eq!(p[1]["path"], target["targetPath"]);
    assert_eq!(
        (p[2]["nickname"].as_str(), p[2]["visibility"].as_str()),
        (Some("Marat"), Some("All"))
    );
    let log = f.next().await;
    let m = &log["messages"][0];
    assert_eq!(
        (m["type"].as_str(), m["visibility"].as_str()),
        (Some("ParticipantJoined"), Some("Agents"))
    );
    assert_eq!(m["from"]["participantId"], p[1]["participantId"]);
    if media == "facebooksession" {
        let coll = collection(media, dialect);
        assert_eq!(log["facebooksessionPath"], format!("/{coll}/{}", f.id));
    }
    f.op_fails(
        json!({"operationName": "Consult", "targetUri": target_uri}),
        200,
        2,
    )
    .await;
    f.op_ok(json!({"operationName": "Leave"})).await;
    assert_eq!(f.next().await[f.key()]["state"], "Completed");
    f.server.shutdown().await;
}

#[tokio::test]
async fn chat_consult() {
    consult("chat", Dialect::V2019).await;
}
#[tokio::test]
async fn facebook_consult() {
    consult("facebooksession", Dialect::V2019).await;
}
#[tokio::test]
async fn facebook_2015_consult() {
    consult("facebooksession", Dialect::V2015).await;
}
#[tokio::test]
async fn sms_consult() {
    consult("smssession", Dialect::V2019).await;
}

#[tokio::test]
async fn operation_errors() {
    let f = Flow::offered("chat", Dialect::V2019).await;
    f.op_fails(json!({"nickname": "x"}), 200, 1).await;
    f.op_fails(json!({"operationName": 5}), 200, 1).await;
    f.op_fails(json!({"operationName": "Fly"}), 200, 2).await;
    f.op_fails(
        json!({"operationName": "Transfer", "queueName": "q"}),
        200,
        2,
    )
    .await;
    let (status, resp) = f
        .agent
        .post(
            "/api/v2/me/chats/0000NOSUCHID0000",
            &json!({"operationName": "Accept", "nickname": "x"}),
        )
        .await;
    assert_eq!((status, resp["statusCode"].as_i64()), (404, Some(6)));
    assert_contract(&resp, Dialect::V2019);
    // The interaction is a chat: another collection does not know it.
    let (status, resp) = f
        .agent
        .post(
            &format!("/api/v2/me/smssessions/{}", f.id),
            &json!({"operationName": "Accept", "nickname": "x"}),
        )
        .await;
    assert_eq!((status, resp["statusCode"].as_i64()), (404, Some(6)));
    // Another agent cannot operate on agent1's interaction.
    let other = login(&f.server.base_url(), "agent2", "secret2", Dialect::V2019).await;
    let (status, resp) = other
        .post(
            &f.path(),
            &json!({"operationName": "Accept", "nickname": "x"}),
        )
        .await;
    assert_eq!((status, resp["statusCode"].as_i64()), (404, Some(6)));
    // Still acceptable by its owner.
    f.accept().await;
    f.server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_interactions_at_once_keep_their_own_ordered_notifications() {
    let server = server(config(Dialect::V2019)).await;
    let base = server.base_url();
    let agent = login(&base, "agent1", "secret1", Dialect::V2019).await;
    let cometd = agent.cometd().await;
    let count = 60;
    let runs = (0..count).map(|i| {
        let (agent, base) = (&agent, &base);
        async move {
            let media = ALL_MEDIA[i % 3];
            let id = offer(base, media, "agent1", &format!("Customer{i}"), "Hello").await;
            let path = format!("/api/v2/me/{}/{id}", collection(media, Dialect::V2019));
            let (status, resp) = agent
                .post(
                    &path,
                    &json!({"operationName": "Accept", "nickname": format!("Agent{i}")}),
                )
                .await;
            assert_eq!((status, resp), (200, json!({"statusCode": 0})));
            (media, id)
        }
    });
    let started = std::time::Instant::now();
    let accepted = futures::future::join_all(runs).await;
    eprintln!("{count} offers + accepts in {:?}", started.elapsed());
    let inbox = cometd.inbox();
    for (media, id) in accepted {
        let kinds = [
            ("StatusChange", "Invited"),
            ("StatusChange", "Chatting"),
            ("ParticipantsUpdated", "Chatting"),
            ("NewMessages", ""),
        ];
        for (notification_type, state) in kinds {
            let n = next_for(&inbox, &id).await;
            assert_eq!(n.channel, topic(media));
            assert_eq!(
                n.data["notificationType"], notification_type,
                "{id}: {:#}",
                n.data
            );
            assert_eq!(
                n.data[resource_key(media, Dialect::V2019)]["state"]
                    .as_str()
                    .unwrap_or(""),
                state
            );
        }
    }
    eprintln!("all notifications checked after {:?}", started.elapsed());
    assert!(inbox.snapshot().is_empty(), "{:#?}", inbox.snapshot());
    server.shutdown().await;
}
