//! The agent's own resources: `GET /api/v2/me` (the user resource the CSRF page fetches the
//! token with, <https://enu.docs.genesys.com/Documentation/GWS/8.5.2/API/CSRFProtection>),
//! `POST /api/v2/me` StartContactCenterSession / EndContactCenterSession
//! (<https://docs.genesys.com/Documentation/GWS/8.5.2/API/StartContactCenterSession>) and
//! `POST /api/v2/me/channels/{channel}` Ready / NotReady.
//!
//! Choices ([INF]): a missing `operationName` is statusCode 1, an unknown one statusCode 2 (HTTP 200);
//! any channel names are accepted. EndContactCenterSession "also invalidates the client HTTP
//! session" (<https://docs.genesys.com/Documentation/HTCC/8.5.2/API/EndContactCenterSession>): its
//! `JSESSIONID` and CSRF token are forgotten, the next request opens a new session.

use std::sync::Arc;

use axum::{Extension, Json, extract::State};
use serde_json::{Map, Value, json};

use crate::{
    AppState, Mutation,
    auth::{Authed, SessionId},
    error::{ApiError, ApiPath, JsonBody, kind, ok_body},
};

fn operation_name(params: &Map<String, Value>) -> Result<&str, ApiError> {
    match params.get("operationName") {
        None => Err(ApiError::missing("missing parameter `operationName`")),
        Some(Value::String(s)) => Ok(s),
        Some(other) => Err(ApiError::missing(format!(
            "parameter `operationName` must be a string, not {}",
            kind(other)
        ))),
    }
}

/// `GET /api/v2/me` → `{"statusCode":0,"user":{id,userName,firstName,lastName,roles,enabled,
/// changePasswordOnFirstLogin,uri,path}}`.
pub async fn me(
    State(state): State<Arc<AppState>>,
    Extension(authed): Extension<Authed>,
) -> Result<Json<Value>, ApiError> {
    let agent = state
        .agents
        .get(authed.agent)
        .ok_or_else(|| ApiError::internal("agent vanished"))?;
    if state.faulty(Mutation::UserResourceMissing) {
        return Ok(Json(ok_body(&[])));
    }
    Ok(Json(ok_body(&[(
        "user",
        json!({
            "id": agent.id,
            "userName": agent.user_name,
            "firstName": agent.first_name,
            "lastName": agent.last_name,
            "roles": ["ROLE_AGENT"],
            "enabled": true,
            "changePasswordOnFirstLogin": false,
            "uri": agent.uri(&state.base),
            "path": agent.path(),
        }),
    )])))
}

/// `POST /api/v2/me`: StartContactCenterSession (`channels`: an array of strings, mandatory)
/// or EndContactCenterSession → `{"statusCode":0}`.
pub async fn post_me(
    State(state): State<Arc<AppState>>,
    Extension(session): Extension<SessionId>,
    body: JsonBody,
) -> Result<Json<Value>, ApiError> {
    let params = body.object()?;
    match operation_name(&params)? {
        "StartContactCenterSession" => match params.get("channels") {
            Some(Value::Array(channels)) if channels.iter().all(Value::is_string) => {
                Ok(Json(ok_body(&[])))
            }
            Some(_) => Err(ApiError::missing(
                "parameter `channels` must be an array of channel names",
            )),
            None => Err(ApiError::missing(
                "StartContactCenterSession requires the parameter `channels`",
            )),
        },
        "EndContactCenterSession" => {
            if !state.faulty(Mutation::EndKeepsHttpSession) {
                state.sessions.remove(&session.0);
            }
            Ok(Json(ok_body(&[])))
        }
        other => Err(ApiError::invalid_state(format!(
            "unknown operationName `{other}` on /api/v2/me"
        ))),
    }
}

/// `POST /api/v2/me/channels/{channel}`: Ready or NotReady → `{"statusCode":0}`.
pub async fn post_channel(
    ApiPath(channel): ApiPath<String>,
    body: JsonBody,
) -> Result<Json<Value>, ApiError> {
    let params = body.object()?;
    match operation_name(&params)? {
        "Ready" | "NotReady" => Ok(Json(ok_body(&[]))),
        other => Err(ApiError::invalid_state(format!(
            "unknown operationName `{other}` on channel `{channel}`"
        ))),
    }
}
