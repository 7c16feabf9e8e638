//! Steps that perform documented operations on the scenario's interaction and judge the
//! synchronous response. Every operation is performed the same way, from its row of the
//! operation table (`gws_contract::operations`): mandatory parameters the step does not give are
//! filled with the value of the operation's documented request sample; `with:` tables add
//! parameters; `without X` leaves a mandatory parameter (or a one-of group) out. The response
//! must validate against `operation-response`, carry the statusCode the Return Values page
//! gives, and carry `referenceId` where the operation's page shows one.

use cucumber::{gherkin::Step, given, then, when};
use gws_contract::{
    FixtureKind, Operation, State,
    operations::{Kind, Need, ParamType},
};
use serde_json::{Map, Value, json};

use super::GwsWorld;
use crate::run::{
    agent::{AgentError, Reply},
    catalog::return_values,
    media::MediaParam,
    steps::notifications::{await_state_change, expectation_of, judge_schema, judge_state},
    verdict::{self, Failure, HarnessError, compact, pretty},
};

/// The operation named `name` (any documented spelling); a harness error naming the known
/// operations otherwise.
pub fn operation_named(name: &str) -> &'static Operation {
    match gws_contract::operation(name) {
        Some(op) => op,
        None => verdict::error(HarnessError::new(
            "UnknownOperation",
            format!(
                "no documented operation \"{name}\" (known: {})",
                gws_contract::OPERATIONS
                    .iter()
                    .map(|o| o.name)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )),
    }
}

/// The value the operation's documented request sample gives `param`, if a sample has it.
fn sample_value(op: &Operation, param: &str) -> Option<Value> {
    let tag = op.tag();
    gws_contract::fixtures()
        .into_iter()
        .filter(|f| f.provenance.operation == tag && f.provenance.kind == FixtureKind::Request)
        .find_map(|f| f.value.get(param).cloned())
}

/// A parameter value from a step's text: `true`/`false` for boolean parameters, JSON for
/// object and array parameters (a harness error when it is not JSON), else the string.
fn typed(op: &Operation, name: &str, text: &str) -> Value {
    match op.param(name).map(|p| p.ty) {
        Some(ParamType::Boolean) if text == "true" || text == "false" => json!(text == "true"),
        Some(ParamType::Object | ParamType::StringArray) => serde_json::from_str(text)
            .unwrap_or_else(|e| {
                verdict::error(HarnessError::new(
                    "StepTable",
                    format!("the value of `{name}` must be JSON ({e}): {text}"),
                ))
            }),
        _ => json!(text),
    }
}

/// The request body of `op`: `operationName`, `given` parameters, and every mandatory
/// parameter (or one member of each one-of group) not given and not in `omit`.
fn request_body(world: &GwsWorld, op: &Operation, given: &[(String, Value)], omit: &str) -> Value {
    let mut body = Map::new();
    body.insert("operationName".into(), json!(op.request_name()));
    for (k, v) in given {
        body.insert(k.clone(), v.clone());
    }
    let mut groups_done: Vec<&str> = Vec::new();
    let media = world.interaction.as_ref().map(|i| i.media);
    for p in op.params {
        if body.contains_key(p.name) || p.name == omit || media.is_some_and(|m| !p.applies_to(m)) {
            continue;
        }
        match p.need {
            Need::Mandatory => {
                let value = sample_value(op, p.name).unwrap_or_else(|| match p.ty {
                    ParamType::Object => json!({"GwsConformance": "1"}),
                    ParamType::StringArray => json!(["GwsConformance"]),
                    _ => json!("conformance"),
                });
                body.insert(p.name.into(), value);
            }
            Need::OneOf(group) if group != omit && !groups_done.contains(&group) => {
                let already = op
                    .params
                    .iter()
                    .any(|q| q.need == Need::OneOf(group) && body.contains_key(q.name));
                if !already {
                    body.insert(p.name.into(), target_value(world, p.name));
                }
                groups_done.push(group);
            }
            _ => {}
        }
    }
    Value::Object(body)
}

/// The other agent's `targetUri` or `targetPath`, or the queue's `queueName`; a harness error
/// before the provider state that makes it available.
fn target_value(world: &GwsWorld, field: &str) -> Value {
    if field == "queueName" {
        let Some(queue) = world.queue.clone() else {
            verdict::error(HarnessError::new(
                "ScenarioOrder",
                "no queue yet: a `Given a queue is available` step must come first",
            ))
        };
        return json!(queue);
    }
    let Some(other) = world.other_agent.clone() else {
        verdict::error(HarnessError::new(
            "ScenarioOrder",
            "no other agent yet: a `Given another agent is available` step must come first",
        ))
    };
    json!(if field == "targetPath" {
        other.target_path
    } else {
        other.target_uri
    })
}

