//! The fault catalog, derived from its rows: one scripted probe (every operation of the table in
//! valid and invalid states, with missing and invalid parameters, on unknown ids) runs against
//! the conformant server and against the server with each row's fault, recording every answer
//! and the notifications each step publishes. Under a fault:
//! - every step of another operation is exactly as on the conformant server (ids, timestamps and
//!   referenceIds aside): the fault breaks nothing it does not say;
//! - every step of the row's operation is what `gws_reference_server::fault::apply` makes of the
//!   conformant step; for the mutations that change behaviour (`AnyState`, `EndIn`) the step
//!   instead shows that behaviour, and the rest of that interaction's story may differ;
//! - at least one step differs: the fault shows.
//!
//! The rows of the session and the notification transport (operation `-`) are judged by the
//! fault matrix instead (tests/fault_matrix.rs).

mod common;

use common::*;
use futures::StreamExt as _;
use gws_bayeux::client::Inbox;
use gws_contract::{State, operations::Kind};
use gws_reference_server::{
    Dialect, FaultRow, Mutation, ServerConfig, StartError,
    fault::{Placeholders, apply},
    faults,
    operations::{OperationOutcome, Publication, Refusal},
};
use serde_json::{Map, Value, json};

/// One request of the probe.
#[derive(Clone, Debug)]
struct Step {
    /// The interaction it acts on (an index into the stories; `None`: an unknown id).
    story: Option<usize>,
    /// `operationName` (`""`: the request names none).
    operation: &'static str,
    /// The request body.
    body: Value,
    /// The refusal the documented behaviour gives (`None`: performed).
    refusal: Option<Refusal>,
}

fn step(story: usize, operation: &'static str, extra: Value, refusal: Option<Refusal>) -> Step {
    let mut body = Map::new();
    if !operation.is_empty() {
        body.insert("operationName".into(), json!(operation));
    }
    if let Value::Object(extra) = extra {
        body.extend(extra);
    }
    Step {
        story: Some(story),
        operation,
        body: Value::Object(body),
        refusal,
    }
}

