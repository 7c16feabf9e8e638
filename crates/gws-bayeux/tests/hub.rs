//! The server hub driven directly through `Hub::handle` / `Hub::handle_json` (no HTTP): handshake,
//! batches, subscribe forms, long-polling connect (held, woken, superseded, released), unknown
//! clients, malformed input, owner isolation, forgetting and expiry.
use std::{sync::Arc, time::Duration};

use gws_bayeux::{
    message::{Advice, Message},
    server::{Hub, HubConfig},
};
use pretty_assertions::assert_eq;
use serde_json::{Value, json};

const BOUND: Duration = Duration::from_secs(5);

fn msg(value: Value) -> Message {
    serde_json::from_value(value).expect("test message")
}

fn hub(connect_timeout_ms: u64) -> Arc<Hub> {
    Hub::new(HubConfig {
        connect_timeout: Duration::from_millis(connect_timeout_ms),
        interval: Duration::from_millis(7),
        client_ttl: Duration::from_secs(60),
        ..HubConfig::default()
    })
}

async fn handshake(hub: &Hub, owner: &str) -> String {
    let replies = hub
        .handle(owner, vec![msg(json!({"channel":"/meta/handshake","version":"1.0","supportedConnectionTypes":["long-polling"]}))])
        .await;
    replies[0].client_id.clone().expect("clientId")
}

async fn subscribe(hub: &Hub, owner: &str, client_id: &str, subscription: Value) -> Message {
    hub.handle(
        owner,
        vec![msg(
            json!({"channel":"/meta/subscribe","clientId":client_id,"subscription":subscription}),
        )],
    )
    .await
    .remove(0)
}

fn connect_msg(client_id: &str) -> Message {
    msg(
        json!({"channel":"/meta/connect","clientId":client_id,"connectionType":"long-polling","id":"c"}),
    )
}

#[tokio::test]
async fn handshake_reply_carries_version_connection_types_client_id_and_advice() {
    let hub = hub(30_000);
    // No minimumVersion: the spec makes it optional.
    let replies = hub
        .handle("agent", vec![msg(json!({"channel":"/meta/handshake","id":"1","version":"1.0","supportedConnectionTypes":["long-polling","callback-polling"]}))])
        .await;
    assert_eq!(replies.len(), 1);
    let reply = &replies[0];
    assert_eq!(reply.channel, "/meta/handshake");
    assert_eq!(reply.id.as_deref(), Some("1"));
    assert_eq!(reply.successful, Some(true));
    assert_eq!(reply.version.as_deref(), Some("1.0"));
    assert_eq!(
        reply.supported_connection_types,
        Some(vec!["long-polling".to_owned()])
    );
    assert!(reply.client_id.as_deref().is_some_and(|id| id.len() >= 16));
    assert_eq!(
        reply.advice,
        Some(Advice {
            reconnect: Some("retry".into()),
            interval: Some(7),
            timeout: Some(30_000)
        })
    );
    assert_eq!(hub.client_count("agent"), 1);
}

#[tokio::test]
async fn handshake_without_long_polling_is_refused() {
    let hub = hub(100);
    let replies = hub
        .handle(
            "agent",
            vec![msg(
                json!({"channel":"/meta/handshake","supportedConnectionTypes":["websocket"]}),
            )],
        )
        .await;
    assert_eq!(replies[0].successful, Some(false));
    assert!(replies[0].error.as_deref().unwrap().starts_with("400::"));
    assert_eq!(replies[0].client_id, None);
    assert_eq!(replies[0].version.as_deref(), Some("1.0"));
    assert_eq!(
        replies[0].supported_connection_types,
        Some(vec!["long-polling".to_owned()])
    );
    assert_eq!(hub.client_count("agent"), 0);
}

