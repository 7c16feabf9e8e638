//! The client with a routed, bounded inbox ([`BayeuxClient::handshake_with_inbox`]): per-interaction
//! mailboxes against the Rust `Hub`, and a hostile loopback server (axum on 127.0.0.1:0) that
//! answers every `/meta/connect` with 20,000 notifications, against which the inbox must stay
//! within its caps while the client keeps running, and a wait for a silent interaction must end by
//! itself within its bound.
mod common;

use std::{
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};

use axum::{Router as Routes, body::Bytes, http::header, routing::post};
use common::{BOUND, TestHub, http};
use gws_bayeux::{
    client::{BayeuxClient, ClientConfig, Inbox, InboxLimits, Router, WaitError},
    server::HubConfig,
};
use pretty_assertions::assert_eq;
use serde_json::{Value, json};
use tokio::sync::watch;

/// Notifications per `/meta/connect` answer of the hostile server.
const FLOOD: usize = 20_000;
/// Interactions the flood is spread over (`i0` .. `i49`).
const INTERACTIONS: usize = 50;

fn by_interaction() -> Router {
    Arc::new(|_channel: &str, data: &Value| {
        data.get("interactionId")
            .and_then(Value::as_str)
            .map(str::to_owned)
    })
}

#[tokio::test]
async fn notifications_are_filed_per_interaction_over_http() {
    let hub = TestHub::start(HubConfig::default()).await;
    let inbox = Inbox::with_router(by_interaction(), InboxLimits::DEFAULT);
    let client = BayeuxClient::handshake_with_inbox(http(), hub.config("agent"), inbox.clone())
        .await
        .expect("handshake");
    client.subscribe("/v2/me/*").await.unwrap();
    let waiting_for_b = {
        let inbox = client.inbox();
        tokio::spawn(async move {
            inbox
                .take_from(Some("B"), |n| n.data["n"] == 2, BOUND)
                .await
        })
    };
    for (id, n) in [("A", 1), ("B", 1), ("A", 2), ("B", 2)] {
        hub.hub.publish(
            "agent",
            "/v2/me/chats",
            json!({"interactionId": id, "n": n}),
        );
    }
    hub.hub
        .publish("agent", "/v2/me/agent", json!({"messageType": "Other"}));
    let b = waiting_for_b
        .await
        .unwrap()
        .expect("B's second notification");
    assert_eq!(b.data, json!({"interactionId": "B", "n": 2}));
    let a = inbox
        .take_from(Some("A"), |n| n.data["n"] == 2, BOUND)
        .await
        .expect("A's second notification");
    assert_eq!(a.data["interactionId"], json!("A"));
    let none = inbox.take_from(None, |_| true, BOUND).await.unwrap();
    assert_eq!(none.channel, "/v2/me/agent");
    assert_eq!((inbox.len_in(Some("A")), inbox.len_in(Some("B"))), (1, 1));
    // The older, unrouted call sites still see every mailbox, in arrival order.
    let first = inbox.take(|_| true, BOUND).await.unwrap();
    assert_eq!(first.data, json!({"interactionId": "A", "n": 1}));
    assert!(inbox.overflow().is_none());
}

