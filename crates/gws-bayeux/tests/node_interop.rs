//! Interop with REAL CometD peers (official npm packages, run by Node from `tests/node`):
//! 1. the official CometD JavaScript client (`cometd` + `cometd-nodejs-client`) against the Rust
//!    hub: handshake with Basic auth, subscribe `/v2/me/*`, receive what the Rust side publishes,
//!    recover from `402::Unknown client`, disconnect;
//! 2. the Rust `BayeuxClient` against the official CometD server for Node
//!    (`cometd-nodejs-server`): handshake, subscribe, pushed messages, and a server-side session
//!    removal → `402::session_unknown` → re-handshake → messages again.
//!
//! The npm packages are installed from `tests/node/package-lock.json` when missing.
mod common;

use std::time::Duration;

use common::{BOUND, TestHub, http, node::NodeScript};
use gws_bayeux::{
    client::{BayeuxClient, ClientConfig},
    server::HubConfig,
};
use pretty_assertions::assert_eq;
use serde_json::json;

/// Node start-up plus an npm install on a cold machine can take a while; each step is bounded.
const NODE_STEP: Duration = Duration::from_secs(20);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn official_cometd_js_client_against_the_rust_hub() {
    // A short hold makes the JS client go through several connect cycles during the test.
    let hub = TestHub::start(HubConfig {
        connect_timeout: Duration::from_secs(1),
        ..HubConfig::default()
    })
    .await;
    let endpoint = hub.endpoint.to_string();
    let mut node = NodeScript::start(
        "bayeux-client.mjs",
        &[&endpoint, "/v2/me/*", "agent1:secret", "3", "20000"],
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    let ready = node
        .expect("READY", NODE_STEP)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(ready["handshakes"], json!(1));
    assert_eq!(
        hub.hub.client_count("agent1"),
        1,
        "the JS client is known under its Basic user"
    );

    // Not for this client: another owner, and a channel below the one-level wildcard.
    assert_eq!(
        hub.hub
            .publish("agent2", "/v2/me/chats", json!({"wrong": "owner"})),
        0
    );
    assert_eq!(
        hub.hub
            .publish("agent1", "/v2/me/chats/deeper", json!({"wrong": "depth"})),
        0
    );
    assert_eq!(
        hub.hub.publish(
            "agent1",
            "/v2/me/chats",
            json!({"messageType": "ChatStateChangeMessage", "n": 1})
        ),
        1
    );
    assert_eq!(
        hub.hub
            .publish("agent1", "/v2/me/facebooksession", json!({"n": 2})),
        1
    );
    let first = node
        .expect("MESSAGE", NODE_STEP)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let second = node
        .expect("MESSAGE", NODE_STEP)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        first,
        json!({"channel": "/v2/me/chats", "data": {"messageType": "ChatStateChangeMessage", "n": 1}})
    );
    assert_eq!(
        second,
        json!({"channel": "/v2/me/facebooksession", "data": {"n": 2}})
    );

    // The hub forgets the client: the official client must understand our 402 + handshake advice.
    assert_eq!(hub.hub.forget_clients("agent1"), 1);
    let again = node
        .expect("READY", NODE_STEP)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(again["handshakes"], json!(2));
    assert_ne!(again["clientId"], ready["clientId"]);
    assert_eq!(
        hub.hub
            .publish("agent1", "/v2/me/smssessions", json!({"n": 3})),
        1
    );
    let third = node
        .expect("MESSAGE", NODE_STEP)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        third,
        json!({"channel": "/v2/me/smssessions", "data": {"n": 3}})
    );

    let disconnected = node
        .expect("DISCONNECTED", NODE_STEP)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(disconnected, json!({"successful": true}));
    let status = node
        .finish(NODE_STEP)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(status.success(), "node exited with {status}");
    assert_eq!(
        hub.hub.client_count("agent1"),
        0,
        "the JS client's /meta/disconnect reached the hub"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rust_client_against_the_official_cometd_node_server() {
    let mut node = NodeScript::start("bayeux-server.mjs", &["30000"])
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let listening = node
        .expect("LISTENING", NODE_STEP)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let port = listening["port"].as_u64().expect("port");
    let mut config =
        ClientConfig::new(url::Url::parse(&format!("http://127.0.0.1:{port}/cometd")).unwrap());
    config.request_timeout = BOUND;
    let client = BayeuxClient::handshake(http(), config)
        .await
        .expect("handshake with the CometD Node server");
    client
        .subscribe("/v2/me/*")
        .await
        .expect("subscribe on the CometD Node server");
    let subscribed = node
        .expect("SUBSCRIBED", NODE_STEP)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        subscribed,
        json!({"clientId": client.client_id(), "channel": "/v2/me/*"})
    );

    for (channel, data) in [
        ("/v2/me/chats", json!({"n": 1})),
        ("/v2/me/chats/deeper", json!({"n": "no"})),
        ("/v2/me/emails", json!({"n": 2})),
    ] {
        node.send(&json!({"op": "publish", "channel": channel, "data": data}))
            .await
            .unwrap();
        node.expect("ACK", NODE_STEP)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let inbox = client.inbox();
    let first = inbox
        .take(|n| n.data["n"] == 1, BOUND)
        .await
        .expect("first pushed message");
    let second = inbox
        .take(|n| n.data["n"] == 2, BOUND)
        .await
        .expect("second pushed message");
    assert_eq!(
        (first.channel.as_str(), second.channel.as_str()),
        ("/v2/me/chats", "/v2/me/emails")
    );
    assert!(first.seq < second.seq);
    assert!(
        inbox.is_empty(),
        "the server's wildcard is one level too: {:?}",
        inbox.snapshot()
    );

    // Server-side session removal: the next connect gets 402::session_unknown + handshake advice.
    let before = client.client_id();
    node.send(&json!({"op": "disconnect-sessions"}))
        .await
        .unwrap();
    let ack = node
        .expect("ACK", NODE_STEP)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(ack, json!({"op": "disconnect-sessions", "count": 1}));
    assert_eq!(
        client
            .wait_for_handshakes(2, BOUND)
            .await
            .expect("re-handshake with the Node server"),
        2
    );
    assert_ne!(client.client_id(), before);
    let resubscribed = node
        .expect("SUBSCRIBED", NODE_STEP)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        resubscribed,
        json!({"clientId": client.client_id(), "channel": "/v2/me/*"})
    );
    node.send(&json!({"op": "publish", "channel": "/v2/me/chats", "data": {"n": 3}}))
        .await
        .unwrap();
    let third = inbox
        .take(|n| n.data["n"] == 3, BOUND)
        .await
        .expect("message after the re-handshake");
    assert_eq!(third.channel, "/v2/me/chats");

    client
        .disconnect()
        .await
        .expect("disconnect from the Node server");
    node.send(&json!({"op": "exit"})).await.unwrap();
    let status = node
        .finish(NODE_STEP)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(status.success(), "node exited with {status}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_rust_clients_sharing_a_cookie_store_both_receive_from_the_node_server() {
    // CometD servers spot two long-polls from one browser (BAYEUX_BROWSER cookie) and advise the
    // second client `multiple-clients` with a 2 s `interval`: the client must keep polling
    // (advice honoured), not stop.
    let mut node = NodeScript::start("bayeux-server.mjs", &["30000"])
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let listening = node
        .expect("LISTENING", NODE_STEP)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let endpoint =
        url::Url::parse(&format!("http://127.0.0.1:{}/cometd", listening["port"])).unwrap();
    let shared = http();
    let mut config = ClientConfig::new(endpoint);
    config.request_timeout = BOUND;
    let first = BayeuxClient::handshake(shared.clone(), config.clone())
        .await
        .expect("first handshake");
    let second = BayeuxClient::handshake(shared, config)
        .await
        .expect("second handshake");
    first.subscribe("/v2/me/chats").await.unwrap();
    second.subscribe("/v2/me/chats").await.unwrap();
    for n in 1..=2 {
        node.send(&json!({"op": "publish", "channel": "/v2/me/chats", "data": {"n": n}}))
            .await
            .unwrap();
        node.expect("ACK", NODE_STEP)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        for client in [&first, &second] {
            let got = client
                .inbox()
                .take(|m| m.data["n"] == n, BOUND)
                .await
                .expect("both clients receive");
            assert_eq!(got.channel, "/v2/me/chats");
        }
    }
    assert!(first.inbox().failure().is_none() && second.inbox().failure().is_none());
    node.send(&json!({"op": "exit"})).await.unwrap();
    assert!(
        node.finish(NODE_STEP)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .success()
    );
}
