//! The reference server stays bounded (issues 10 and 12), over HTTP on 127.0.0.1: interactions
//! are freed by the provider-state teardown that names them and evicted oldest first at the
//! per-agent bound (an evicted one answers as unknown: HTTP 404, statusCode 6), HTTP sessions and
//! CometD handshakes are bounded. No sleeps; every request is answered or the test fails.
mod common;

use common::{config, login, offer, provider_state, server};
use gws_reference_server::{Dialect, MAX_INTERACTIONS_PER_AGENT, ServerConfig};
use pretty_assertions::assert_eq;
use serde_json::{Value, json};

const OFFERED: &str = "an interaction is offered to the agent";

fn small(max_interactions_per_agent: usize) -> ServerConfig {
    ServerConfig {
        max_interactions_per_agent,
        ..config(Dialect::V2019)
    }
}

async fn teardown(base: &str, params: Value) -> (u16, Value) {
    provider_state(
        base,
        &json!({"state": OFFERED, "action": "teardown", "params": params}),
    )
    .await
}

fn params(user: &str, text: &str) -> Value {
    json!({"media": "chat", "user": user, "customer": "PersonP", "text": text})
}

/// (HTTP status, statusCode) of `GET /api/v2/me/chats/{id}`.
async fn get_chat(agent: &common::AgentSession, id: &str) -> (u16, Option<u64>) {
    let (status, body) = agent.get(&format!("/api/v2/me/chats/{id}")).await;
    (status, body["statusCode"].as_u64())
}

#[test]
fn the_default_bound_is_the_documented_const() {
    assert_eq!(
        ServerConfig::default().max_interactions_per_agent,
        MAX_INTERACTIONS_PER_AGENT
    );
}

#[tokio::test]
async fn a_teardown_naming_the_interaction_frees_it() {
    let srv = server(small(100)).await;
    let base = srv.base_url();
    let agent = login(&base, "agent1", "secret1", Dialect::V2019).await;
    let kept = offer(&base, "chat", "agent1", "PersonP", "Hello World").await;
    let freed = offer(&base, "chat", "agent1", "PersonP", "Hello World").await;
    assert_eq!(srv.stored_interactions(), 2);
    assert_eq!(get_chat(&agent, &freed).await, (200, Some(0)));

    // The runner sends the setup params plus the setup's `id`.
    let mut with_id = params("agent1", "Hello World");
    with_id["id"] = json!(freed);
    // Another agent's teardown does not free agent1's interaction.
    let mut wrong_user = with_id.clone();
    wrong_user["user"] = json!("agent2");
    assert_eq!(teardown(&base, wrong_user).await, (200, json!({})));
    assert_eq!(srv.stored_interactions(), 2);
    // Without an id, teardown frees nothing (identical params may belong to another scenario).
    assert_eq!(
        teardown(&base, params("agent1", "Hello World")).await,
        (200, json!({}))
    );
    assert_eq!(srv.stored_interactions(), 2);

    assert_eq!(teardown(&base, with_id.clone()).await, (200, json!({})));
    assert_eq!(srv.stored_interactions(), 1);
    assert_eq!(get_chat(&agent, &freed).await, (404, Some(6)));
    let (status, body) = agent
        .post(
            &format!("/api/v2/me/chats/{freed}"),
            &json!({"operationName": "Accept"}),
        )
        .await;
    assert_eq!((status, body["statusCode"].as_u64()), (404, Some(6)));
    assert_eq!(get_chat(&agent, &kept).await, (200, Some(0)));
    // A second teardown of the same id is harmless.
    assert_eq!(teardown(&base, with_id).await, (200, json!({})));
    assert_eq!(srv.stored_interactions(), 1);
    srv.shutdown().await;
}

#[tokio::test]
async fn an_offer_at_the_bound_evicts_that_agents_oldest_interaction() {
    let cap = 10;
    let srv = server(small(cap)).await;
    let base = srv.base_url();
    let agent1 = login(&base, "agent1", "secret1", Dialect::V2019).await;
    let agent2 = login(&base, "agent2", "secret2", Dialect::V2019).await;
    let other = offer(&base, "chat", "agent2", "PersonQ", "Hi").await;
    let mut ids = Vec::new();
    for i in 0..(4 * cap) {
        ids.push(offer(&base, "chat", "agent1", "PersonP", &format!("n{i}")).await);
        assert!(srv.stored_interactions() <= cap + 1);
    }
    assert_eq!(srv.stored_interactions(), cap + 1);
    let (old, new) = ids.split_at(ids.len() - cap);
    for id in old {
        assert_eq!(get_chat(&agent1, id).await, (404, Some(6)), "{id}");
    }
    for id in new {
        assert_eq!(get_chat(&agent1, id).await, (200, Some(0)), "{id}");
    }
    // The collection lists exactly the kept ones.
    let (status, body) = agent1.get("/api/v2/me/chats").await;
    assert_eq!(status, 200);
    assert_eq!(body["uris"].as_array().map(Vec::len), Some(cap));
    // agent2's interaction is not evicted by agent1's offers.
    assert_eq!(get_chat(&agent2, &other).await, (200, Some(0)));
    srv.shutdown().await;
}

#[tokio::test]
async fn many_offers_at_the_bound_keep_it_and_the_newest() {
    // Ten times the bound: the store stays at the bound; what matters is that each offer at the
    // bound is answered (eviction is O(log n), no scan), not how fast.
    let cap = 200;
    let srv = server(small(cap)).await;
    let base = srv.base_url();
    let agent = login(&base, "agent1", "secret1", Dialect::V2019).await;
    let mut last = String::new();
    for i in 0..(10 * cap) {
        last = offer(&base, "smssession", "agent1", "PersonP", &format!("m{i}")).await;
    }
    assert_eq!(srv.stored_interactions(), cap);
    let (status, body) = agent.get(&format!("/api/v2/me/smssessions/{last}")).await;
    assert_eq!(
        (status, body["statusCode"].as_u64()),
        (200, Some(0)),
        "{body}"
    );
    srv.shutdown().await;
}

#[tokio::test]
async fn a_cometd_batch_of_many_handshakes_is_answered_with_the_bound() {
    use gws_bayeux::{message::Message, server::MAX_HANDSHAKES_PER_BATCH};
    let srv = server(config(Dialect::V2019)).await;
    let base = srv.base_url();
    let agent = login(&base, "agent1", "secret1", Dialect::V2019).await;
    let batch: Vec<Value> = (0..500)
        .map(|i| json!({"channel": "/meta/handshake", "id": i.to_string(), "version": "1.0", "supportedConnectionTypes": ["long-polling"]}))
        .collect();
    let (status, body) = agent.post("/api/v2/notifications", &json!(batch)).await;
    assert_eq!(status, 200, "{body}");
    let replies: Vec<Message> = serde_json::from_value(body).expect("a Bayeux batch");
    assert_eq!(replies.len(), 500);
    let granted = replies
        .iter()
        .filter(|r| r.successful == Some(true))
        .count();
    assert_eq!(granted, MAX_HANDSHAKES_PER_BATCH);
    assert_eq!(srv.bayeux_clients(), MAX_HANDSHAKES_PER_BATCH);
    srv.shutdown().await;
}