#[tokio::test]
async fn handshake_of_another_version_is_answered_with_version_1_0_as_cometd_does() {
    let hub = hub(100);
    for (version, minimum) in [("2.0", Some("1.0")), ("0.9", None), ("2.0", Some("2.0"))] {
        let mut request = json!({"channel":"/meta/handshake","version":version,"supportedConnectionTypes":["long-polling"]});
        if let Some(m) = minimum {
            request["minimumVersion"] = json!(m);
        }
        let reply = hub.handle("agent", vec![msg(request)]).await.remove(0);
        assert_eq!(reply.successful, Some(true), "{version} {minimum:?}");
        assert_eq!(reply.version.as_deref(), Some("1.0"));
    }
}

#[tokio::test]
async fn batch_of_handshake_and_subscribes_is_answered_in_order() {
    let hub = hub(100);
    let client_id = handshake(&hub, "agent").await;
    let replies = hub
        .handle(
            "agent",
            vec![
                msg(json!({"channel":"/meta/subscribe","id":"a","clientId":client_id,"subscription":"/v2/me/chats"})),
                msg(json!({"channel":"/meta/subscribe","id":"b","clientId":client_id,"subscription":"/v2/me/*"})),
                msg(json!({"channel":"/meta/subscribe","id":"c","clientId":client_id,"subscription":["/v2/me/**","/x"]})),
            ],
        )
        .await;
    let summary: Vec<(Option<String>, Option<bool>, Option<Value>)> = replies
        .iter()
        .map(|r| (r.id.clone(), r.successful, r.subscription.clone()))
        .collect();
    assert_eq!(
        summary,
        vec![
            (Some("a".into()), Some(true), Some(json!("/v2/me/chats"))),
            (Some("b".into()), Some(true), Some(json!("/v2/me/*"))),
            (
                Some("c".into()),
                Some(true),
                Some(json!(["/v2/me/**", "/x"]))
            ),
        ]
    );
    // One message per client even with several matching subscriptions.
    assert_eq!(hub.publish("agent", "/v2/me/chats", json!(1)), 1);
    let replies = hub.handle("agent", vec![connect_msg(&client_id)]).await;
    assert_eq!(replies.len(), 2);
    assert_eq!(
        (replies[0].channel.as_str(), replies[0].data.clone()),
        ("/v2/me/chats", Some(json!(1)))
    );
}

#[tokio::test]
async fn handshake_and_subscribe_in_one_batch_is_refused_for_the_unknown_client_only() {
    // A batch can't reference a clientId it has not received yet, so the subscribe gets 402.
    let hub = hub(100);
    let replies = hub
        .handle(
            "agent",
            vec![
                msg(json!({"channel":"/meta/handshake","id":"1","version":"1.0"})),
                msg(json!({"channel":"/meta/subscribe","id":"2","subscription":"/v2/me/*"})),
            ],
        )
        .await;
    assert_eq!(replies.len(), 2);
    assert_eq!(replies[0].successful, Some(true));
    assert_eq!(
        (replies[1].id.as_deref(), replies[1].successful),
        (Some("2"), Some(false))
    );
    assert_eq!(replies[1].error.as_deref(), Some("402::Unknown client"));
}

#[tokio::test]
async fn subscribe_rejects_bad_patterns_and_meta_channels() {
    let hub = hub(100);
    let client_id = handshake(&hub, "agent").await;
    for (subscription, code) in [
        (json!("/v2/*/chats"), "400::"),
        (json!("v2/me"), "400::"),
        (json!(42), "400::"),
        (json!([]), "400::"),
        (json!("/meta/connect"), "403::"),
    ] {
        let reply = subscribe(&hub, "agent", &client_id, subscription.clone()).await;
        assert_eq!(reply.successful, Some(false), "{subscription}");
        assert!(
            reply.error.as_deref().unwrap().starts_with(code),
            "{subscription}: {:?}",
            reply.error
        );
    }
    let reply = hub
        .handle(
            "agent",
            vec![msg(
                json!({"channel":"/meta/subscribe","clientId":client_id}),
            )],
        )
        .await;
    assert_eq!(reply[0].successful, Some(false));
}

