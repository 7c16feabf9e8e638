//! The reference server under pressure (issue 12): peak memory and throughput, measured, not
//! asserted. Not part of `cargo test` (an example; it is built by it, never run).
//!
//! ```text
//! cargo run --release -p gws-reference-server --example pressure [-- PHASE...]
//! ```
//!
//! Each phase starts a fresh server in a child process (this program run with `--serve`), drives
//! it over HTTP on 127.0.0.1 from this process, and reads the child's peak resident set
//! (`VmHWM` of `/proc/<pid>/status`, the kernel's high-water mark, in KiB) and its resident set
//! at the end (`VmRSS`). Phases (all by default):
//! - `handshakes-16`: 2,000,000 `/meta/handshake`s for one agent in batches of 16 (the batch
//!   bound), 8 requests in flight, no cookies (every request also opens an HTTP session);
//! - `handshakes-600`: 2,000,000 handshakes in batches of 600 (about 58 KiB: what fits in the 64 KiB body bound), the
//!   excess refused;
//! - `offers-one-agent`: 2,000 offers of 60 KiB text to agent1 (provider state `an interaction
//!   is offered to the agent`), a CometD client of agent1 subscribed and connecting;
//! - `offers-two-agents`: 1,000 such offers to each agent;
//! - `clients`: 200 concurrent clients for 20 s, each an agent session looping offer, GET,
//!   Accept, SendMessage, Complete and the teardown naming the interaction; one CometD client
//!   per agent draining notifications. Prints completed loops per second. (`clients-4`: 4 such
//!   clients for 5 s, not run by default.)
use std::{
    io::{BufRead as _, Write as _},
    process::{Child, Command, Stdio},
    sync::{
        Arc,
        atomic::{AtomicBool, AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use base64::Engine as _;
use serde_json::{Value, json};

const OFFERED: &str = "an interaction is offered to the agent";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--serve") {
        serve();
        return;
    }
    let _ = rustls::crypto::ring::default_provider().install_default();
    let phases: Vec<&str> = if args.is_empty() {
        vec![
            "handshakes-16",
            "handshakes-600",
            "offers-one-agent",
            "offers-two-agents",
            "clients",
        ]
    } else {
        args.iter().map(String::as_str).collect()
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    for phase in phases {
        let server = Server::spawn();
        let started = Instant::now();
        let base = server.base.clone();
        let note = runtime.block_on(async move {
            match phase {
                "handshakes-16" => handshakes(&base, 2_000_000, 16).await,
                "handshakes-600" => handshakes(&base, 2_000_000, 600).await,
                "offers-one-agent" => offers(&base, &[("agent1", 2000)]).await,
                "offers-two-agents" => offers(&base, &[("agent1", 1000), ("agent2", 1000)]).await,
                "clients" => clients(&base, 200, Duration::from_secs(20)).await,
                "clients-4" => clients(&base, 4, Duration::from_secs(5)).await,
                other => panic!("unknown phase {other}"),
            }
        });
        let (hwm, rss) = server.memory();
        println!(
            "{phase}: peak RSS {:.1} MiB, RSS at end {:.1} MiB, {:.1} s; {note}",
            hwm as f64 / 1024.0,
            rss as f64 / 1024.0,
            started.elapsed().as_secs_f64()
        );
        drop(server);
    }
}

/// `--serve`: a reference server on 127.0.0.1:0 with the default settings; prints its base URL
/// and runs until stdin closes.
fn serve() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let server = gws_reference_server::start(
            gws_reference_server::ServerConfig::default(),
            "127.0.0.1:0".parse().expect("address"),
        )
        .await
        .expect("server starts");
        println!("{}", server.base_url());
        let _ = std::io::stdout().flush();
        let _ = tokio::task::spawn_blocking(|| {
            let mut sink = String::new();
            while std::io::stdin().read_line(&mut sink).unwrap_or(0) > 0 {}
        })
        .await;
        server.shutdown().await;
    });
}

struct Server {
    child: Child,
    base: String,
}

impl Server {
    fn spawn() -> Self {
        let mut child = Command::new(std::env::current_exe().expect("own path"))
            .arg("--serve")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("server child starts");
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("base URL");
        Self {
            child,
            base: line.trim().to_string(),
        }
    }

    /// (VmHWM, VmRSS) of the child, KiB.
    fn memory(&self) -> (u64, u64) {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .expect("/proc/<pid>/status");
        let field = |name: &str| {
            status
                .lines()
                .find_map(|l| l.strip_prefix(name))
                .and_then(|v| v.split_whitespace().next())
                .and_then(|v| v.parse().ok())
                .unwrap_or(0)
        };
        (field("VmHWM:"), field("VmRSS:"))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        drop(self.child.stdin.take());
        let _ = self.child.wait();
    }
}

