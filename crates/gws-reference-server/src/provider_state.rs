//! The provider-state endpoint `POST /conformance/states` (docs/target-contract.md, section 3),
//! for test setups: it plays the customer and the routing. Outside authentication and CSRF
//! unless `ServerConfig::provider_state_auth`, which requires an agent's Basic auth (HTTP 401
//! statusCode 20 otherwise).
//!
//! Body `{"state": NAME, "params": {...}, "action": "setup" | "teardown"}` (`action` defaults to
//! `setup`). Setup answers 200 with a JSON object; teardown answers 200 `{}`. An unknown state,
//! unknown action or bad params answer HTTP 400 `{"error": "<one line>"}`.
//!
//! Teardown of `an interaction is offered to the agent` with `params.id` (the runner adds the
//! setup's `id` to the setup params, an extension of issue 12) frees that interaction if it was
//! offered to `params.user` (when given): its id is unknown from then on. Without `id`, teardown
//! frees nothing; the store's bound evicts (see `interactions`). Other teardowns do nothing.
//!
//! - `an interaction is offered to the agent` {media, user, customer, text} → creates an Invited
//!   interaction, publishes its StatusChange (state Invited, capabilities Accept, Reject) to that
//!   agent on the media topic, returns `{"id": ...}`.
//! - `another agent is available` {user} → `{"targetUri", "targetPath"}` of another agent
//!   (agent2 for agent1, agent1 otherwise).
//! - `a queue is available` {user} → `{"queueName"}` of a queue the agent may transfer to (an
//!   extension of the contract for Transfer by `queueName`).

use std::sync::Arc;

use axum::{
    Json,
    extract::State,
    http::StatusCode,
    response::{IntoResponse, Response},
};
use serde_json::{Map, Value, json};

use crate::{AppState, Media, auth::basic_agent, error::JsonBody, interactions::Interaction};

/// The documented state names.
pub const OFFERED: &str = "an interaction is offered to the agent";
/// See the module doc.
pub const ANOTHER_AGENT: &str = "another agent is available";
/// See the module doc.
pub const QUEUE: &str = "a queue is available";
/// The queues of the reference server: the one `a queue is available` names.
pub const QUEUES: &[&str] = &["conformance-queue"];

/// A provider-state failure: HTTP 400 `{"error": "<one line>"}`.
#[derive(Debug)]
pub struct StateError(String);

impl IntoResponse for StateError {
    fn into_response(self) -> Response {
        (StatusCode::BAD_REQUEST, Json(json!({ "error": self.0 }))).into_response()
    }
}

fn bad(message: impl Into<String>) -> StateError {
    StateError(message.into())
}

fn param<'a>(params: &'a Map<String, Value>, name: &str) -> Result<&'a str, StateError> {
    match params.get(name) {
        Some(Value::String(s)) if !s.is_empty() => Ok(s),
        Some(_) => Err(bad(format!("param `{name}` must be a non-empty string"))),
        None => Err(bad(format!("missing param `{name}`"))),
    }
}

/// `POST /conformance/states`.
pub async fn states(
    State(state): State<Arc<AppState>>,
    headers: axum::http::HeaderMap,
    body: Result<JsonBody, crate::error::ApiError>,
) -> Result<Response, Response> {
    if state.config.provider_state_auth && basic_agent(&headers, &state.agents).is_none() {
        return Err(crate::error::ApiError::unauthenticated().into_response());
    }
    states_of(state, body)
        .await
        .map_err(IntoResponse::into_response)
}

async fn states_of(
    state: Arc<AppState>,
    body: Result<JsonBody, crate::error::ApiError>,
) -> Result<Response, StateError> {
    let body = body.map_err(|e| bad(e.message))?.0;
    let Value::Object(body) = body else {
        return Err(bad("body must be a JSON object"));
    };
    let name = body
        .get("state")
        .and_then(Value::as_str)
        .ok_or_else(|| bad("missing `state` (a string)"))?;
    let empty = Map::new();
    let params = match body.get("params") {
        None | Some(Value::Null) => &empty,
        Some(Value::Object(p)) => p,
        Some(_) => return Err(bad("`params` must be a JSON object")),
    };
    let action = match body.get("action") {
        None => "setup",
        Some(Value::String(a)) if a == "setup" || a == "teardown" => a.as_str(),
        Some(other) => {
            return Err(bad(format!(
                "unknown action {other}; expected \"setup\" or \"teardown\""
            )));
        }
    };
    if ![OFFERED, ANOTHER_AGENT, QUEUE].contains(&name) {
        return Err(bad(format!("unknown provider state `{name}`")));
    }
    if action == "teardown" {
        if name == OFFERED
            && let Some(id) = params.get("id").and_then(Value::as_str)
        {
            let agent = params
                .get("user")
                .map(|_| agent_index(&state, params))
                .transpose()?;
            state.interactions.remove(id, agent);
        }
        return Ok(Json(json!({})).into_response());
    }
    let result = match name {
        OFFERED => offer(&state, params)?,
        ANOTHER_AGENT => another_agent(&state, params)?,
        _ => {
            agent_index(&state, params)?;
            json!({ "queueName": QUEUES[0] })
        }
    };
    Ok(Json(result).into_response())
}

fn agent_index(state: &AppState, params: &Map<String, Value>) -> Result<usize, StateError> {
    let user = param(params, "user")?;
    state
        .agents
        .iter()
        .position(|a| a.user_name == user)
        .ok_or_else(|| bad(format!("unknown user `{user}`")))
}

fn offer(state: &AppState, params: &Map<String, Value>) -> Result<Value, StateError> {
    let media_name = param(params, "media")?;
    let media = Media::ALL
        .into_iter()
        .find(|m| m.name() == media_name)
        .ok_or_else(|| {
            bad(format!(
                "unknown media `{media_name}`; expected chat, facebooksession or smssession"
            ))
        })?;
    let owner = agent_index(state, params)?;
    let customer = param(params, "customer")?;
    let text = param(params, "text")?;
    let ix = Interaction::offer(media, owner, customer, text);
    let id = ix.id.clone();
    let publication = ix.offer_notification(&state.context());
    // Insert first so an Accept racing the notification finds the interaction.
    state.interactions.insert(ix);
    state.publish(publication);
    Ok(json!({ "id": id }))
}

fn another_agent(state: &AppState, params: &Map<String, Value>) -> Result<Value, StateError> {
    let me = agent_index(state, params)?;
    let other = (0..state.agents.len())
        .find(|i| *i != me)
        .ok_or_else(|| bad("no other agent is configured"))?;
    let agent = &state.agents[other];
    Ok(json!({ "targetUri": agent.uri(&state.base), "targetPath": agent.path() }))
}