/// Stories (one interaction each): 0 goes through every check of an offered and an accepted
/// interaction, then a consultation and a Leave from it; 1 is rejected; 2 is accepted, left and
/// completed; 3 is completed into a queue; 4 is a conference whose invited agent is removed,
/// then transferred. Then operations on an unknown id, and a request
/// naming no operation.
fn script() -> Vec<Step> {
    use Refusal::*;
    let none = json!({});
    let mut s = vec![
        step(0, "Accept", none.clone(), Some(MissingParameter)),
        step(
            0,
            "Accept",
            json!({"nickname": "Marat", "saveLAR": "sometimes"}),
            Some(InvalidValue),
        ),
        step(0, "Complete", none.clone(), Some(WrongState)),
        step(0, "Leave", none.clone(), Some(WrongState)),
        step(0, "SendMessage", json!({"text": "early"}), Some(WrongState)),
        step(
            0,
            "SendUrl",
            json!({"url": "http://early"}),
            Some(WrongState),
        ),
        step(0, "Accept", json!({"nickname": "Marat"}), None),
        step(0, "Accept", json!({"nickname": "Again"}), Some(WrongState)),
        step(0, "Reject", none.clone(), Some(WrongState)),
        step(0, "SendMessage", none.clone(), Some(MissingParameter)),
        step(0, "SendMessage", json!({"text": "How can I help?"}), None),
        step(0, "SendStartTypingNotification", none.clone(), None),
        step(0, "SendStopTypingNotification", none.clone(), None),
        step(0, "SendStartTypingToAgentsNotification", none.clone(), None),
        step(0, "SendStopTypingToAgentsNotification", none.clone(), None),
        step(0, "SendUrl", json!({"url": "http://www.genesys.com"}), None),
        step(
            0,
            "SendToAgents",
            json!({"text": "We need your help?"}),
            None,
        ),
        step(
            0,
            "SendCustomNotice",
            json!({"noticeText": "A notice"}),
            None,
        ),
        step(
            0,
            "SendCustomNoticeToAgents",
            json!({"noticeText": "To agents"}),
            None,
        ),
        step(
            0,
            "SetDisposition",
            json!({"disposition": "IssueResolved"}),
            None,
        ),
        step(0, "AddComment", json!({"comment": "A comment"}), None),
        step(0, "AttachUserData", none.clone(), Some(MissingParameter)),
        step(
            0,
            "AttachUserData",
            json!({"userData": {"UserData1": "DATA1"}}),
            None,
        ),
        step(
            0,
            "UpdateUserData",
            json!({"userData": {"UserData1": "DATA2"}}),
            None,
        ),
        step(0, "DeleteUserData", json!({"keys": ["UserData1"]}), None),
        step(0, "Consult", none.clone(), Some(MissingParameter)),
        step(0, "Consult", json!({"targetUri": AGENT2_URI}), None),
        step(0, "Leave", none.clone(), None),
        step(1, "Reject", none.clone(), None),
        step(2, "Accept", json!({"nickname": "Marat"}), None),
        step(2, "Leave", none.clone(), None),
        step(2, "Complete", none.clone(), None),
        step(3, "Accept", json!({"nickname": "Marat"}), None),
        step(3, "Complete", json!({"queueName": "PostProcessing"}), None),
        step(3, "", none.clone(), Some(MissingParameter)),
        step(4, "Accept", json!({"nickname": "Marat"}), None),
        step(
            4,
            "RemoveParticipantFromConference",
            json!({"targetUri": AGENT2_URI}),
            Some(WrongState),
        ),
        step(4, "Invite", none.clone(), Some(MissingParameter)),
        step(4, "Invite", json!({"targetUri": AGENT2_URI}), None),
        step(
            4,
            "RemoveParticipantFromConference",
            none.clone(),
            Some(MissingParameter),
        ),
        step(
            4,
            "RemoveParticipantFromConference",
            json!({"targetUri": AGENT2_URI}),
            None,
        ),
        step(4, "Transfer", none.clone(), Some(MissingParameter)),
        // The chat page names the agent by targetUri, the Facebook page by targetPath.
        step(
            4,
            "Transfer",
            json!({"targetUri": AGENT2_URI, "targetPath": AGENT2_PATH}),
            None,
        ),
    ];
    for operation in ["Accept", "Reject", "Complete", "Leave", "SendMessage"] {
        let mut unknown = step(
            0,
            operation,
            json!({"nickname": "x", "text": "x"}),
            Some(UnknownInteraction),
        );
        unknown.story = None;
        s.push(unknown);
    }
    s
}

const STORIES: usize = 5;
/// The reference server's second agent, as a Consult, Invite or Transfer target names it (any
/// host: the server resolves the `/api/v2/users/{id}` suffix).
const AGENT2_URI: &str = "http://localhost:8080/api/v2/users/e2c90c960d3d40c79684818983ceb314";
const AGENT2_PATH: &str = "/users/e2c90c960d3d40c79684818983ceb314";
const UNKNOWN_ID: &str = "0000NOSUCHID0000";

/// What one step produced.
#[derive(Clone, Debug, PartialEq)]
struct Recorded {
    http: u16,
    body: Value,
    /// (topic, data) of every notification about the probe's interactions.
    publications: Vec<(String, Value)>,
}

/// A probe's record: the server's base URL and every step's outcome.
struct Probe {
    base: String,
    ids: Vec<String>,
    steps: Vec<Recorded>,
}

/// Takes every notification until the offer whose customer is `marker`.
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

