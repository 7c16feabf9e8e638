//! The Rust `BayeuxClient` against the Rust `Hub` over real HTTP (axum on 127.0.0.1:0): handshake,
//! connect, subscribe (exact, `/v2/me/*`, `/v2/me/**`), stale client recovery, disconnect, owner
//! isolation, the inbox keeping early notifications, concurrent takers, timeouts with `seen`,
//! transport failures and malformed responses.
mod common;

use std::time::{Duration, Instant};

use common::{BOUND, TestHub, http, quick_hub};
use gws_bayeux::{
    client::{BayeuxClient, BayeuxError, ClientConfig, WaitError},
    server::HubConfig,
};
use pretty_assertions::assert_eq;
use serde_json::json;

#[tokio::test]
async fn handshake_subscribe_and_exact_channel_delivery() {
    let hub = TestHub::start(HubConfig::default()).await;
    let client = BayeuxClient::handshake(http(), hub.config("agent1"))
        .await
        .expect("handshake");
    assert_eq!(client.handshakes(), 1);
    assert!(!client.client_id().is_empty());
    assert_eq!(hub.hub.client_count("agent1"), 1);
    client.subscribe("/v2/me/chats").await.expect("subscribe");
    assert_eq!(
        hub.hub.publish(
            "agent1",
            "/v2/me/chats",
            json!({"messageType":"ChatStateChangeMessage"})
        ),
        1
    );
    let got = client
        .inbox()
        .take(|n| n.channel == "/v2/me/chats", BOUND)
        .await
        .expect("notification");
    assert_eq!(got.data, json!({"messageType":"ChatStateChangeMessage"}));
    assert_eq!(got.seq, 0);
    assert_eq!(
        hub.hub.publish("agent1", "/v2/me/calls", json!(1)),
        0,
        "not subscribed"
    );
}

#[tokio::test]
async fn wildcard_subscriptions_deliver_one_level_and_any_depth() {
    let hub = TestHub::start(HubConfig::default()).await;
    let one = BayeuxClient::handshake(http(), hub.config("agent"))
        .await
        .unwrap();
    let deep = BayeuxClient::handshake(http(), hub.config("agent"))
        .await
        .unwrap();
    one.subscribe("/v2/me/*").await.unwrap();
    deep.subscribe("/v2/me/**").await.unwrap();
    assert_eq!(
        hub.hub
            .publish("agent", "/v2/me/facebooksession", json!("fb")),
        2
    );
    assert_eq!(
        hub.hub.publish("agent", "/v2/me/chats/sub", json!("deep")),
        1
    );
    assert_eq!(hub.hub.publish("agent", "/v2/other", json!("no")), 0);
    let got = one.inbox().take(|_| true, BOUND).await.unwrap();
    assert_eq!(
        (got.channel.as_str(), got.data),
        ("/v2/me/facebooksession", json!("fb"))
    );
    let first = deep
        .inbox()
        .take(|n| n.data == json!("fb"), BOUND)
        .await
        .unwrap();
    let second = deep
        .inbox()
        .take(|n| n.data == json!("deep"), BOUND)
        .await
        .unwrap();
    assert_eq!(
        (first.seq, second.channel.as_str()),
        (0, "/v2/me/chats/sub")
    );
    // Nothing else arrived for the one-level subscriber.
    match one.inbox().take(|_| true, Duration::from_millis(100)).await {
        Err(WaitError::Timeout { seen, .. }) => assert!(seen.is_empty()),
        other => panic!("expected nothing more, got {other:?}"),
    }
}

#[tokio::test]
async fn stale_client_rehandshakes_resubscribes_and_still_receives() {
    let hub = TestHub::start(HubConfig::default()).await;
    let client = BayeuxClient::handshake(http(), hub.config("agent"))
        .await
        .unwrap();
    client.subscribe("/v2/me/*").await.unwrap();
    let before = client.client_id();
    assert_eq!(hub.hub.forget_clients("agent"), 1);
    // The held connect is answered 402 + reconnect handshake; the loop re-handshakes and re-subscribes.
    assert_eq!(
        client
            .wait_for_handshakes(2, BOUND)
            .await
            .expect("recovered"),
        2
    );
    assert_ne!(client.client_id(), before);
    assert_eq!(client.subscriptions(), vec!["/v2/me/*".to_owned()]);
    assert_eq!(hub.hub.publish("agent", "/v2/me/chats", json!("after")), 1);
    let got = client
        .inbox()
        .take(|_| true, BOUND)
        .await
        .expect("notification after re-handshake");
    assert_eq!(got.data, json!("after"));
    assert_eq!(client.handshakes(), 2);
}

