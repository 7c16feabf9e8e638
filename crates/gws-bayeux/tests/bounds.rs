//! The hub's bounds (issue 12): live sessions per owner (the oldest evicted, a client holding a
//! connect passed over), handshakes per batch (the excess refused in the same reply), and each
//! client's queue bounded by count and by bytes (oldest dropped first). Driven through
//! `Hub::handle` and, for the batch bound, over HTTP on 127.0.0.1. No sleeps: every wait is on a
//! reply, bounded by `BOUND` as a guard only.
mod common;

use std::{sync::Arc, time::Duration};

use common::{BOUND, TestHub, basic, http};
use gws_bayeux::{
    message::{Message, is_unknown_client_error},
    server::{
        Hub, HubConfig, MAX_HANDSHAKES_PER_BATCH, MAX_QUEUED_BYTES_PER_CLIENT,
        MAX_SESSIONS_PER_OWNER, Queued, TOO_MANY_HANDSHAKES,
    },
};
use pretty_assertions::assert_eq;
use serde_json::{Value, json};

fn msg(value: Value) -> Message {
    serde_json::from_value(value).expect("test message")
}

fn handshake_msg(id: usize) -> Message {
    msg(
        json!({"channel":"/meta/handshake","id":id.to_string(),"version":"1.0","supportedConnectionTypes":["long-polling"]}),
    )
}

fn hub(config: HubConfig) -> Arc<Hub> {
    Hub::new(HubConfig {
        connect_timeout: Duration::from_secs(30),
        ..config
    })
}

async fn handshake(hub: &Hub, owner: &str) -> String {
    hub.handle(owner, vec![handshake_msg(0)]).await[0]
        .client_id
        .clone()
        .expect("clientId")
}

async fn subscribe(hub: &Hub, owner: &str, client_id: &str) {
    let reply = hub
        .handle(
            owner,
            vec![msg(
                json!({"channel":"/meta/subscribe","clientId":client_id,"subscription":"/v2/me/*"}),
            )],
        )
        .await
        .remove(0);
    assert_eq!(reply.successful, Some(true), "{reply:?}");
}

/// A connect asking for an immediate answer (`advice.timeout: 0`): the queued messages, then the
/// connect reply.
async fn connect_now(hub: &Hub, owner: &str, client_id: &str) -> Vec<Message> {
    tokio::time::timeout(
        BOUND,
        hub.handle(
            owner,
            vec![msg(
                json!({"channel":"/meta/connect","clientId":client_id,"connectionType":"long-polling","advice":{"timeout":0}}),
            )],
        ),
    )
    .await
    .expect("an immediate connect is answered")
}

fn is_live(replies: &[Message]) -> bool {
    replies.last().and_then(|r| r.successful) == Some(true)
}

fn forgotten(replies: &[Message]) -> bool {
    let last = replies.last().expect("a connect reply");
    last.successful == Some(false)
        && last.error.as_deref().is_some_and(is_unknown_client_error)
        && last.advice.as_ref().and_then(|a| a.reconnect.as_deref()) == Some("handshake")
}

#[test]
fn the_documented_defaults_are_the_config_defaults() {
    let config = HubConfig::default();
    assert_eq!(config.max_sessions_per_owner, MAX_SESSIONS_PER_OWNER);
    assert_eq!(config.max_handshakes_per_batch, MAX_HANDSHAKES_PER_BATCH);
    assert_eq!(config.max_queued_bytes, MAX_QUEUED_BYTES_PER_CLIENT);
    assert_eq!(MAX_QUEUED_BYTES_PER_CLIENT, 4 * 1024 * 1024);
}

#[tokio::test]
async fn a_handshake_at_the_owner_cap_evicts_that_owners_oldest_session() {
    let cap = 8;
    let hub = hub(HubConfig {
        max_sessions_per_owner: cap,
        ..HubConfig::default()
    });
    let other = handshake(&hub, "agent2").await;
    let mut ids = Vec::new();
    for _ in 0..cap {
        ids.push(handshake(&hub, "agent1").await);
    }
    assert_eq!(hub.client_count("agent1"), cap);
    let newer = handshake(&hub, "agent1").await;
    assert_eq!(hub.client_count("agent1"), cap);
    // The oldest is forgotten (402, re-handshake), the rest and the newest are live.
    assert!(forgotten(&connect_now(&hub, "agent1", &ids[0]).await));
    for id in ids[1..].iter().chain([&newer]) {
        assert!(is_live(&connect_now(&hub, "agent1", id).await), "{id}");
    }
    // Another owner's sessions are not touched by agent1's cap.
    assert!(is_live(&connect_now(&hub, "agent2", &other).await));
    assert_eq!(hub.client_count("agent2"), 1);
    assert_eq!(hub.total_clients(), cap + 1);
}