#[tokio::test]
async fn unknown_and_missing_client_ids_get_402_with_handshake_advice() {
    let hub = hub(100);
    for request in [
        json!({"channel":"/meta/connect","clientId":"nope","connectionType":"long-polling"}),
        json!({"channel":"/meta/connect","connectionType":"long-polling"}),
        json!({"channel":"/meta/subscribe","clientId":"nope","subscription":"/v2/me/*"}),
    ] {
        let replies = hub.handle("agent", vec![msg(request.clone())]).await;
        assert_eq!(replies.len(), 1);
        let reply = &replies[0];
        assert_eq!(reply.successful, Some(false), "{request}");
        assert_eq!(
            reply.error.as_deref(),
            Some("402::Unknown client"),
            "{request}"
        );
        assert_eq!(
            reply.advice.as_ref().and_then(|a| a.reconnect.as_deref()),
            Some("handshake"),
            "{request}"
        );
    }
}

#[tokio::test]
async fn malformed_input_gets_400_replies_never_a_panic() {
    let hub = hub(100);
    for body in [
        &b"{"[..],
        b"42",
        b"[1]",
        br#"[{"id":"1"}]"#,
        br#"[{"channel":5}]"#,
        br#"[{"channel":"/meta/connect","advice":"x"}]"#,
    ] {
        let replies = hub.handle_json("agent", body).await;
        assert_eq!(replies.len(), 1, "{}", String::from_utf8_lossy(body));
        assert_eq!(replies[0].successful, Some(false));
        assert!(
            replies[0].error.as_deref().unwrap().starts_with("400::"),
            "{:?}",
            replies[0].error
        );
    }
    let replies = hub
        .handle(
            "agent",
            vec![
                msg(json!({"channel":"/meta/nonsense"})),
                msg(json!({"channel":"bad"})),
            ],
        )
        .await;
    assert!(
        replies.iter().all(
            |r| r.successful == Some(false) && r.error.as_deref().unwrap().starts_with("400::")
        )
    );
    let replies = hub
        .handle(
            "agent",
            vec![msg(json!({"channel":"/v2/me/chats","data":{}}))],
        )
        .await;
    assert!(replies[0].error.as_deref().unwrap().starts_with("403::"));
}

#[tokio::test]
async fn connect_is_held_until_a_publish_wakes_it() {
    let hub = hub(30_000);
    let client_id = handshake(&hub, "agent").await;
    assert_eq!(
        subscribe(&hub, "agent", &client_id, json!("/v2/me/*"))
            .await
            .successful,
        Some(true)
    );
    let mut held = Box::pin(hub.handle("agent", vec![connect_msg(&client_id)]));
    park(&mut held).await;
    assert_eq!(hub.publish("agent", "/v2/me/chats", json!({"n":1})), 1);
    let replies = tokio::time::timeout(BOUND, held)
        .await
        .expect("connect answered well before its 30 s hold");
    let channels: Vec<&str> = replies.iter().map(|r| r.channel.as_str()).collect();
    assert_eq!(channels, vec!["/v2/me/chats", "/meta/connect"]);
    assert_eq!(replies[0].data, Some(json!({"n":1})));
    assert_eq!(replies[1].successful, Some(true));
    assert_eq!(replies[1].id.as_deref(), Some("c"));
    assert_eq!(
        replies[1].advice.as_ref().and_then(|a| a.timeout),
        Some(30_000)
    );
}

#[tokio::test]
async fn connect_with_nothing_queued_returns_after_the_hold() {
    let hub = hub(150);
    let client_id = handshake(&hub, "agent").await;
    let started = std::time::Instant::now();
    let replies = hub.handle("agent", vec![connect_msg(&client_id)]).await;
    let held = started.elapsed();
    assert!(
        held >= Duration::from_millis(150) && held < BOUND,
        "held {held:?}"
    );
    assert_eq!(replies.len(), 1);
    assert_eq!(replies[0].successful, Some(true));
    // advice.timeout 0 from the client (CometD's first connect) is answered at once.
    let started = std::time::Instant::now();
    let mut first = connect_msg(&client_id);
    first.advice = Some(Advice {
        timeout: Some(0),
        ..Advice::default()
    });
    let replies = hub.handle("agent", vec![first]).await;
    assert!(started.elapsed() < Duration::from_millis(150));
    assert_eq!(replies[0].successful, Some(true));
}

