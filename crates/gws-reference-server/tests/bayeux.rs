//! The CometD endpoint as mounted by the server, with raw Bayeux POSTs (so the server's HTTP
//! layer is tested independently of the Rust client) and with the gws-bayeux client: handshake,
//! subscribe (exact and wildcard), delivery through `/meta/connect`, message-type URL suffixes,
//! a stale `clientId`, disconnect, and two agents not seeing each other's notifications.

mod common;

use std::time::Duration;

use common::*;
use gws_reference_server::{Dialect, ServerConfig};
use serde_json::{Value, json};

async fn bayeux(a: &AgentSession, suffix: &str, batch: Value) -> Vec<Value> {
    let (status, body) = a
        .post(&format!("/api/v2/notifications{suffix}"), &batch)
        .await;
    assert_eq!(status, 200, "{body}");
    body.as_array()
        .unwrap_or_else(|| panic!("a batch: {body}"))
        .clone()
}

async fn handshake(a: &AgentSession) -> String {
    let reply = bayeux(
        a,
        "/handshake",
        json!([{"channel": "/meta/handshake", "version": "1.0", "minimumVersion": "1.0", "supportedConnectionTypes": ["long-polling"]}]),
    )
    .await;
    assert_eq!(reply[0]["successful"], true, "{reply:?}");
    reply[0]["clientId"].as_str().unwrap().to_string()
}

fn connect(client_id: &str) -> Value {
    json!([{"channel": "/meta/connect", "clientId": client_id, "connectionType": "long-polling"}])
}

#[tokio::test]
async fn raw_handshake_subscribe_connect_disconnect() {
    let server = server(ServerConfig {
        connect_timeout: Duration::from_millis(300),
        ..config(Dialect::V2019)
    })
    .await;
    let base = server.base_url();
    let a = login(&base, "agent1", "secret1", Dialect::V2019).await;
    let client_id = handshake(&a).await;
    // A single message object (not an array) is accepted too.
    let sub = bayeux(
        &a,
        "",
        json!({"channel": "/meta/subscribe", "clientId": client_id, "subscription": "/v2/me/**"}),
    )
    .await;
    assert_eq!(sub[0]["successful"], true, "{sub:?}");
    let id = offer(&base, "facebooksession", "agent1", "PersonP", "Hi").await;
    let reply = bayeux(&a, "/connect", connect(&client_id)).await;
    let delivered: Vec<_> = reply
        .iter()
        .filter(|m| m["channel"] == "/v2/me/facebooksession")
        .collect();
    assert_eq!(delivered.len(), 1, "{reply:#?}");
    assert_eq!(delivered[0]["data"]["facebooksessions"]["id"], id.as_str());
    assert_contract(&delivered[0]["data"], Dialect::V2019);
    if let Err(e) =
        gws_contract::validate("bayeux-envelope", delivered[0], gws_contract::Mode::Strict)
    {
        panic!("{:#} is not a valid Bayeux envelope: {e:?}", delivered[0]);
    }
    assert!(
        reply
            .iter()
            .any(|m| m["channel"] == "/meta/connect" && m["successful"] == true),
        "{reply:#?}"
    );

    let bye = bayeux(
        &a,
        "/disconnect",
        json!([{"channel": "/meta/disconnect", "clientId": client_id}]),
    )
    .await;
    assert_eq!(bye[0]["successful"], true);
    let stale = bayeux(&a, "/connect", connect(&client_id)).await;
    assert_eq!(stale[0]["successful"], false);
    assert!(
        stale[0]["error"].as_str().unwrap_or("").starts_with("402"),
        "{stale:?}"
    );
    assert_eq!(stale[0]["advice"]["reconnect"], "handshake");
    server.shutdown().await;
}

#[tokio::test]
async fn unknown_client_gets_402_with_handshake_advice() {
    let server = server(config(Dialect::V2019)).await;
    let a = login(&server.base_url(), "agent1", "secret1", Dialect::V2019).await;
    let reply = bayeux(&a, "/connect", connect("no-such-client")).await;
    assert_eq!(reply[0]["successful"], false);
    assert!(
        reply[0]["error"].as_str().unwrap_or("").starts_with("402"),
        "{reply:?}"
    );
    assert_eq!(reply[0]["advice"]["reconnect"], "handshake");
    server.shutdown().await;
}

#[tokio::test]
async fn two_agents_do_not_see_each_others_notifications() {
    let server = server(config(Dialect::V2019)).await;
    let base = server.base_url();
    let a1 = login(&base, "agent1", "secret1", Dialect::V2019).await;
    let a2 = login(&base, "agent2", "secret2", Dialect::V2019).await;
    let c1 = a1.cometd().await;
    let c2 = a2.cometd().await;
    c2.subscribe("/v2/me/**").await.unwrap();
    let id1 = offer(&base, "chat", "agent1", "PersonP", "for agent1").await;
    let id2 = offer(&base, "smssession", "agent2", "PersonQ", "for agent2").await;
    let n1 = next_for(&c1.inbox(), &id1).await;
    let n2 = next_for(&c2.inbox(), &id2).await;
    assert_eq!(
        (n1.channel.as_str(), n2.channel.as_str()),
        ("/v2/me/chats", "/v2/me/smssessions")
    );
    // Each has now seen its own offer; any delivery of the other's would have been queued before it.
    assert_no_more(&c1.inbox(), &id2);
    assert_no_more(&c2.inbox(), &id1);
    // agent2 cannot even see agent1's interaction over HTTP.
    let (status, _) = a2.get(&format!("/api/v2/me/chats/{id1}")).await;
    assert_eq!(status, 404);
    c1.disconnect().await.unwrap();
    c2.disconnect().await.unwrap();
    server.shutdown().await;
}

#[tokio::test]
async fn exact_subscription_gets_only_its_topic_until_unsubscribed() {
    let server = server(ServerConfig {
        connect_timeout: Duration::from_millis(300),
        ..config(Dialect::V2019)
    })
    .await;
    let base = server.base_url();
    let a = login(&base, "agent1", "secret1", Dialect::V2019).await;
    let client_id = handshake(&a).await;
    let sub = bayeux(&a, "/subscribe", json!([{"channel": "/meta/subscribe", "clientId": client_id, "subscription": "/v2/me/chats"}])).await;
    assert_eq!(sub[0]["successful"], true, "{sub:?}");
    let sms = offer(&base, "smssession", "agent1", "PersonP", "Hi").await;
    let chat = offer(&base, "chat", "agent1", "PersonP", "Hi").await;
    let reply = bayeux(&a, "/connect", connect(&client_id)).await;
    let delivered: Vec<_> = reply.iter().filter(|m| m.get("data").is_some()).collect();
    assert_eq!(delivered.len(), 1, "{reply:#?}");
    assert_eq!(delivered[0]["channel"], "/v2/me/chats");
    assert_eq!(delivered[0]["data"]["chat"]["id"], chat.as_str());
    assert!(!serde_json::to_string(&reply).unwrap().contains(&sms));

    let unsub = bayeux(&a, "/unsubscribe", json!([{"channel": "/meta/unsubscribe", "clientId": client_id, "subscription": "/v2/me/chats"}])).await;
    assert_eq!(unsub[0]["successful"], true, "{unsub:?}");
    offer(&base, "chat", "agent1", "PersonP", "again").await;
    // The connect is held for the advised 300 ms and returns with nothing delivered.
    let reply = bayeux(&a, "/connect", connect(&client_id)).await;
    assert!(reply.iter().all(|m| m.get("data").is_none()), "{reply:#?}");
    assert_eq!(reply.last().unwrap()["successful"], true);
    server.shutdown().await;
}