#[tokio::test]
async fn subscribe_with_a_forgotten_client_rehandshakes_instead_of_failing() {
    // Idle loop: the connect is held 30 s, so the subscribe below is the first to hear the 402.
    let hub = TestHub::start(HubConfig::default()).await;
    let client = BayeuxClient::handshake(http(), hub.config("agent"))
        .await
        .unwrap();
    client.subscribe("/v2/me/chats").await.unwrap();
    // Forget without releasing anything the client would notice first: the connect loop may race
    // the subscribe to re-handshake; either way exactly one re-handshake happens.
    hub.hub.forget_clients("agent");
    client
        .subscribe("/v2/me/emails")
        .await
        .expect("subscribe recovers through a re-handshake");
    client.wait_for_handshakes(2, BOUND).await.unwrap();
    assert_eq!(
        client.handshakes(),
        2,
        "one re-handshake shared by the loop and subscribe"
    );
    assert_eq!(hub.hub.publish("agent", "/v2/me/emails", json!(1)), 1);
    assert_eq!(hub.hub.publish("agent", "/v2/me/chats", json!(2)), 1);
}

#[tokio::test]
async fn disconnect_stops_the_client_and_the_hub_forgets_it() {
    let hub = TestHub::start(HubConfig::default()).await;
    let client = BayeuxClient::handshake(http(), hub.config("agent"))
        .await
        .unwrap();
    client.subscribe("/v2/me/*").await.unwrap();
    client.disconnect().await.expect("disconnect");
    assert_eq!(hub.hub.client_count("agent"), 0);
    assert_eq!(hub.hub.publish("agent", "/v2/me/chats", json!(1)), 0);
    // The loop stopped without marking the inbox failed.
    assert!(client.inbox().failure().is_none());
}

