//! The CometD (Bayeux 1.0 long-polling) mount at `/api/v2/notifications` and any subpath
//! (CometD JS appends `/handshake`, `/connect`, ...): the request is authenticated by the `/api/v2`
//! middleware (Basic; CSRF only with `ServerConfig::csrf_cometd`), its JSON batch (an object or an array of messages) is handed to
//! [`gws_bayeux::server::Hub::handle`] for the authenticated agent, and the reply batch is returned.

use std::sync::Arc;

use axum::{Extension, Json, extract::State};
use gws_bayeux::message::Message;
use serde_json::Value;

use crate::{
    AppState,
    auth::Authed,
    error::{ApiError, JsonBody},
};

/// `POST /api/v2/notifications[/{*rest}]`.
pub async fn bayeux(
    State(state): State<Arc<AppState>>,
    Extension(authed): Extension<Authed>,
    body: JsonBody,
) -> Result<Json<Vec<Message>>, ApiError> {
    let items = match body.0 {
        Value::Array(items) => items,
        obj @ Value::Object(_) => vec![obj],
        other => {
            return Err(ApiError::bad_body(format!(
                "a Bayeux batch is a JSON array of messages, not {}",
                crate::error::kind(&other)
            )));
        }
    };
    let mut batch = Vec::with_capacity(items.len());
    for (i, item) in items.into_iter().enumerate() {
        match serde_json::from_value::<Message>(item) {
            Ok(m) => batch.push(m),
            Err(e) => {
                return Err(ApiError::bad_body(format!(
                    "Bayeux message {i} is malformed: {e}"
                )));
            }
        }
    }
    let owner = state
        .agents
        .get(authed.agent)
        .map(|a| a.user_name)
        .unwrap_or_default();
    Ok(Json(state.hub.handle(owner, batch).await))
}