fn basic(user: &str) -> String {
    let password = if user == "agent1" {
        "secret1"
    } else {
        "secret2"
    };
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"))
    )
}

fn http(cookies: bool) -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(cookies)
        .build()
        .expect("client")
}

async fn handshakes(base: &str, total: usize, per_batch: usize) -> String {
    let batch: Vec<Value> = (0..per_batch)
        .map(|i| json!({"channel":"/meta/handshake","id":i.to_string(),"version":"1.0","supportedConnectionTypes":["long-polling"]}))
        .collect();
    let body = Arc::new(serde_json::to_vec(&batch).expect("JSON"));
    let requests = total.div_ceil(per_batch);
    let next = Arc::new(AtomicU64::new(0));
    let granted = Arc::new(AtomicU64::new(0));
    let refused = Arc::new(AtomicU64::new(0));
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let (base, body, next, granted, refused) = (
            base.to_string(),
            body.clone(),
            next.clone(),
            granted.clone(),
            refused.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let client = http(false);
            let auth = basic("agent1");
            while next.fetch_add(1, Ordering::Relaxed) < requests as u64 {
                let replies: Vec<Value> = client
                    .post(format!("{base}/api/v2/notifications"))
                    .header("authorization", &auth)
                    .header("content-type", "application/json")
                    .body(body.as_ref().clone())
                    .send()
                    .await
                    .expect("answered")
                    .json()
                    .await
                    .expect("a batch");
                for reply in replies {
                    if reply["successful"] == json!(true) {
                        granted.fetch_add(1, Ordering::Relaxed);
                    } else {
                        refused.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }
        }));
    }
    for task in tasks {
        task.await.expect("task");
    }
    format!(
        "{requests} requests, {} handshakes granted, {} refused",
        granted.load(Ordering::Relaxed),
        refused.load(Ordering::Relaxed)
    )
}

/// An agent session: GET /api/v2/me for the cookie and CSRF token.
async fn login(base: &str, user: &str) -> (reqwest::Client, String, String) {
    let client = http(true);
    let auth = basic(user);
    let response = client
        .get(format!("{base}/api/v2/me"))
        .header("authorization", &auth)
        .send()
        .await
        .expect("GET /api/v2/me");
    let csrf = response.headers()["x-csrf-token"]
        .to_str()
        .expect("token")
        .to_string();
    (client, auth, csrf)
}

/// A CometD client of `user` that handshakes, subscribes to `/v2/me/*` and connects until
/// `stop`; counts the notifications it gets.
async fn listener(base: String, user: &'static str, stop: Arc<AtomicBool>, got: Arc<AtomicU64>) {
    let (client, auth, _) = login(&base, user).await;
    let url = format!("{base}/api/v2/notifications");
    let post = |body: Value| {
        client
            .post(&url)
            .header("authorization", &auth)
            .json(&body)
            .send()
    };
    let replies: Vec<Value> = post(json!([{"channel":"/meta/handshake","version":"1.0","supportedConnectionTypes":["long-polling"]}]))
        .await
        .expect("handshake")
        .json()
        .await
        .expect("batch");
    let id = replies[0]["clientId"]
        .as_str()
        .expect("clientId")
        .to_string();
    post(json!([{"channel":"/meta/subscribe","clientId":id,"subscription":"/v2/me/*"}]))
        .await
        .expect("subscribe");
    while !stop.load(Ordering::Relaxed) {
        let replies: Vec<Value> = post(json!([{"channel":"/meta/connect","clientId":id,"connectionType":"long-polling","advice":{"timeout":1000}}]))
            .await
            .expect("connect")
            .json()
            .await
            .expect("batch");
        let data = replies.iter().filter(|r| r.get("data").is_some()).count();
        got.fetch_add(data as u64, Ordering::Relaxed);
    }
}