/// Polls `connect` once: the hub parks a connect synchronously on its first poll, so `Pending`
/// means it is now held (deterministic, no timing involved).
async fn park<F: std::future::Future<Output = Vec<Message>>>(connect: &mut std::pin::Pin<Box<F>>) {
    assert!(
        futures::poll!(connect.as_mut()).is_pending(),
        "connect should be held, nothing is queued"
    );
}

#[tokio::test]
async fn a_second_connect_supersedes_the_held_one() {
    let hub = hub(30_000);
    let client_id = handshake(&hub, "agent").await;
    subscribe(&hub, "agent", &client_id, json!("/v2/me/chats")).await;
    let mut first = Box::pin(hub.handle("agent", vec![connect_msg(&client_id)]));
    park(&mut first).await;
    let mut second = Box::pin(hub.handle("agent", vec![connect_msg(&client_id)]));
    park(&mut second).await;
    let first_replies = tokio::time::timeout(BOUND, first)
        .await
        .expect("superseded connect answered at once");
    assert_eq!(first_replies.len(), 1);
    assert_eq!(first_replies[0].successful, Some(true));
    // The newer connect gets what is published next.
    assert_eq!(hub.publish("agent", "/v2/me/chats", json!("x")), 1);
    let replies = tokio::time::timeout(BOUND, second)
        .await
        .expect("second connect answered");
    assert_eq!(replies[0].data, Some(json!("x")));
}

#[tokio::test]
async fn disconnect_releases_a_held_connect_and_forgets_the_client() {
    let hub = hub(30_000);
    let client_id = handshake(&hub, "agent").await;
    let mut held = Box::pin(hub.handle("agent", vec![connect_msg(&client_id)]));
    park(&mut held).await;
    let replies = hub
        .handle(
            "agent",
            vec![msg(
                json!({"channel":"/meta/disconnect","clientId":client_id}),
            )],
        )
        .await;
    assert_eq!(replies[0].successful, Some(true));
    assert_eq!(hub.client_count("agent"), 0);
    let released = tokio::time::timeout(BOUND, held)
        .await
        .expect("held connect released by disconnect");
    assert_eq!(released.len(), 1);
    assert_eq!(released[0].error.as_deref(), Some("402::Unknown client"));
    assert_eq!(
        released[0]
            .advice
            .as_ref()
            .and_then(|a| a.reconnect.as_deref()),
        Some("none")
    );
    let after = hub.handle("agent", vec![connect_msg(&client_id)]).await;
    assert_eq!(after[0].error.as_deref(), Some("402::Unknown client"));
}

#[tokio::test]
async fn a_dropped_connect_request_leaves_messages_for_the_next_connect() {
    let hub = hub(30_000);
    let client_id = handshake(&hub, "agent").await;
    subscribe(&hub, "agent", &client_id, json!("/v2/me/chats")).await;
    let mut held = Box::pin(hub.handle("agent", vec![connect_msg(&client_id)]));
    park(&mut held).await;
    drop(held); // the HTTP client went away mid-hold
    assert_eq!(hub.publish("agent", "/v2/me/chats", json!("kept")), 1);
    let replies = tokio::time::timeout(BOUND, hub.handle("agent", vec![connect_msg(&client_id)]))
        .await
        .expect("queued message answers at once");
    assert_eq!(replies[0].data, Some(json!("kept")));
}