#[tokio::test]
async fn eviction_at_the_cap_keeps_the_newest_sessions_over_many_inserts() {
    // Inserting many times the cap, in batches: the count never passes the cap and exactly the
    // newest `cap` sessions are live afterwards (eviction is by handshake order).
    let cap = 1000;
    let hub = hub(HubConfig {
        max_sessions_per_owner: cap,
        ..HubConfig::default()
    });
    let mut all = Vec::new();
    for _ in 0..(50 * cap / MAX_HANDSHAKES_PER_BATCH) {
        let batch = (0..MAX_HANDSHAKES_PER_BATCH).map(handshake_msg).collect();
        let replies = hub.handle("agent1", batch).await;
        assert!(replies.iter().all(|r| r.successful == Some(true)));
        all.extend(replies.into_iter().map(|r| r.client_id.expect("clientId")));
        assert!(hub.client_count("agent1") <= cap);
    }
    assert_eq!(hub.client_count("agent1"), cap);
    assert_eq!(hub.total_clients(), cap);
    let (old, new) = all.split_at(all.len() - cap);
    for id in new {
        assert!(hub.queued(id).is_some(), "newest {id} was evicted");
    }
    assert!(old.iter().all(|id| hub.queued(id).is_none()));
}

#[tokio::test]
async fn a_client_holding_a_connect_survives_a_flood_of_handshakes() {
    let cap = 8;
    let hub = hub(HubConfig {
        max_sessions_per_owner: cap,
        ..HubConfig::default()
    });
    let held = handshake(&hub, "agent1").await;
    subscribe(&hub, "agent1", &held).await;
    let connect = hub.handle(
        "agent1",
        vec![msg(
            json!({"channel":"/meta/connect","clientId":held,"connectionType":"long-polling","id":"held"}),
        )],
    );
    tokio::pin!(connect);
    // Poll the connect once: it finds nothing queued and is held.
    tokio::select! {
        biased;
        replies = &mut connect => panic!("the connect was answered at once: {replies:?}"),
        () = std::future::ready(()) => {}
    }
    let mut idle = Vec::new();
    for _ in 0..(100 * cap) {
        idle.push(handshake(&hub, "agent1").await);
    }
    assert_eq!(hub.client_count("agent1"), cap);
    assert!(hub.queued(&held).is_some(), "the held client was evicted");
    // Its held connect still delivers: woken by a publish, not by an eviction.
    assert!(hub.publish("agent1", "/v2/me/chats", json!({"n": 1})) >= 1);
    let replies = tokio::time::timeout(BOUND, connect)
        .await
        .expect("the held connect is answered");
    assert_eq!(replies.len(), 2, "{replies:?}");
    assert_eq!(replies[0].data, Some(json!({"n": 1})));
    assert_eq!(replies[1].successful, Some(true));
    // The idle ones were evicted oldest first.
    assert!(hub.queued(&idle[0]).is_none());
    assert!(hub.queued(idle.last().expect("one")).is_some());
}

#[tokio::test]
async fn the_excess_handshakes_of_one_batch_are_refused_in_the_same_reply() {
    let hub = hub(HubConfig::default());
    let asked = MAX_HANDSHAKES_PER_BATCH + 9;
    let replies = hub
        .handle("agent1", (0..asked).map(handshake_msg).collect())
        .await;
    assert_eq!(replies.len(), asked);
    for (i, reply) in replies.iter().enumerate() {
        assert_eq!(reply.channel, "/meta/handshake");
        assert_eq!(reply.id.as_deref(), Some(i.to_string().as_str()));
        if i < MAX_HANDSHAKES_PER_BATCH {
            assert_eq!(reply.successful, Some(true), "{reply:?}");
            assert!(reply.client_id.is_some());
        } else {
            assert_eq!(reply.successful, Some(false), "{reply:?}");
            assert!(reply.client_id.is_none());
            let error = reply.error.as_deref().unwrap_or_default();
            assert!(error.starts_with(TOO_MANY_HANDSHAKES), "{error}");
        }
    }
    assert_eq!(hub.client_count("agent1"), MAX_HANDSHAKES_PER_BATCH);
    // The bound is per batch: the next batch is answered as usual.
    assert!(is_live(&[hub
        .handle("agent1", vec![handshake_msg(0)])
        .await
        .remove(0)]));
}

#[tokio::test]
async fn over_http_a_batch_of_many_handshakes_gets_the_bound_and_refusals() {
    let mut server = TestHub::start(HubConfig::default()).await;
    let asked = 2000;
    let body: Vec<Value> = (0..asked)
        .map(|i| json!({"channel":"/meta/handshake","id":i.to_string(),"version":"1.0","supportedConnectionTypes":["long-polling"]}))
        .collect();
    let response = tokio::time::timeout(
        BOUND,
        http()
            .post(server.endpoint.clone())
            .header(reqwest::header::AUTHORIZATION, basic("agent1", "x"))
            .json(&body)
            .send(),
    )
    .await
    .expect("answered within the bound")
    .expect("HTTP reply");
    assert_eq!(response.status(), 200);
    let replies: Vec<Message> = response.json().await.expect("a JSON batch");
    assert_eq!(replies.len(), asked);
    let granted = replies
        .iter()
        .filter(|r| r.successful == Some(true))
        .count();
    assert_eq!(granted, MAX_HANDSHAKES_PER_BATCH);
    assert!(
        replies[MAX_HANDSHAKES_PER_BATCH..]
            .iter()
            .all(|r| r.successful == Some(false))
    );
    assert_eq!(server.hub.client_count("agent1"), MAX_HANDSHAKES_PER_BATCH);
    server.stop().await;
}