/// POSTs `body` to the interaction (`/api/v2/me/{collection}/{id}`) and keeps the reply.
async fn post(world: &mut GwsWorld, id: &str, collection: &str, body: Value) {
    world.mark_action();
    let session = world.session();
    match session.agent.operate(collection, id, &body).await {
        Ok(reply) => world.log_reply(body, reply),
        Err(e @ AgentError::NotJson { .. }) | Err(e @ AgentError::Status { .. }) => world.fail(
            Failure::new("ResponseNotJson", e.to_string())
                .rule("all methods always return a JSON body with the statusCode attribute")
                .source(return_values())
                .expected_actual("a JSON object with statusCode", e.to_string()),
        ),
        Err(e) => world.agent_error(e.kind(), &e),
    }
}

/// Performs `op` on the scenario's interaction with `body`.
async fn perform(world: &mut GwsWorld, op: &'static Operation, body: Value) {
    let i = world.interaction();
    if op.name == "Accept"
        && let Some(n) = body.get("nickname").and_then(Value::as_str)
    {
        world.nickname = Some(n.to_string());
    }
    world.performed = Some((op, body.clone()));
    world.flow.clear();
    post(world, &i.id, i.collection, body).await;
}

/// Performs `name` with the `given` parameters (mandatory ones filled in), leaving `omit` out.
async fn perform_named(world: &mut GwsWorld, name: &str, given: &[(String, Value)], omit: &str) {
    let op = operation_named(name);
    let body = request_body(world, op, given, omit);
    perform(world, op, body).await;
}

/// The `| parameter | value |` rows of a step's table.
fn table_params(op: &Operation, step: &Step) -> Vec<(String, Value)> {
    step.table
        .as_ref()
        .map(|t| {
            t.rows
                .iter()
                .filter(|r| r.len() >= 2)
                .map(|r| (r[0].clone(), typed(op, &r[0], &r[1])))
                .collect()
        })
        .unwrap_or_default()
}

#[when(expr = "the agent performs {string} on the {media}")]
async fn performs(world: &mut GwsWorld, name: String, _media: MediaParam) {
    perform_named(world, &name, &[], "").await;
}

#[when(expr = "the agent performs {string} on the {media} with:")]
async fn performs_with(world: &mut GwsWorld, name: String, _media: MediaParam, step: &Step) {
    let params = table_params(operation_named(&name), step);
    perform_named(world, &name, &params, "").await;
}

#[when(expr = "the agent performs {string} on the {media} without {word}")]
async fn performs_without(world: &mut GwsWorld, name: String, _media: MediaParam, omit: String) {
    perform_named(world, &name, &[], &omit).await;
}

#[when(expr = "the agent sends the message {string} on the {media}")]
async fn sends_message(world: &mut GwsWorld, text: String, _media: MediaParam) {
    perform_named(world, "SendMessage", &[("text".into(), json!(text))], "").await;
}

#[when(expr = "the agent accepts the {media} as {string}")]
async fn accepts(world: &mut GwsWorld, _media: MediaParam, nickname: String) {
    perform_named(world, "Accept", &[("nickname".into(), json!(nickname))], "").await;
}

#[when(expr = "the agent accepts the {media} as {string} with saveLAR")]
async fn accepts_with_save_lar(world: &mut GwsWorld, _media: MediaParam, nickname: String) {
    let params = [
        ("nickname".into(), json!(nickname)),
        ("saveLAR".into(), json!(true)),
    ];
    perform_named(world, "Accept", &params, "").await;
}

#[when(expr = "the agent accepts the {media} without a nickname")]
async fn accepts_without_nickname(world: &mut GwsWorld, _media: MediaParam) {
    perform_named(world, "Accept", &[], "nickname").await;
}

#[when(expr = "the agent performs {string} on the {media} through its {word}")]
async fn performs_through(world: &mut GwsWorld, name: String, _media: MediaParam, field: String) {
    through(world, &name, field).await;
}

#[when(expr = "the agent consults the other agent on the {media} through its {word}")]
async fn consults_through(world: &mut GwsWorld, _media: MediaParam, field: String) {
    through(world, "Consult", field).await;
}

/// Performs `name` with `field`, one member of its one-of target group, naming the other agent
/// or the queue; a harness error when `field` is no such member on the interaction's media.
async fn through(world: &mut GwsWorld, name: &str, field: String) {
    let op = operation_named(name);
    let media = world.interaction().media;
    let member = op
        .param(&field)
        .filter(|p| matches!(p.need, Need::OneOf(_)) && p.applies_to(media));
    if member.is_none() {
        verdict::error(HarnessError::new(
            "StepTable",
            format!(
                "`{field}` is not one of the target parameters of {} on the {}",
                op.name,
                media.words()
            ),
        ))
    }
    let target = target_value(world, &field);
    perform_named(world, name, &[(field, target)], "").await;
}