#[tokio::test]
async fn publish_reaches_only_the_owner_and_matching_subscriptions() {
    let hub = hub(100);
    let alice = handshake(&hub, "alice").await;
    let bob = handshake(&hub, "bob").await;
    subscribe(&hub, "alice", &alice, json!("/v2/me/*")).await;
    subscribe(&hub, "bob", &bob, json!("/v2/me/**")).await;
    assert_eq!(hub.publish("alice", "/v2/me/chats", json!("a")), 1);
    assert_eq!(
        hub.publish("alice", "/v2/me/chats/deep", json!("deep")),
        0,
        "/v2/me/* is one level only"
    );
    assert_eq!(hub.publish("bob", "/v2/me/chats/deep", json!("b")), 1);
    assert_eq!(hub.publish("carol", "/v2/me/chats", json!("c")), 0);
    assert_eq!(hub.publish("alice", "not a channel", json!("c")), 0);
    // Bob's clientId is unknown to Alice.
    let stolen = hub.handle("alice", vec![connect_msg(&bob)]).await;
    assert_eq!(stolen[0].error.as_deref(), Some("402::Unknown client"));
    let alice_got = hub.handle("alice", vec![connect_msg(&alice)]).await;
    let bob_got = hub.handle("bob", vec![connect_msg(&bob)]).await;
    assert_eq!(
        alice_got
            .iter()
            .filter_map(|m| m.data.clone())
            .collect::<Vec<_>>(),
        vec![json!("a")]
    );
    assert_eq!(
        bob_got
            .iter()
            .filter_map(|m| m.data.clone())
            .collect::<Vec<_>>(),
        vec![json!("b")]
    );
}

#[tokio::test]
async fn unsubscribe_stops_delivery() {
    let hub = hub(100);
    let client_id = handshake(&hub, "agent").await;
    subscribe(&hub, "agent", &client_id, json!("/v2/me/*")).await;
    let replies = hub.handle("agent", vec![msg(json!({"channel":"/meta/unsubscribe","clientId":client_id,"subscription":"/v2/me/*"}))]).await;
    assert_eq!(replies[0].successful, Some(true));
    assert_eq!(hub.publish("agent", "/v2/me/chats", json!(1)), 0);
}

#[tokio::test]
async fn forget_clients_answers_a_held_connect_with_402_and_handshake_advice() {
    let hub = hub(30_000);
    let client_id = handshake(&hub, "agent").await;
    let other = handshake(&hub, "other").await;
    let mut held = Box::pin(hub.handle("agent", vec![connect_msg(&client_id)]));
    park(&mut held).await;
    assert_eq!(hub.forget_clients("agent"), 1);
    let replies = tokio::time::timeout(BOUND, held)
        .await
        .expect("held connect released");
    assert_eq!(replies.len(), 1);
    assert_eq!(replies[0].error.as_deref(), Some("402::Unknown client"));
    assert_eq!(
        replies[0]
            .advice
            .as_ref()
            .and_then(|a| a.reconnect.as_deref()),
        Some("handshake")
    );
    assert_eq!(hub.client_count("other"), 1, "other owners are untouched");
    let reply = hub
        .handle(
            "other",
            vec![msg(
                json!({"channel":"/meta/subscribe","clientId":other,"subscription":"/a"}),
            )],
        )
        .await;
    assert_eq!(reply[0].successful, Some(true));
}

#[tokio::test]
async fn idle_clients_expire_after_the_ttl() {
    let hub = Hub::new(HubConfig {
        connect_timeout: Duration::from_millis(50),
        interval: Duration::ZERO,
        client_ttl: Duration::from_millis(100),
        ..HubConfig::default()
    });
    let idle = handshake(&hub, "agent").await;
    let parked = handshake(&hub, "agent").await;
    // The parked client keeps a connect open for longer than the TTL; it must not expire.
    let long_hold = {
        let hub = hub.clone();
        let parked = parked.clone();
        tokio::spawn(async move {
            let mut connect = connect_msg(&parked);
            connect.advice = None;
            for _ in 0..4 {
                let replies = hub.handle("agent", vec![connect.clone()]).await;
                assert_eq!(
                    replies.last().unwrap().successful,
                    Some(true),
                    "{replies:?}"
                );
            }
        })
    };
    tokio::time::timeout(BOUND, long_hold)
        .await
        .expect("four 50 ms connects")
        .unwrap();
    // 200 ms have passed with no message from `idle`.
    let replies = hub.handle("agent", vec![connect_msg(&idle)]).await;
    assert_eq!(replies[0].error.as_deref(), Some("402::Unknown client"));
    assert_eq!(hub.client_count("agent"), 1);
}