async fn probe(media: &'static str, dialect: Dialect, fault: Option<&FaultRow>) -> Probe {
    let server = server(ServerConfig {
        fault: fault.map(|f| f.name.to_string()),
        ..config(dialect)
    })
    .await;
    let base = server.base_url();
    let agent = login(&base, "agent1", "secret1", dialect).await;
    let cometd = agent.cometd().await;
    let inbox = cometd.inbox();
    let mut ids = Vec::new();
    for i in 0..STORIES {
        ids.push(
            offer(
                &base,
                media,
                "agent1",
                &format!("Customer{i}"),
                "Hello World",
            )
            .await,
        );
    }
    offer(&base, media, "agent1", "MarkerOffers", "-").await;
    until_marker(&inbox, "MarkerOffers").await;
    let coll = collection(media, dialect);
    let mut steps = Vec::new();
    for (i, s) in script().iter().enumerate() {
        let id = s.story.map_or(UNKNOWN_ID, |k| ids[k].as_str());
        let (http, body) = agent
            .post(&format!("/api/v2/me/{coll}/{id}"), &s.body)
            .await;
        let marker = format!("Marker{i}X");
        offer(&base, media, "agent1", &marker, "-").await;
        let publications = until_marker(&inbox, &marker).await;
        steps.push(Recorded {
            http,
            body,
            publications,
        });
    }
    server.shutdown().await;
    Probe { base, ids, steps }
}

/// `r` with what differs from run to run replaced: the base URL, the interaction ids,
/// participant ids, timestamps, received dates and referenceIds.
fn normalized(r: &Recorded, p: &Probe) -> Recorded {
    fn walk(v: &mut Value, p: &Probe) {
        match v {
            Value::String(s) => {
                let mut t = s.replace(&p.base, "<base>");
                for (i, id) in p.ids.iter().enumerate() {
                    t = t.replace(id.as_str(), &format!("<ix{i}>"));
                }
                *s = t;
            }
            Value::Array(a) => a.iter_mut().for_each(|x| walk(x, p)),
            Value::Object(o) => {
                for (k, x) in o.iter_mut() {
                    match (k.as_str(), &*x) {
                        ("participantId" | "id", Value::String(_)) => *x = json!("<id>"),
                        ("timestamp" | "receivedDate", Value::String(_)) => *x = json!("<time>"),
                        ("referenceId", Value::Number(_)) => *x = json!("<ref>"),
                        _ => walk(x, p),
                    }
                }
            }
            _ => {}
        }
    }
    let mut r = r.clone();
    walk(&mut r.body, p);
    for (topic, data) in &mut r.publications {
        *topic = topic.replace(&p.base, "<base>");
        walk(data, p);
    }
    r
}

/// The notification kind of `data` in the operation table.
fn kind_of(data: &Value) -> Option<Kind> {
    match data.get("notificationType").and_then(Value::as_str) {
        Some("StatusChange") => Some(Kind::StatusChange),
        Some("ParticipantsUpdated") => Some(Kind::ParticipantsUpdated),
        Some("NewMessages") => Some(Kind::NewMessages),
        Some("PropertiesUpdated") => Some(Kind::PropertiesUpdated),
        _ => None,
    }
}

/// What `row` makes of the conformant step `s` (recorded as `r`).
fn expected_under(row: &FaultRow, s: &Step, r: &Recorded, names: Placeholders) -> Recorded {
    let mut outcome = OperationOutcome {
        operation: s.operation.to_string(),
        http: r.http,
        body: r.body.clone(),
        refusal: s.refusal,
        publications: r
            .publications
            .iter()
            .map(|(topic, data)| Publication {
                owner: 0,
                topic: topic.clone(),
                kind: kind_of(data),
                data: data.clone(),
            })
            .collect(),
    };
    apply(row, &mut outcome, &names);
    Recorded {
        http: outcome.http,
        body: outcome.body,
        publications: outcome
            .publications
            .into_iter()
            .map(|p| (p.topic, p.data))
            .collect(),
    }
}