#[when(expr = "the agent consults on the {media} without targetUri or targetPath")]
async fn consults_without_target(world: &mut GwsWorld, _media: MediaParam) {
    perform_named(world, "Consult", &[], "target").await;
}

/// An id that names no interaction, in the collection spelling the target uses.
fn unknown_target(world: &GwsWorld, media: gws_contract::Media) -> (String, &'static str) {
    let session = world.session();
    let id = format!("0000UNKNOWN{:05}", session.next_number());
    // The collection the target used for this scenario's own interaction of that media
    // (learned from its Invited notification), else the one learned so far in the run, else
    // the newest documented one.
    let learned = session.learned(&format!("{}.collection", media.name()));
    let collections = media.names().collection.all;
    let collection = match &world.interaction {
        Some(i) if i.media == media => i.collection,
        _ => collections
            .iter()
            .copied()
            .find(|c| Some(*c) == learned.as_deref())
            .unwrap_or(collections[0]),
    };
    (id, collection)
}

#[when(expr = "the agent performs {string} on an unknown {media}")]
async fn performs_on_unknown(world: &mut GwsWorld, name: String, media: MediaParam) {
    let op = operation_named(&name);
    let body = request_body(world, op, &[], "");
    let (id, collection) = unknown_target(world, media.0);
    world.performed = Some((op, body.clone()));
    post(world, &id, collection, body).await;
}

#[when(expr = "the agent accepts an unknown {media} as {string}")]
async fn accepts_unknown(world: &mut GwsWorld, media: MediaParam, nickname: String) {
    world.nickname = Some(nickname.clone());
    let op = operation_named("Accept");
    let body = request_body(world, op, &[("nickname".into(), json!(nickname))], "");
    let (id, collection) = unknown_target(world, media.0);
    world.performed = Some((op, body.clone()));
    post(world, &id, collection, body).await;
}

/// Awaits the StatusChange `op` leads to and checks its state only (a precondition: the
/// operation's other rules are judged by its own scenarios).
async fn reach_state(world: &mut GwsWorld, op: &'static Operation) {
    let Some(expected) = op
        .notifications
        .iter()
        .find(|e| e.kind == Kind::StatusChange && e.carries_state)
    else {
        return;
    };
    let before = world.state.unwrap_or(State::Chatting);
    let next = op.next_state(before, world.in_conference);
    let expectation = expectation_of(world, expected);
    let (n, key) = await_state_change(world, &expectation).await;
    judge_state(world, op, &n, key, next);
}

#[given(expr = "the agent has accepted the {media} as {string}")]
async fn has_accepted(world: &mut GwsWorld, _media: MediaParam, nickname: String) {
    perform_named(world, "Accept", &[("nickname".into(), json!(nickname))], "").await;
    succeeds(world).await;
    reach_state(world, operation_named("Accept")).await;
}

#[given(expr = "the agent has performed {string} on the {media}")]
async fn has_performed(world: &mut GwsWorld, name: String, _media: MediaParam) {
    perform_named(world, &name, &[], "").await;
    succeeds(world).await;
    let op = operation_named(&name);
    reach_state(world, op).await;
    // Take the operation's other documented notifications too, so that none of them is
    // mistaken later for a notification of the operation under test.
    for expected in op
        .notifications
        .iter()
        .filter(|e| e.kind != Kind::StatusChange)
    {
        let expectation = expectation_of(world, expected);
        world.await_expectation(&expectation).await;
    }
    world.in_conference = op.side_effect.conference_after(world.in_conference);
}

fn last_reply(world: &GwsWorld) -> Reply {
    match world.reply() {
        Some(r) => r.clone(),
        None => verdict::error(HarnessError::new(
            "ScenarioOrder",
            "no operation was performed before this check",
        )),
    }
}

fn status_code(reply: &Reply) -> Value {
    reply.body.get("statusCode").cloned().unwrap_or(Value::Null)
}

/// Judges `reply` as a successful answer: valid against `operation-response` (`what` names the
/// body in a violation) and statusCode 0, else a `StatusCodeMismatch` failure citing `rule` and
/// `source` (`None`: the scenario's documentation page).
pub(super) fn judge_success(
    world: &GwsWorld,
    reply: &Reply,
    what: &str,
    rule: &str,
    source: Option<String>,
) {
    judge_schema(world, "operation-response", &reply.body, what);
    let code = status_code(reply);
    if code.as_i64() != Some(0) {
        let mut failure = Failure::new(
            "StatusCodeMismatch",
            format!("statusCode is {}, expected 0", compact(&code, 40)),
        )
        .rule(rule)
        .path("/statusCode")
        .expected_actual("0", compact(&code, 100))
        .detail(format!(
            "response (HTTP {}):\n{}",
            reply.status,
            pretty(&reply.body)
        ));
        if let Some(source) = source {
            failure = failure.source(source);
        }
        world.fail(failure)
    }
}