async fn offers(base: &str, plan: &[(&'static str, usize)]) -> String {
    let text = "x".repeat(60 * 1024);
    let stop = Arc::new(AtomicBool::new(false));
    let got = Arc::new(AtomicU64::new(0));
    let listening = tokio::spawn(listener(
        base.to_string(),
        "agent1",
        stop.clone(),
        got.clone(),
    ));
    let client = http(false);
    for (user, count) in plan {
        for i in 0..*count {
            let response = client
                .post(format!("{base}/conformance/states"))
                .json(&json!({"state": OFFERED, "params": {"media": "chat", "user": user, "customer": format!("Person{i}"), "text": text}}))
                .send()
                .await
                .expect("offer");
            assert_eq!(response.status(), 200, "offer {i}");
        }
    }
    let mut kept = Vec::new();
    for (user, _) in plan {
        let (client, auth, _) = login(base, user).await;
        let body: Value = client
            .get(format!("{base}/api/v2/me/chats"))
            .header("authorization", &auth)
            .send()
            .await
            .expect("GET chats")
            .json()
            .await
            .expect("JSON");
        kept.push(format!(
            "{user} keeps {}",
            body["uris"].as_array().map_or(0, Vec::len)
        ));
    }
    stop.store(true, Ordering::Relaxed);
    let _ = listening.await;
    format!(
        "{} offers; {}; agent1's CometD client got {} notifications",
        plan.iter().map(|p| p.1).sum::<usize>(),
        kept.join(", "),
        got.load(Ordering::Relaxed)
    )
}

/// One client's loop: offer, GET, Accept, SendMessage, Complete, teardown.
async fn work(
    base: String,
    user: &'static str,
    until: Instant,
    epoch: Instant,
    per_second: Arc<Vec<AtomicU64>>,
) {
    let (client, auth, csrf) = login(&base, user).await;
    let states = http(false);
    let mut n = 0u64;
    while Instant::now() < until {
        n += 1;
        let params = json!({"media": "chat", "user": user, "customer": "PersonP", "text": format!("Hello {n}")});
        let answer: Value = states
            .post(format!("{base}/conformance/states"))
            .json(&json!({"state": OFFERED, "params": params}))
            .send()
            .await
            .expect("offer")
            .json()
            .await
            .expect("JSON");
        let id = answer["id"].as_str().expect("id").to_string();
        let uri = format!("{base}/api/v2/me/chats/{id}");
        let got = client
            .get(&uri)
            .header("authorization", &auth)
            .send()
            .await
            .expect("GET");
        assert_eq!(got.status(), 200);
        for operation in [
            json!({"operationName": "Accept", "nickname": "Agent"}),
            json!({"operationName": "SendMessage", "text": "hi"}),
            json!({"operationName": "Complete"}),
        ] {
            let response = client
                .post(&uri)
                .header("authorization", &auth)
                .header("x-csrf-token", &csrf)
                .json(&operation)
                .send()
                .await
                .expect("operation");
            assert_eq!(response.status(), 200, "{operation}");
            let body: Value = response.json().await.expect("JSON");
            assert_eq!(body["statusCode"], json!(0), "{operation}: {body}");
        }
        let mut teardown = params.clone();
        teardown["id"] = json!(id);
        states
            .post(format!("{base}/conformance/states"))
            .json(&json!({"state": OFFERED, "action": "teardown", "params": teardown}))
            .send()
            .await
            .expect("teardown");
        let second = epoch.elapsed().as_secs() as usize;
        if let Some(bucket) = per_second.get(second) {
            bucket.fetch_add(1, Ordering::Relaxed);
        }
    }
}

async fn clients(base: &str, count: usize, duration: Duration) -> String {
    let stop = Arc::new(AtomicBool::new(false));
    let got = Arc::new(AtomicU64::new(0));
    let listeners: Vec<_> = ["agent1", "agent2"]
        .into_iter()
        .map(|user| tokio::spawn(listener(base.to_string(), user, stop.clone(), got.clone())))
        .collect();
    let seconds = duration.as_secs() as usize;
    let per_second: Arc<Vec<AtomicU64>> =
        Arc::new((0..seconds + 2).map(|_| AtomicU64::new(0)).collect());
    let epoch = Instant::now();
    let until = epoch + duration;
    let workers: Vec<_> = (0..count)
        .map(|i| {
            let user = if i % 2 == 0 { "agent1" } else { "agent2" };
            tokio::spawn(work(
                base.to_string(),
                user,
                until,
                epoch,
                per_second.clone(),
            ))
        })
        .collect();
    for worker in workers {
        worker.await.expect("worker");
    }
    stop.store(true, Ordering::Relaxed);
    for listening in listeners {
        let _ = listening.await;
    }
    let rates: Vec<u64> = per_second
        .iter()
        .take(seconds)
        .map(|c| c.load(Ordering::Relaxed))
        .collect();
    let mean = |s: &[u64]| s.iter().sum::<u64>() as f64 / s.len().max(1) as f64;
    format!(
        "{count} clients, {} loops (6 requests each), per second: {rates:?}; seconds 1-3 {:.0}/s, last 3 {:.0}/s; {} notifications delivered to the two listeners",
        rates.iter().sum::<u64>(),
        mean(&rates[1..4.min(rates.len())]),
        mean(&rates[rates.len().saturating_sub(3)..]),
        got.load(Ordering::Relaxed)
    )
}