/// A Bayeux server that accepts any handshake and subscribe and answers every `/meta/connect` at
/// once with [`FLOOD`] notifications; `connects` counts the connect answers sent.
async fn hostile_server() -> (url::Url, watch::Receiver<usize>) {
    let notifications: Vec<Value> = (0..FLOOD)
        .map(|n| {
            json!({
                "channel": "/v2/me/chats",
                "data": {
                    "interactionId": format!("i{}", n % INTERACTIONS),
                    "messageType": "ChatStateChangeMessage",
                    "n": n,
                },
            })
        })
        .chain(std::iter::once(
            json!({"channel": "/meta/connect", "successful": true, "advice": {"reconnect": "retry", "interval": 0, "timeout": 100}}),
        ))
        .collect();
    let flood = Bytes::from(serde_json::to_vec(&notifications).unwrap());
    let (connects, connected) = watch::channel(0usize);
    let connects = Arc::new(connects);
    let answered = Arc::new(AtomicUsize::new(0));
    let app = Routes::new().route(
        "/cometd",
        post(move |body: Bytes| {
            let flood = flood.clone();
            let connects = connects.clone();
            let answered = answered.clone();
            async move {
                let batch: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
                let first = batch.get(0).cloned().unwrap_or(Value::Null);
                let channel = first["channel"].as_str().unwrap_or_default().to_owned();
                let reply = match channel.as_str() {
                    "/meta/connect" => {
                        let sent = answered.fetch_add(1, Ordering::SeqCst) + 1;
                        connects.send_replace(sent);
                        flood
                    }
                    "/meta/handshake" => Bytes::from(
                        json!([{"channel": "/meta/handshake", "successful": true, "clientId": "flooded",
                                "version": "1.0", "supportedConnectionTypes": ["long-polling"],
                                "advice": {"reconnect": "retry", "interval": 0, "timeout": 100}}])
                        .to_string(),
                    ),
                    other => Bytes::from(
                        json!([{"channel": other, "id": first["id"], "successful": true,
                                "subscription": first["subscription"]}])
                        .to_string(),
                    ),
                };
                ([(header::CONTENT_TYPE, "application/json")], reply)
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    let endpoint = url::Url::parse(&format!("http://{address}/cometd")).unwrap();
    (endpoint, connected)
}

fn assert_within(inbox: &Inbox, limits: InboxLimits) {
    assert!(
        inbox.len() <= limits.total_count,
        "{} stored > total_count {}",
        inbox.len(),
        limits.total_count
    );
    assert!(
        inbox.stored_bytes() <= limits.total_bytes,
        "{} bytes stored > total_bytes {}",
        inbox.stored_bytes(),
        limits.total_bytes
    );
    for i in 0..INTERACTIONS {
        let key = format!("i{i}");
        let held = inbox.len_in(Some(&key));
        assert!(
            held <= limits.per_mailbox_count,
            "mailbox {key}: {held} > per_mailbox_count {}",
            limits.per_mailbox_count
        );
    }
    assert!(inbox.mailbox_count() <= INTERACTIONS + 1);
}

/// Floods a client whose inbox has `limits`; checks the caps hold, the client keeps running and
/// a wait for an interaction the server never mentions ends by itself within its bound.
async fn survives_the_flood(limits: InboxLimits) {
    let (endpoint, mut connects) = hostile_server().await;
    let inbox = Inbox::with_router(by_interaction(), limits);
    // Waits from before the first notification: woken by the first overflow at the latest.
    let wait = Duration::from_secs(5);
    let silent = {
        let inbox = inbox.clone();
        tokio::spawn(async move {
            let started = Instant::now();
            let outcome = inbox.take_from(Some("silent"), |_| true, wait).await;
            (outcome, started.elapsed())
        })
    };
    let mut config = ClientConfig::new(endpoint);
    config.request_timeout = BOUND;
    let client = BayeuxClient::handshake_with_inbox(http(), config, inbox.clone())
        .await
        .expect("handshake");
    client.subscribe("/v2/me/*").await.expect("subscribe");

    let (outcome, waited) = tokio::time::timeout(wait + Duration::from_secs(1), silent)
        .await
        .expect("the wait for a silent interaction ended within its timeout plus a second")
        .unwrap();
    assert!(waited <= wait + Duration::from_secs(1), "{waited:?}");
    match outcome {
        Err(WaitError::Overflow { cap, limit, .. }) => {
            assert!(
                [
                    "per_mailbox_count",
                    "per_mailbox_bytes",
                    "total_count",
                    "total_bytes"
                ]
                .contains(&cap.as_str()),
                "{cap}"
            );
            assert!(limit > 0);
        }
        Err(WaitError::Timeout { seen, .. }) => assert!(seen.len() <= 10),
        other => panic!("expected an overflow or a timeout, got {other:?}"),
    }

    // Several floods later the caps still hold and the client is still connected.
    tokio::time::timeout(Duration::from_secs(30), connects.wait_for(|n| *n >= 4))
        .await
        .expect("four connect answers within 30 s")
        .unwrap();
    assert_within(&inbox, limits);
    assert!(inbox.overflow().is_some(), "the flood overflowed the inbox");
    assert!(inbox.dropped() > 0);
    assert!(inbox.failure().is_none(), "the client keeps running");

    // A later wait answers at once with the overflow.
    let started = Instant::now();
    let later = inbox
        .take_from(Some("silent"), |_| true, Duration::from_secs(30))
        .await;
    assert!(
        matches!(later, Err(WaitError::Overflow { .. })),
        "{later:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(1));
    // Notifications that did fit are still served.
    assert!(
        inbox
            .take_from(Some("i7"), |_| true, Duration::ZERO)
            .await
            .is_ok()
    );
    assert_within(&inbox, limits);
    drop(client);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flooding_server_cannot_grow_the_inbox_past_the_default_caps() {
    tokio::time::timeout(
        Duration::from_secs(60),
        survives_the_flood(InboxLimits::DEFAULT),
    )
    .await
    .expect("the flood test ended within 60 s");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flooding_server_cannot_grow_the_inbox_past_tight_caps() {
    let limits = InboxLimits {
        per_mailbox_count: 50,
        per_mailbox_bytes: 2 * 1024,
        total_count: 500,
        total_bytes: 16 * 1024,
    };
    tokio::time::timeout(Duration::from_secs(60), survives_the_flood(limits))
        .await
        .expect("the flood test ended within 60 s");
}