#[then("the operation succeeds with statusCode 0")]
async fn succeeds(world: &mut GwsWorld) {
    let reply = last_reply(world);
    judge_success(
        world,
        &reply,
        "the operation response",
        "a successful operation answers statusCode 0",
        None,
    );
    if !(200..300).contains(&reply.status) {
        world.fail(
            Failure::new(
                "HttpStatusMismatch",
                format!("HTTP status {} with statusCode 0", reply.status),
            )
            .rule("a successful operation is answered with HTTP 2xx [inferred]")
            .expected_actual("2xx", reply.status.to_string()),
        )
    }
    if world.performed.as_ref().is_some_and(|(op, _)| {
        world
            .interaction
            .as_ref()
            .is_some_and(|i| op.reference_id.required_on(i.media))
    }) {
        judge_reference_id(world, &reply);
    }
}

fn judge_reference_id(world: &GwsWorld, reply: &Reply) {
    let r = reply
        .body
        .get("referenceId")
        .cloned()
        .unwrap_or(Value::Null);
    if !r.is_i64() && !r.is_u64() {
        world.fail(
            Failure::new(
                "ReferenceIdMissing",
                "the response carries no integer referenceId",
            )
            .rule("the response links the operation to its notifications with a referenceId")
            .path("/referenceId")
            .expected_actual("an integer, e.g. 35", compact(&r, 100))
            .detail(format!("response:\n{}", pretty(&reply.body))),
        )
    }
}

#[then("the operation succeeds with statusCode 0 and a referenceId")]
async fn succeeds_with_reference(world: &mut GwsWorld) {
    succeeds(world).await;
    let reply = last_reply(world);
    judge_reference_id(world, &reply);
}

#[then(expr = "the operation fails with statusCode {int} and a statusMessage")]
async fn fails_with(world: &mut GwsWorld, expected: i64) {
    let reply = last_reply(world);
    judge_schema(
        world,
        "operation-response",
        &reply.body,
        "the operation response",
    );
    let source = return_values();
    let code = status_code(&reply);
    if code.as_i64() != Some(expected) {
        world.fail(
            Failure::new(
                "StatusCodeMismatch",
                format!("statusCode is {}, expected {expected}", compact(&code, 40)),
            )
            .rule(format!("statusCode {expected}: {}", meaning(expected)))
            .source(source)
            .path("/statusCode")
            .expected_actual(expected.to_string(), compact(&code, 100))
            .detail(format!(
                "response (HTTP {}):\n{}",
                reply.status,
                pretty(&reply.body)
            )),
        )
    }
    let msg = reply.body.get("statusMessage");
    if msg
        .and_then(Value::as_str)
        .is_none_or(|s| s.trim().is_empty())
    {
        world.fail(
            Failure::new("StatusMessageMissing", "a non-zero statusCode comes without a statusMessage")
                .rule("if the statusCode is not 0, the response includes error details in the statusMessage attribute")
                .source(source)
                .path("/statusMessage")
                .expected_actual("a non-empty string", compact(msg.unwrap_or(&Value::Null), 100)),
        )
    }
}

#[then(expr = "{string} in state {string} fails with statusCode {int}")]
async fn fails_in_state(world: &mut GwsWorld, name: String, state: String, expected: i64) {
    let op = operation_named(&name);
    let Some(state) = State::from_name(&state) else {
        verdict::error(HarnessError::new(
            "UnknownState",
            format!("no documented state \"{state}\""),
        ))
    };
    if world.state != Some(state) {
        verdict::error(HarnessError::new(
            "ScenarioOrder",
            format!(
                "the scenario brought the interaction to state {}, not {}",
                world.state.map_or("(none)", State::name),
                state.name()
            ),
        ))
    }
    let body = request_body(world, op, &[], "");
    perform(world, op, body).await;
    fails_with(world, expected).await;
}

/// The Return Values page's meaning of a statusCode.
fn meaning(code: i64) -> &'static str {
    match code {
        0 => "the operation is successful",
        1 => "a required parameter is missing in the request",
        2 => "a specified parameter is not valid for the current state",
        3 => "the operation is forbidden",
        4 => "an internal error occurred",
        5 => "the user does not have permission to perform this operation",
        6 => "the requested resource could not be found",
        7 => "the operation was partially successful",
        10 => "a parameter is not within the range of valid values",
        _ => "see the Return Values page",
    }
}