#[tokio::test]
async fn two_owners_do_not_see_each_others_notifications() {
    let hub = TestHub::start(HubConfig::default()).await;
    let alice = BayeuxClient::handshake(http(), hub.config("alice"))
        .await
        .unwrap();
    let bob = BayeuxClient::handshake(http(), hub.config("bob"))
        .await
        .unwrap();
    alice.subscribe("/v2/me/**").await.unwrap();
    bob.subscribe("/v2/me/**").await.unwrap();
    assert_eq!(
        hub.hub.publish("alice", "/v2/me/chats", json!("for alice")),
        1
    );
    assert_eq!(hub.hub.publish("bob", "/v2/me/chats", json!("for bob")), 1);
    assert_eq!(
        alice.inbox().take(|_| true, BOUND).await.unwrap().data,
        json!("for alice")
    );
    assert_eq!(
        bob.inbox().take(|_| true, BOUND).await.unwrap().data,
        json!("for bob")
    );
    for inbox in [alice.inbox(), bob.inbox()] {
        match inbox.take(|_| true, Duration::from_millis(100)).await {
            Err(WaitError::Timeout { seen, .. }) => assert!(seen.is_empty()),
            other => panic!("expected no foreign notification, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn a_notification_that_arrived_before_take_is_returned() {
    let hub = TestHub::start(HubConfig::default()).await;
    let client = BayeuxClient::handshake(http(), hub.config("agent"))
        .await
        .unwrap();
    client.subscribe("/v2/me/chats").await.unwrap();
    hub.hub
        .publish("agent", "/v2/me/chats", json!({"early": true}));
    hub.hub
        .publish("agent", "/v2/me/chats", json!({"late": true}));
    // Taking the later one proves the earlier one has been received (arrival order is kept).
    client
        .inbox()
        .take(|n| n.data.get("late").is_some(), BOUND)
        .await
        .unwrap();
    assert_eq!(client.inbox().len(), 1);
    let early = client
        .inbox()
        .take(|n| n.data.get("early").is_some(), Duration::ZERO)
        .await;
    assert_eq!(
        early.expect("already in the inbox").data,
        json!({"early": true})
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_concurrent_takers_on_one_inbox() {
    let hub = TestHub::start(HubConfig::default()).await;
    let client = BayeuxClient::handshake(http(), hub.config("agent"))
        .await
        .unwrap();
    client.subscribe("/v2/me/*").await.unwrap();
    let takers: Vec<_> = (0..40)
        .map(|i| {
            let inbox = client.inbox();
            tokio::spawn(async move { inbox.take(move |n| n.data["id"] == i, BOUND).await })
        })
        .collect();
    for i in (0..40).rev() {
        assert_eq!(
            hub.hub.publish("agent", "/v2/me/chats", json!({ "id": i })),
            1
        );
    }
    for (i, taker) in takers.into_iter().enumerate() {
        let got = taker
            .await
            .unwrap()
            .expect("each taker gets its notification");
        assert_eq!(got.data["id"], json!(i));
    }
    assert!(client.inbox().is_empty());
}

#[tokio::test]
async fn timeout_returns_what_was_seen() {
    let hub = TestHub::start(HubConfig::default()).await;
    let client = BayeuxClient::handshake(http(), hub.config("agent"))
        .await
        .unwrap();
    client.subscribe("/v2/me/*").await.unwrap();
    hub.hub.publish("agent", "/v2/me/chats", json!({"n": 1}));
    hub.hub.publish("agent", "/v2/me/chats", json!({"n": 2}));
    client
        .inbox()
        .take(|n| n.data["n"] == 2, BOUND)
        .await
        .unwrap();
    let started = Instant::now();
    match client
        .inbox()
        .take(|n| n.data["n"] == 3, Duration::from_millis(200))
        .await
    {
        Err(WaitError::Timeout {
            waited,
            seen,
            others,
        }) => {
            assert_eq!(others, 0);
            assert!(
                waited >= Duration::from_millis(200) && started.elapsed() < BOUND,
                "{waited:?}"
            );
            assert_eq!(
                seen.iter().map(|n| n.data.clone()).collect::<Vec<_>>(),
                vec![json!({"n": 1})]
            );
        }
        other => panic!("expected a timeout, got {other:?}"),
    }
}

#[tokio::test]
async fn target_gone_makes_pending_and_future_takes_fail_promptly() {
    let mut hub = TestHub::start(quick_hub()).await;
    let client = BayeuxClient::handshake(http(), hub.config("agent"))
        .await
        .unwrap();
    client.subscribe("/v2/me/*").await.unwrap();
    let pending = {
        let inbox = client.inbox();
        tokio::spawn(async move { inbox.take(|_| true, Duration::from_secs(60)).await })
    };
    let started = Instant::now();
    hub.stop().await; // graceful: the held connect (500 ms) finishes, then the port is closed
    match tokio::time::timeout(Duration::from_secs(10), pending)
        .await
        .expect("take ended well before 60 s")
        .unwrap()
    {
        Err(WaitError::Transport(BayeuxError::Transport { step, endpoint, .. })) => {
            assert_eq!(step, "connect");
            assert_eq!(endpoint, hub.endpoint.to_string());
        }
        other => panic!("expected a transport error, got {other:?}"),
    }
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    let future = client.inbox().take(|_| true, Duration::from_secs(60)).await;
    assert!(matches!(future, Err(WaitError::Transport(_))), "{future:?}");
    assert!(matches!(
        client.wait_for_handshakes(2, BOUND).await,
        Err(BayeuxError::Transport { .. })
    ));
}

/// A tiny fake endpoint that answers every POST with `body` (and `status`).
async fn fake_endpoint(status: u16, body: Vec<u8>) -> url::Url {
    use axum::{http::StatusCode, routing::post};
    let app = axum::Router::new().route(
        "/api/v2/notifications",
        post(move || {
            let body = body.clone();
            async move { (StatusCode::from_u16(status).unwrap(), body) }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    url::Url::parse(&format!(
        "http://user:pa55word@{address}/api/v2/notifications"
    ))
    .unwrap()
}

async fn handshake_error(endpoint: url::Url, max_body_bytes: usize) -> BayeuxError {
    let mut config = ClientConfig::new(endpoint);
    config.max_body_bytes = max_body_bytes;
    config.request_timeout = BOUND;
    BayeuxClient::handshake(http(), config)
        .await
        .expect_err("handshake must fail")
}

#[tokio::test]
async fn malformed_responses_are_clear_transport_errors_without_secrets() {
    let cases = [
        (
            200,
            b"<html>hello</html>".to_vec(),
            1024,
            "response is not JSON",
        ),
        (
            200,
            br#"[{"channel":"/meta/handshake","successful":true,"clientId":"x"#.to_vec(),
            1024,
            "response is not JSON",
        ),
        (
            200,
            vec![b' '; 10_000],
            1024,
            "response body larger than 1024 bytes",
        ),
        (
            200,
            br#"[{"nochannel":1}]"#.to_vec(),
            1024,
            "malformed Bayeux message",
        ),
        (
            200,
            br#"[{"channel":"/meta/connect"}]"#.to_vec(),
            1024,
            "no /meta/handshake reply",
        ),
        (500, b"boom".to_vec(), 1024, "HTTP 500"),
    ];
    for (status, body, cap, expected) in cases {
        let endpoint = fake_endpoint(status, body).await;
        let error = handshake_error(endpoint, cap).await;
        let text = error.to_string();
        assert!(
            matches!(
                error,
                BayeuxError::Transport {
                    step: "handshake",
                    ..
                }
            ),
            "{text}"
        );
        assert!(text.contains(expected), "{text}");
        assert!(text.contains("/api/v2/notifications"), "{text}");
        assert!(!text.contains("pa55word"), "password leaked: {text}");
    }
}

#[tokio::test]
async fn a_refused_handshake_is_reported_as_refused() {
    let endpoint = fake_endpoint(
        200,
        br#"[{"channel":"/meta/handshake","successful":false,"error":"403::denied"}]"#.to_vec(),
    )
    .await;
    match handshake_error(endpoint, 1024).await {
        BayeuxError::Refused { step, error, .. } => {
            assert_eq!((step, error.as_str()), ("handshake", "403::denied"))
        }
        other => panic!("expected refused, got {other}"),
    }
}

#[tokio::test]
async fn an_unreachable_endpoint_is_a_transport_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    let endpoint = url::Url::parse(&format!("http://{address}/api/v2/notifications")).unwrap();
    let error = handshake_error(endpoint, 1024).await;
    assert!(
        matches!(
            error,
            BayeuxError::Transport {
                step: "handshake",
                ..
            }
        ),
        "{error}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_clients_of_many_owners_at_once() {
    const OWNERS: usize = 20;
    const PER_OWNER: usize = 10;
    let hub = TestHub::start(HubConfig::default()).await;
    let started = Instant::now();
    let shared_http = http();
    let clients = futures::future::join_all((0..OWNERS * PER_OWNER).map(|i| {
        let config = hub.config(&format!("agent{}", i % OWNERS));
        let http = shared_http.clone();
        async move {
            let client = BayeuxClient::handshake(http, config)
                .await
                .expect("handshake");
            client.subscribe("/v2/me/*").await.expect("subscribe");
            client
        }
    }))
    .await;
    let connected = started.elapsed();
    for owner in 0..OWNERS {
        assert_eq!(
            hub.hub.publish(
                &format!("agent{owner}"),
                "/v2/me/chats",
                json!({ "owner": owner })
            ),
            PER_OWNER
        );
    }
    let received = futures::future::join_all(
        clients
            .iter()
            .map(|client| async move { client.inbox().take(|_| true, BOUND).await }),
    )
    .await;
    for (i, notification) in received.into_iter().enumerate() {
        assert_eq!(
            notification
                .expect("every client gets its owner's notification")
                .data,
            json!({ "owner": i % OWNERS })
        );
    }
    for client in &clients {
        assert!(
            client.inbox().is_empty(),
            "exactly one notification per client"
        );
    }
    eprintln!(
        "{} clients: handshake+subscribe {connected:?}, publish+delivery to all {:?}",
        OWNERS * PER_OWNER,
        started.elapsed() - connected
    );
    assert_eq!(hub.hub.total_clients(), OWNERS * PER_OWNER);
}

/// A scripted Bayeux endpoint: handshakes succeed (advice interval 0, timeout 100 ms); the n-th
/// `/meta/connect` (from 0) is answered by `connect(n)` as (HTTP status, body).
async fn scripted_endpoint(
    connect: impl Fn(usize) -> (u16, serde_json::Value) + Clone + Send + Sync + 'static,
) -> url::Url {
    use axum::{body::Bytes, http::StatusCode, routing::post};
    use std::sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    };
    let connects = Arc::new(AtomicUsize::new(0));
    let app = axum::Router::new().route(
        "/api/v2/notifications",
        post(move |body: Bytes| {
            let connect = connect.clone();
            let connects = connects.clone();
            async move {
                let batch: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
                let (status, reply) = match batch[0]["channel"].as_str() {
                    Some("/meta/handshake") => (
                        200,
                        json!([{"channel":"/meta/handshake","successful":true,"clientId":"c1","version":"1.0",
                                "supportedConnectionTypes":["long-polling"],
                                "advice":{"reconnect":"retry","interval":0,"timeout":100}}]),
                    ),
                    Some("/meta/connect") => connect(connects.fetch_add(1, Ordering::SeqCst)),
                    _ => (200, json!([{"channel":"/meta/unknown","successful":false,"error":"400::unexpected"}])),
                };
                (StatusCode::from_u16(status).unwrap(), axum::Json(reply))
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    url::Url::parse(&format!("http://{address}/api/v2/notifications")).unwrap()
}

fn scripted_config(endpoint: url::Url) -> ClientConfig {
    let mut config = ClientConfig::new(endpoint);
    config.request_timeout = BOUND;
    config
}

#[tokio::test]
async fn transient_connect_failures_are_retried() {
    // Two failed round trips (HTTP 503), then a connect that delivers a notification.
    let endpoint = scripted_endpoint(|n| match n {
        0 | 1 => (503, json!("busy")),
        2 => (200, json!([{"channel":"/v2/me/chats","data":{"after":"retries"}},{"channel":"/meta/connect","successful":true}])),
        _ => (200, json!([{"channel":"/meta/connect","successful":true}])),
    })
    .await;
    let client = BayeuxClient::handshake(http(), scripted_config(endpoint))
        .await
        .unwrap();
    let got = client
        .inbox()
        .take(|_| true, BOUND)
        .await
        .expect("delivered after two retries");
    assert_eq!(got.data, json!({"after": "retries"}));
    assert_eq!(client.handshakes(), 1);
    assert!(client.inbox().failure().is_none());
}

#[tokio::test]
async fn persistent_connect_failures_become_a_permanent_transport_error() {
    let endpoint = scripted_endpoint(|_| (503, json!("down"))).await;
    let client = BayeuxClient::handshake(http(), scripted_config(endpoint))
        .await
        .unwrap();
    let started = Instant::now();
    match client.inbox().take(|_| true, Duration::from_secs(30)).await {
        Err(WaitError::Transport(BayeuxError::Transport {
            step: "connect",
            detail,
            ..
        })) => {
            assert!(detail.contains("HTTP 503"), "{detail}");
        }
        other => panic!("expected a permanent transport error, got {other:?}"),
    }
    // 1 + TRANSPORT_RETRIES round trips with 100 + 200 + 400 ms of backoff.
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn advice_reconnect_none_stops_the_client_with_a_refusal() {
    let endpoint = scripted_endpoint(|_| {
        (200, json!([{"channel":"/meta/connect","successful":false,"error":"403::go away","advice":{"reconnect":"none"}}]))
    })
    .await;
    let client = BayeuxClient::handshake(http(), scripted_config(endpoint))
        .await
        .unwrap();
    match client.inbox().take(|_| true, Duration::from_secs(30)).await {
        Err(WaitError::Transport(BayeuxError::Refused { step, error, .. })) => {
            assert_eq!((step, error.as_str()), ("connect", "403::go away"));
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn a_server_that_forgets_the_client_on_every_connect_is_a_permanent_transport_error() {
    // Every /meta/connect is answered `402::Unknown client` (advice: re-handshake at once);
    // every handshake succeeds. The client re-handshakes REHANDSHAKES times in a row, then
    // gives up for good instead of looping.
    use gws_bayeux::client::REHANDSHAKES;
    use std::sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    };
    let connects = Arc::new(AtomicUsize::new(0));
    let endpoint = scripted_endpoint({
        let connects = connects.clone();
        move |n| {
            connects.store(n + 1, Ordering::SeqCst);
            (
                200,
                json!([{"channel":"/meta/connect","successful":false,"error":"402::Unknown client",
                        "advice":{"reconnect":"handshake","interval":0}}]),
            )
        }
    })
    .await;
    let client = BayeuxClient::handshake(http(), scripted_config(endpoint))
        .await
        .unwrap();
    match client.inbox().take(|_| true, Duration::from_secs(5)).await {
        Err(WaitError::Transport(BayeuxError::Transport {
            step: "connect",
            detail,
            ..
        })) => {
            assert!(detail.contains("402::Unknown client"), "{detail}");
            assert!(
                detail.contains(&format!("{REHANDSHAKES} re-handshakes in a row")),
                "{detail}"
            );
        }
        other => panic!("expected a permanent transport error, got {other:?}"),
    }
    assert_eq!(client.handshakes(), 1 + REHANDSHAKES);
    assert_eq!(
        connects.load(Ordering::SeqCst),
        1 + REHANDSHAKES as usize,
        "one connect per handshake, then no more"
    );
    // Later takes fail at once with the same error.
    assert!(matches!(
        client.inbox().take(|_| true, Duration::from_secs(5)).await,
        Err(WaitError::Transport(_))
    ));
}

#[tokio::test]
async fn one_forgotten_client_between_good_connects_is_recovered_every_time() {
    // A 402 after every successful connect: each re-handshake is followed by a successful
    // connect, so the client keeps going (no bound is reached) and still receives.
    let endpoint = scripted_endpoint(|n| match n % 2 {
        0 => (
            200,
            json!([{"channel":"/meta/connect","successful":false,"error":"402::Unknown client",
                    "advice":{"reconnect":"handshake","interval":0}}]),
        ),
        _ => (
            200,
            json!([{"channel":"/v2/me/chats","data":{"n":n}},{"channel":"/meta/connect","successful":true}]),
        ),
    })
    .await;
    let client = BayeuxClient::handshake(http(), scripted_config(endpoint))
        .await
        .unwrap();
    let inbox = client.inbox();
    for _ in 0..5 {
        inbox.take(|_| true, BOUND).await.expect("still delivered");
    }
    assert!(client.handshakes() > gws_bayeux::client::REHANDSHAKES + 1);
    assert!(inbox.failure().is_none());
}

#[tokio::test]
async fn connects_answered_at_once_and_empty_are_spaced() {
    // Every /meta/connect is answered at once, successfully, with nothing (advice interval 0):
    // a server that does not hold the long poll. The client must not spin: consecutive
    // connects start at least MIN_CONNECT_SPACING apart. Measured by counting connects, not by
    // sleeping: the 11th connect is sent 10 spacings after the first, so it arrives at least 9
    // spacings after the first arrived (one spacing of slack for the first one's latency).
    use gws_bayeux::client::MIN_CONNECT_SPACING;
    use std::sync::Arc;
    let (seen, mut connects) = tokio::sync::watch::channel((0usize, None::<Instant>));
    let seen = Arc::new(seen);
    let endpoint = scripted_endpoint({
        let seen = seen.clone();
        move |n| {
            seen.send_modify(|(count, first)| {
                *count = n + 1;
                first.get_or_insert_with(Instant::now);
            });
            (200, json!([{"channel":"/meta/connect","successful":true}]))
        }
    })
    .await;
    let client = BayeuxClient::handshake(http(), scripted_config(endpoint))
        .await
        .unwrap();
    let (count, first) = *tokio::time::timeout(
        Duration::from_secs(10),
        connects.wait_for(|(count, _)| *count >= 11),
    )
    .await
    .expect("11 connects within 10 s")
    .unwrap();
    let elapsed = first.unwrap().elapsed();
    assert!(
        elapsed >= MIN_CONNECT_SPACING * 9,
        "{count} connects within {elapsed:?}: less than {MIN_CONNECT_SPACING:?} apart"
    );
    assert!(client.inbox().failure().is_none());
}