fn placeholders<'a>(media: &str, dialect: Dialect, base: &'a str) -> Placeholders<'a> {
    let names = gws_contract::Media::from_name(media).unwrap().names();
    Placeholders {
        resource: names.resource_key.in_dialect(dialect),
        log_uri: names.log_uri_key.in_dialect(dialect),
        base,
        collection: names.collection.in_dialect(dialect),
    }
}

fn status_code(r: &Recorded) -> Option<i64> {
    r.body["statusCode"].as_i64()
}

/// The problems of the probe under `row` against the conformant probe, and whether any step
/// differs (a fault may break a rule of one media only, e.g. the Facebook Transfer's
/// `referenceId`: it must show on some probed media, not on each).
fn judge(
    row: &FaultRow,
    media: &str,
    dialect: Dialect,
    baseline: &Probe,
    faulty: &Probe,
) -> (Vec<String>, bool) {
    let mut problems = Vec::new();
    let mut tainted = [false; STORIES];
    let mut shown = false;
    let key = placeholders(media, dialect, "").resource;
    for (i, s) in script().iter().enumerate() {
        let label = format!("step {i} {} {}", s.operation, s.body);
        if s.story.is_some_and(|k| tainted[k]) {
            continue;
        }
        let base = normalized(&baseline.steps[i], baseline);
        let got = normalized(&faulty.steps[i], faulty);
        if base != got {
            shown = true;
        }
        let ours = row.applies_to(s.operation);
        match row.mutation {
            Mutation::AnyState if ours && s.refusal == Some(Refusal::WrongState) => {
                if status_code(&got) != Some(0) || got.http != 200 || got.publications.is_empty() {
                    problems.push(format!(
                        "{label}: not performed in the wrong state: {got:?}"
                    ));
                }
                if let Some(k) = s.story {
                    tainted[k] = true;
                }
            }
            Mutation::EndIn(state) if ours && s.refusal.is_none() => {
                let states: Vec<&Value> = got
                    .publications
                    .iter()
                    .filter(|(_, d)| kind_of(d) == Some(Kind::StatusChange))
                    .map(|(_, d)| &d[key]["state"])
                    .collect();
                if states != [&json!(state.name())] {
                    problems.push(format!(
                        "{label}: StatusChange states {states:?}, not {}",
                        state.name()
                    ));
                }
                if got.body != base.body {
                    problems.push(format!(
                        "{label}: answer {} instead of {}",
                        got.body, base.body
                    ));
                }
                let documented = base
                    .publications
                    .iter()
                    .find(|(_, d)| kind_of(d) == Some(Kind::StatusChange))
                    .map(|(_, d)| d[key]["state"].clone());
                if documented != Some(json!(state.name()))
                    && let Some(k) = s.story
                {
                    tainted[k] = true;
                }
            }
            _ => {
                let names = placeholders(media, dialect, &baseline.base);
                let want = normalized(&expected_under(row, s, &baseline.steps[i], names), baseline);
                if want != got {
                    problems.push(format!(
                        "{label}: expected\n{}\n  got\n{}",
                        serde_json::to_string(&want.body).unwrap()
                            + &format!(" {:#?}", want.publications),
                        serde_json::to_string(&got.body).unwrap()
                            + &format!(" {:#?}", got.publications)
                    ));
                }
            }
        }
    }
    (problems, shown)
}

