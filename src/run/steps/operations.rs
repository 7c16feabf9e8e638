//! Steps that perform documented operations on the scenario's interaction (Accept, Consult)
//! and judge the synchronous response: valid against `operation-response`, `statusCode` as the
//! Return Values page documents it, `referenceId` where the page shows one.

use cucumber::{given, then, when};
use serde_json::{Value, json};

use super::GwsWorld;
use crate::run::{
    catalog,
    media::Media,
    steps::notifications::{await_state_change, judge_schema},
    verdict::{Failure, compact, pretty},
};

/// POSTs `body` to the interaction (`/api/v2/me/{collection}/{id}`) and keeps the reply.
async fn operate(world: &mut GwsWorld, id: &str, collection: &str, body: Value) {
    let session = world.session();
    match session.agent.operate(collection, id, &body).await {
        Ok(reply) => {
            world.log_reply(body, reply);
        }
        Err(e @ crate::run::agent::AgentError::NotJson { .. })
        | Err(e @ crate::run::agent::AgentError::Status { .. }) => world.fail(
            Failure::new("ResponseNotJson", e.to_string())
                .rule("all methods always return a JSON body with the statusCode attribute")
                .source(return_values())
                .expected_actual("a JSON object with statusCode", e.to_string()),
        ),
        Err(e) => world.agent_error(e.kind(), &e),
    }
}

fn return_values() -> String {
    catalog::page("ReturnValues")
        .map(|p| format!("{} <{}>", p.title, p.url))
        .unwrap_or_default()
}

async fn accept(world: &mut GwsWorld, nickname: Option<String>, save_lar: bool) {
    let i = world.interaction();
    let mut body = json!({"operationName": "Accept"});
    if let Some(n) = &nickname {
        body["nickname"] = json!(n);
        world.nickname = Some(n.clone());
    }
    if save_lar {
        body["saveLAR"] = json!(true);
    }
    operate(world, &i.id, i.collection, body).await;
}

#[when(expr = "the agent accepts the {media} as {string}")]
async fn accepts(world: &mut GwsWorld, _media: Media, nickname: String) {
    accept(world, Some(nickname), false).await;
}

#[when(expr = "the agent accepts the {media} as {string} with saveLAR")]
async fn accepts_with_save_lar(world: &mut GwsWorld, _media: Media, nickname: String) {
    accept(world, Some(nickname), true).await;
}

#[when(expr = "the agent accepts the {media} without a nickname")]
async fn accepts_without_nickname(world: &mut GwsWorld, _media: Media) {
    accept(world, None, false).await;
}

#[when(expr = "the agent accepts an unknown {media} as {string}")]
async fn accepts_unknown(world: &mut GwsWorld, media: Media, nickname: String) {
    let session = world.session();
    let id = format!("0000UNKNOWN{:05}", session.next_number());
    world.nickname = Some(nickname.clone());
    // The collection spelling the target used for this scenario's own interaction of that
    // media (learned from its Invited notification), else the one learned so far in the run,
    // else the newest documented one.
    let learned = session.learned(&format!("{}.collection", media.name()));
    let collection = match &world.interaction {
        Some(i) if i.media == media => i.collection,
        _ => media
            .collections()
            .iter()
            .copied()
            .find(|c| Some(*c) == learned.as_deref())
            .unwrap_or(media.collections()[0]),
    };
    operate(
        world,
        &id,
        collection,
        json!({"operationName": "Accept", "nickname": nickname}),
    )
    .await;
}

#[given(expr = "the agent has accepted the {media} as {string}")]
async fn has_accepted(world: &mut GwsWorld, _media: Media, nickname: String) {
    accept(world, Some(nickname), false).await;
    succeeds(world).await;
    let (n, key) = await_state_change(world, "StatusChange", Some("Chatting")).await;
    let state = n
        .data
        .get(key)
        .and_then(|r| r.get("state"))
        .cloned()
        .unwrap_or(Value::Null);
    if state.as_str() != Some("Chatting") {
        world.fail(
            Failure::new(
                "StateMismatch",
                format!(
                    "after Accept the state is {}, expected Chatting",
                    compact(&state, 40)
                ),
            )
            .rule("after Accept the interaction is in state Chatting")
            .path(format!("/{key}/state"))
            .expected_actual("\"Chatting\"", compact(&state, 100)),
        )
    }
}

async fn consult(world: &mut GwsWorld, target: Option<&str>) {
    let i = world.interaction();
    let mut body = json!({"operationName": "Consult"});
    if let Some(field) = target {
        let Some(other) = world.other_agent.clone() else {
            crate::run::verdict::error(crate::run::verdict::HarnessError::new(
                "ScenarioOrder",
                "no other agent yet: a `Given another agent is available` step must come first",
            ))
        };
        body[field] = json!(if field == "targetUri" {
            other.target_uri
        } else {
            other.target_path
        });
    }
    operate(world, &i.id, i.collection, body).await;
}

#[when(expr = "the agent consults the other agent on the {media} through its targetUri")]
async fn consults_by_uri(world: &mut GwsWorld, _media: Media) {
    consult(world, Some("targetUri")).await;
}

#[when(expr = "the agent consults the other agent on the {media} through its targetPath")]
async fn consults_by_path(world: &mut GwsWorld, _media: Media) {
    consult(world, Some("targetPath")).await;
}

#[when(expr = "the agent consults on the {media} without targetUri or targetPath")]
async fn consults_without_target(world: &mut GwsWorld, _media: Media) {
    consult(world, None).await;
}

fn last_reply(world: &GwsWorld) -> crate::run::agent::Reply {
    match world.reply() {
        Some(r) => r.clone(),
        None => crate::run::verdict::error(crate::run::verdict::HarnessError::new(
            "ScenarioOrder",
            "no operation was performed before this check",
        )),
    }
}

fn status_code(reply: &crate::run::agent::Reply) -> Value {
    reply.body.get("statusCode").cloned().unwrap_or(Value::Null)
}

#[then("the operation succeeds with statusCode 0")]
async fn succeeds(world: &mut GwsWorld) {
    let reply = last_reply(world);
    judge_schema(
        world,
        "operation-response",
        &reply.body,
        "the operation response",
    );
    let code = status_code(&reply);
    if code.as_i64() != Some(0) {
        world.fail(
            Failure::new(
                "StatusCodeMismatch",
                format!("statusCode is {}, expected 0", compact(&code, 40)),
            )
            .rule("a successful operation answers statusCode 0")
            .path("/statusCode")
            .expected_actual("0", compact(&code, 100))
            .detail(format!(
                "response (HTTP {}):\n{}",
                reply.status,
                pretty(&reply.body)
            )),
        )
    }
    if !(200..300).contains(&reply.status) {
        world.fail(
            Failure::new(
                "HttpStatusMismatch",
                format!("HTTP status {} with statusCode 0", reply.status),
            )
            .rule("a successful operation is answered with HTTP 2xx [INF]")
            .expected_actual("2xx", reply.status.to_string()),
        )
    }
}

#[then("the operation succeeds with statusCode 0 and a referenceId")]
async fn succeeds_with_reference(world: &mut GwsWorld) {
    succeeds(world).await;
    let reply = last_reply(world);
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
        _ => "see the Return Values page",
    }
}
