//! The CometD (Bayeux 1.0 long-polling) mount at `/api/v2/notifications` and any subpath
//! (CometD JS appends `/handshake`, `/connect`, ...): the request is authenticated by the `/api/v2`
//! middleware (Basic; CSRF only with `ServerConfig::csrf_cometd`), its JSON batch (an object or an array of messages) is handed to
//! [`gws_bayeux::server::Hub::handle`] for the authenticated agent, and the reply batch is returned.

use std::sync::Arc;

use axum::{Extension, Json, extract::State};
use gws_bayeux::{
    channel,
    message::{CONNECT, HANDSHAKE, LONG_POLLING, Message, SUBSCRIBE, UNSUBSCRIBE},
    server::TOO_MANY_HANDSHAKES,
};
use serde_json::Value;

use crate::{
    AppState, Mutation,
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
    match state
        .fault
        .map(|f| f.mutation)
        .filter(Mutation::is_transport)
    {
        None => Ok(Json(state.hub.handle(owner, batch).await)),
        Some(mutation) => Ok(Json(with_fault(&state, mutation, owner, batch).await)),
    }
}

/// The batch answered under a transport fault ([`crate::fault`]): what the hub does, changed
/// before (the requests) or after (the replies) as the fault's mutation says.
async fn with_fault(
    state: &AppState,
    mutation: Mutation,
    owner: &str,
    mut batch: Vec<Message>,
) -> Vec<Message> {
    let several = batch.len() > 1;
    if mutation == Mutation::ClientAdviceIgnored {
        for m in batch.iter_mut().filter(|m| m.channel == CONNECT) {
            m.advice = None;
        }
    }
    let mut replies = Vec::with_capacity(batch.len());
    let mut handshakes = 0usize;
    for mut request in batch {
        if request.channel == HANDSHAKE {
            // The hub's bound on handshakes per batch holds for the whole batch here too.
            handshakes += 1;
            let most = state.hub.config().max_handshakes_per_batch;
            if handshakes > most {
                let mut reply = request.reply();
                reply.successful = Some(false);
                reply.error = Some(format!("{TOO_MANY_HANDSHAKES} (at most {most})"));
                replies.push(reply);
                continue;
            }
        }
        if mutation == Mutation::NewerVersionRefused
            && request.channel == HANDSHAKE
            && request.version.as_deref() != Some("1.0")
        {
            let mut reply = request.reply();
            reply.successful = Some(false);
            reply.error = Some("400::unsupported version".into());
            reply.version = Some("1.0".into());
            replies.push(reply);
            continue;
        }
        // Under NoCommonTypeAccepted: the types a handshake offered without long-polling, which
        // its (successful) reply then claims.
        let mut claimed = None;
        if mutation == Mutation::NoCommonTypeAccepted
            && request.channel == HANDSHAKE
            && let Some(types) = &request.supported_connection_types
            && !types.iter().any(|t| t == LONG_POLLING)
        {
            claimed = request
                .supported_connection_types
                .replace(vec![LONG_POLLING.into()]);
        }
        if mutation == Mutation::UnsubscribeIgnored && request.channel == UNSUBSCRIBE {
            let mut reply = request.reply();
            reply.client_id.clone_from(&request.client_id);
            reply.subscription.clone_from(&request.subscription);
            reply.successful = Some(true);
            replies.push(reply);
            continue;
        }
        let client = request.client_id.clone().unwrap_or_default();
        let answered = state.hub.handle(owner, vec![request]).await;
        for mut reply in answered {
            match mutation {
                Mutation::UnknownClientAccepted
                    if reply.channel == CONNECT
                        && reply.error.as_deref().is_some_and(|e| e.starts_with("402")) =>
                {
                    reply.successful = Some(true);
                    reply.error = None;
                    reply.advice = None;
                }
                Mutation::ClientPublishAccepted
                    if !channel::is_meta(&reply.channel) && reply.successful == Some(false) =>
                {
                    reply.successful = Some(true);
                    reply.error = None;
                }
                Mutation::HandshakeIncomplete
                    if reply.channel == HANDSHAKE && reply.successful == Some(true) =>
                {
                    reply.version = None;
                    reply.supported_connection_types = None;
                }
                Mutation::NoCommonTypeAccepted if reply.channel == HANDSHAKE => {
                    if let Some(types) = claimed.take() {
                        reply.supported_connection_types = Some(types);
                    }
                }
                Mutation::DeliverPerSubscription => {
                    if let Some(extra) = per_subscription(state, &client, &reply) {
                        replies.extend(std::iter::repeat_n(reply.clone(), extra));
                    }
                }
                _ => {}
            }
            replies.push(reply);
        }
    }
    if several && mutation == Mutation::BatchIdsDropped {
        for reply in &mut replies {
            reply.id = None;
        }
    }
    replies
}

/// Under [`Mutation::DeliverPerSubscription`]: records what a subscribe or unsubscribe reply
/// granted to `client`, and for a notification the number of extra copies (one per further
/// subscription of `client` covering its channel).
fn per_subscription(state: &AppState, client: &str, reply: &Message) -> Option<usize> {
    let mut subscriptions = state.fault_subscriptions.lock().ok()?;
    let granted = || -> Vec<String> {
        match &reply.subscription {
            Some(Value::String(s)) => vec![s.clone()],
            Some(Value::Array(a)) => a
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect(),
            _ => Vec::new(),
        }
    };
    if reply.successful == Some(true) && reply.channel == SUBSCRIBE {
        subscriptions
            .entry(client.to_string())
            .or_default()
            .extend(granted());
        return None;
    }
    if reply.successful == Some(true) && reply.channel == UNSUBSCRIBE {
        let gone = granted();
        if let Some(list) = subscriptions.get_mut(client) {
            list.retain(|p| !gone.contains(p));
        }
        return None;
    }
    if channel::is_meta(&reply.channel) || reply.data.is_none() {
        return None;
    }
    let covering = subscriptions
        .get(client)?
        .iter()
        .filter(|p| channel::matches(p, &reply.channel))
        .count();
    covering.checked_sub(1).filter(|n| *n > 0)
}