/// The media and dialects probed: chat (names without variants) and the 2015 Facebook
/// spellings (a `{resource}` that is not the newest).
const PROBED: [(&str, Dialect); 2] = [
    ("chat", Dialect::V2019),
    ("facebooksession", Dialect::V2015),
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_conformant_server_answers_the_script_as_documented_and_repeatably() {
    for (media, dialect) in PROBED {
        let a = probe(media, dialect, None).await;
        let b = probe(media, dialect, None).await;
        for (i, s) in script().iter().enumerate() {
            let want = match s.refusal {
                None => 0,
                Some(Refusal::MissingParameter) => 1,
                Some(Refusal::WrongState) => 2,
                Some(Refusal::UnknownInteraction) => 6,
                Some(Refusal::InvalidValue) => 10,
                Some(Refusal::Other) => unreachable!("the script has no such step"),
            };
            assert_eq!(
                status_code(&a.steps[i]),
                Some(want),
                "{media}: step {i} {}: {:?}",
                s.body,
                a.steps[i]
            );
            if s.refusal.is_some() {
                assert!(a.steps[i].body["statusMessage"].is_string());
                assert!(a.steps[i].publications.is_empty());
            } else if !s.operation.is_empty() {
                assert!(
                    !a.steps[i].publications.is_empty(),
                    "step {i} published nothing"
                );
            }
            assert_eq!(
                normalized(&a.steps[i], &a),
                normalized(&b.steps[i], &b),
                "step {i}"
            );
        }
        // Leave in the consultation completes; alone it leaves the interaction in LeftChat.
        let key = resource_key(media, dialect);
        let at = |story: usize, operation: &str| {
            script()
                .iter()
                .rposition(|s| {
                    s.story == Some(story) && s.operation == operation && s.refusal.is_none()
                })
                .expect("the script has that step")
        };
        assert_eq!(
            a.steps[at(0, "Leave")].publications[0].1[key]["state"],
            "Completed"
        );
        assert_eq!(
            a.steps[at(2, "Leave")].publications[0].1[key]["state"],
            "LeftChat"
        );
        assert_eq!(
            a.steps[at(2, "Complete")].publications[0].1[key]["state"],
            "Completed"
        );
    }
}

/// The rows the probe reaches: not those on the resource GETs, nor those of the session and the
/// notification transport (operation `-`, [`Mutation::is_transport`]), which change no
/// operation: the fault matrix (tests/fault_matrix.rs) judges them through their scenarios.
fn probed_rows() -> impl Iterator<Item = &'static FaultRow> {
    faults()
        .iter()
        .filter(|r| !r.operation.starts_with("GET ") && !r.mutation.is_transport())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_fault_breaks_exactly_what_its_row_says() {
    let mut report = Vec::new();
    let mut shown_on: Vec<&str> = Vec::new();
    for (media, dialect) in PROBED {
        let baseline = probe(media, dialect, None).await;
        let results: Vec<(&FaultRow, (Vec<String>, bool))> = futures::stream::iter(probed_rows())
            .map(|row| {
                let baseline = &baseline;
                async move {
                    let faulty = probe(media, dialect, Some(row)).await;
                    (row, judge(row, media, dialect, baseline, &faulty))
                }
            })
            .buffer_unordered(4)
            .collect()
            .await;
        for (row, (problems, shown)) in results {
            if shown {
                shown_on.push(row.name);
            }
            if !problems.is_empty() {
                report.push(format!(
                    "{} ({media}, {dialect:?}):\n  {}",
                    row.name,
                    problems.join("\n  ")
                ));
            }
        }
    }
    for row in probed_rows() {
        if !shown_on.contains(&row.name) {
            report.push(format!(
                "{}: the fault shows nowhere: every step is as on the conformant server, on every probed media",
                row.name
            ));
        }
    }
    assert!(report.is_empty(), "{}", report.join("\n"));
}

#[test]
fn every_row_mutates_something_a_probe_step_reaches() {
    // Rows on the resource GETs (`GET collection`, ...) change no operation: the probe has no
    // GET step, and tests/fault_matrix.rs proves them through the suite's resource scenarios.
    for row in probed_rows() {
        let reached = script().iter().any(|s| row.applies_to(s.operation));
        assert!(
            reached,
            "{}: no probe step performs {}",
            row.name, row.operation
        );
        if let Mutation::EndIn(state) = row.mutation {
            // A behaviour deviation names one operation, and a state the table knows.
            assert_ne!(row.operation, "*", "{}", row.name);
            assert!(State::ALL.contains(&state));
        }
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