#[tokio::test]
async fn a_queue_at_its_count_bound_drops_the_oldest_messages() {
    let hub = hub(HubConfig {
        max_queued_messages: 5,
        ..HubConfig::default()
    });
    let id = handshake(&hub, "agent1").await;
    subscribe(&hub, "agent1", &id).await;
    for n in 0..12 {
        assert_eq!(hub.publish("agent1", "/v2/me/chats", json!({"n": n})), 1);
        assert!(hub.queued(&id).expect("live").messages <= 5);
    }
    let replies = connect_now(&hub, "agent1", &id).await;
    let delivered: Vec<Value> = replies.iter().filter_map(|m| m.data.clone()).collect();
    assert_eq!(
        delivered,
        (7..12).map(|n| json!({"n": n})).collect::<Vec<_>>()
    );
    assert!(is_live(&replies));
    assert_eq!(hub.queued(&id), Some(Queued::default()));
}

#[tokio::test]
async fn a_queue_at_its_byte_bound_drops_the_oldest_messages() {
    let max_bytes = 10_000;
    let hub = hub(HubConfig {
        max_queued_bytes: max_bytes,
        ..HubConfig::default()
    });
    let id = handshake(&hub, "agent1").await;
    subscribe(&hub, "agent1", &id).await;
    let filler = "x".repeat(900);
    for n in 0..60 {
        hub.publish("agent1", "/v2/me/chats", json!({"n": n, "text": filler}));
        let queued = hub.queued(&id).expect("live");
        assert!(queued.bytes <= max_bytes, "{queued:?}");
    }
    let queued = hub.queued(&id).expect("live");
    let replies = connect_now(&hub, "agent1", &id).await;
    let delivered: Vec<&Message> = replies.iter().filter(|m| m.data.is_some()).collect();
    // What was counted is the messages' JSON text, and the newest were kept, contiguous.
    let bytes: usize = delivered
        .iter()
        .map(|m| serde_json::to_vec(m).expect("JSON").len())
        .sum();
    assert_eq!(
        (queued.messages, queued.bytes),
        (delivered.len(), bytes),
        "{queued:?}"
    );
    assert!(
        bytes > max_bytes - 1000,
        "the queue kept too little: {bytes}"
    );
    let numbers: Vec<u64> = delivered
        .iter()
        .map(|m| m.data.as_ref().and_then(|d| d["n"].as_u64()).expect("n"))
        .collect();
    let first = 60 - numbers.len() as u64;
    assert_eq!(numbers, (first..60).collect::<Vec<_>>());
    // A message larger than the bound on its own is queued alone.
    hub.publish("agent1", "/v2/me/chats", json!({"n": 1}));
    hub.publish(
        "agent1",
        "/v2/me/chats",
        json!({"n": 2, "text": "y".repeat(2 * max_bytes)}),
    );
    assert_eq!(hub.queued(&id).expect("live").messages, 1);
    let replies = connect_now(&hub, "agent1", &id).await;
    assert_eq!(replies.len(), 2);
    assert_eq!(
        replies[0].data.as_ref().map(|d| d["n"].clone()),
        Some(json!(2))
    );
}

#[tokio::test]
async fn a_message_queued_for_many_clients_reaches_each_of_them() {
    // The queued message is shared between clients; each still gets its own copy.
    let hub = hub(HubConfig::default());
    let mut ids = Vec::new();
    for _ in 0..3 {
        let id = handshake(&hub, "agent1").await;
        subscribe(&hub, "agent1", &id).await;
        ids.push(id);
    }
    assert_eq!(hub.publish("agent1", "/v2/me/chats", json!({"n": 7})), 3);
    for id in &ids {
        let replies = connect_now(&hub, "agent1", id).await;
        assert_eq!(replies[0].data, Some(json!({"n": 7})));
        assert_eq!(replies[0].channel, "/v2/me/chats");
    }
}

#[tokio::test]
async fn disconnect_and_forget_free_the_sessions() {
    let hub = hub(HubConfig::default());
    let a = handshake(&hub, "agent1").await;
    let _b = handshake(&hub, "agent1").await;
    let replies = hub
        .handle(
            "agent1",
            vec![msg(json!({"channel":"/meta/disconnect","clientId":a}))],
        )
        .await;
    assert_eq!(replies[0].successful, Some(true));
    assert_eq!(hub.total_clients(), 1);
    assert!(hub.queued(&a).is_none());
    assert_eq!(hub.forget_clients("agent1"), 1);
    assert_eq!(hub.total_clients(), 0);
    assert_eq!(hub.client_count("agent1"), 0);
}
