//! Chat, Facebook session and SMS session interactions: the store (sharded, one mutex per
//! interaction), the state machine (catalog section 4.2), the operations (catalog section 6 and the
//! seed pages) with the notifications they publish, and the GET of collections and items
//! (catalog section 7).
//!
//! Choices ([INF] where the documentation is silent):
//! - A missing `operationName` is statusCode 1; an unknown one, or one the interaction's state
//!   does not allow (e.g. Accept twice), is statusCode 2; both HTTP 200.
//! - A `saveLAR` that is not true or false (JSON boolean or the strings) is statusCode 10
//!   (Return Values: "not within the range of valid values"), HTTP 200.
//! - An unknown interaction id (or one owned by another agent, or in another media's collection)
//!   is statusCode 6 with HTTP 404.
//! - Operations served: Invited → Accept, Reject; Chatting → Complete, Leave, SendMessage,
//!   SendStartTypingNotification, SendStopTypingNotification, Consult (once); LeftChat → Complete.
//!   Documented operations not served here (Transfer, Invite, SetDisposition, user data, ...) get
//!   statusCode 2.
//! - Notifications are published while the interaction's lock is held (publishing never awaits),
//!   so two operations on one interaction never interleave their notifications; they are published
//!   before the HTTP response is written.

use std::{
    sync::{Arc, Mutex},
    time::{SystemTime, UNIX_EPOCH},
};

use axum::{
    Extension, Json,
    extract::State,
    response::{IntoResponse, Response},
};
use serde_json::{Map, Value, json};

use crate::{
    AppState, Dialect,
    auth::{Agent, Authed},
    error::{ApiError, ApiPath, ApiQuery, JsonBody, ok_body},
    fault::Fault,
    media::Media,
};

/// Capabilities after Accept (seeds 000, 001, 003, 004).
pub const ACCEPT_CAPABILITIES: [&str; 7] = [
    "Transfer",
    "Complete",
    "Leave",
    "InFocus",
    "SendMessage",
    "SendStartTypingNotification",
    "SendStopTypingNotification",
];

/// Capabilities while a consultation is going on (seed 002).
pub const CONSULT_CAPABILITIES: [&str; 18] = [
    "Transfer",
    "Leave",
    "Invite",
    "Consult",
    "SetInFocus",
    "SetDisposition",
    "AttachUserData",
    "DeleteUserData",
    "UpdateUserData",
    "SendToAgents",
    "SendStartTypingToAgentsNotification",
    "SendStopTypingToAgentsNotification",
    "Complete",
    "SendMessage",
    "SendUrl",
    "SendStartTypingNotification",
    "SendStopTypingNotification",
    "RemoveParticipantFromConference",
];

/// Capabilities of an offered interaction (workitem Invited sample; target-contract section 3).
pub const INVITED_CAPABILITIES: [&str; 2] = ["Accept", "Reject"];

/// Capabilities after Leave outside a conference (ChatLeave page).
pub const LEFT_CAPABILITIES: [&str; 4] = ["Transfer", "Complete", "Leave", "InFocus"];

/// Every documented operation name of chat / Facebook session / SMS session (catalog section 6).
const DOCUMENTED_OPERATIONS: &[&str] = &[
    "Accept",
    "Reject",
    "Complete",
    "Leave",
    "SendMessage",
    "SendStartTypingNotification",
    "SendStopTypingNotification",
    "SendUrl",
    "SendToAgents",
    "SendCustomNoticeToAgents",
    "Transfer",
    "Consult",
    "Invite",
    "SetDisposition",
    "AttachUserData",
    "UpdateUserData",
    "DeleteUserData",
    "SetInFocus",
    "InFocus",
    "LeaveAndComplete",
    "SendStartTypingToAgentsNotification",
    "SendStopTypingToAgentsNotification",
    "RemoveParticipantFromConference",
];

/// Interaction states served (catalog section 4.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IxState {
    Invited,
    Chatting,
    LeftChat,
    Completed,
}

impl IxState {
    /// The documented state name.
    pub fn name(self) -> &'static str {
        match self {
            IxState::Invited => "Invited",
            IxState::Chatting => "Chatting",
            IxState::LeftChat => "LeftChat",
            IxState::Completed => "Completed",
        }
    }
}

/// A participant of an interaction.
#[derive(Clone, Debug)]
pub struct Participant {
    /// The agent (index into the directory), `None` for the customer.
    pub agent: Option<usize>,
    pub nickname: String,
    pub participant_id: String,
}

/// One interaction.
#[derive(Debug)]
pub struct Interaction {
    pub id: String,
    pub media: Media,
    /// The agent it was offered to.
    pub owner: usize,
    pub state: IxState,
    pub customer: Participant,
    /// The owner as a participant, from Accept on.
    pub agent: Option<Participant>,
    /// The consulted agent, from Consult on.
    pub consultant: Option<Participant>,
    pub received_date: String,
    /// The message log; each entry already carries its `index`.
    pub log: Vec<Value>,
}

/// What the operation code needs from the server.
pub struct Ctx<'a> {
    pub dialect: Dialect,
    pub base: &'a str,
    pub agents: &'a [Agent],
    pub fault: Option<Fault>,
}

/// A notification to publish: to which agent, on which topic, what `data`.
#[derive(Clone, Debug, PartialEq)]
pub struct Note {
    pub owner: usize,
    pub topic: String,
    pub data: Value,
}

/// The shared interaction store.
pub type Store = crate::shard::Sharded<Arc<Mutex<Interaction>>>;

/// A fresh 16-character id in the documented style (`0000Na9B26EF002X`).
pub fn new_id() -> String {
    let u = uuid::Uuid::new_v4().simple().to_string().to_uppercase();
    format!("0000{}", &u[..12])
}

/// A fresh participant id (16 upper-case hex digits, like `009052C5E743004C`).
pub fn new_participant_id() -> String {
    uuid::Uuid::new_v4().simple().to_string().to_uppercase()[..16].to_string()
}

/// Now as an ISO-8601 timestamp in the seeds' form `2014-01-02T14:23:18.000+0000` (UTC).
pub fn now_timestamp() -> String {
    let ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or(0) as i64;
    format_timestamp(ms)
}

/// Epoch milliseconds as `YYYY-MM-DDTHH:MM:SS.mmm+0000`.
pub fn format_timestamp(epoch_ms: i64) -> String {
    let secs = epoch_ms.div_euclid(1000);
    let millis = epoch_ms.rem_euclid(1000);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Civil-from-days (H. Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{millis:03}+0000",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60
    )
}

impl Participant {
    fn kind(&self) -> &'static str {
        if self.agent.is_some() {
            "Agent"
        } else {
            "Customer"
        }
    }
    /// `{type, nickname, participantId}` as in the Accept seeds.
    pub fn brief(&self) -> Value {
        json!({ "type": self.kind(), "nickname": self.nickname, "participantId": self.participant_id })
    }
    /// The full form of seed 002: plus `id`, `visibility` and, for agents, `uri` and `path`.
    pub fn full(&self, visibility: &str, ctx: &Ctx<'_>) -> Value {
        let mut v = json!({
            "nickname": self.nickname,
            "type": self.kind(),
            "id": self.participant_id,
            "visibility": visibility,
            "participantId": self.participant_id,
        });
        if let Some(agent) = self.agent.and_then(|i| ctx.agents.get(i)) {
            v["uri"] = json!(agent.uri(ctx.base));
            v["path"] = json!(agent.path());
        }
        v
    }
}

impl Interaction {
    /// Creates an offered (Invited) interaction with the customer's join and first message logged.
    pub fn offer(media: Media, owner: usize, customer: &str, text: &str) -> Self {
        let customer = Participant {
            agent: None,
            nickname: customer.to_string(),
            participant_id: new_participant_id(),
        };
        let mut ix = Interaction {
            id: new_id(),
            media,
            owner,
            state: IxState::Invited,
            customer: customer.clone(),
            agent: None,
            consultant: None,
            received_date: now_timestamp(),
            log: Vec::new(),
        };
        ix.append_log("ParticipantJoined", &customer.brief(), "All", None);
        ix.append_log("Text", &customer.brief(), "All", Some(text));
        ix
    }

    /// `{base}/api/v2/{collection}/{id}`.
    pub fn uri(&self, ctx: &Ctx<'_>) -> String {
        format!(
            "{}/api/v2/{}/{}",
            ctx.base,
            self.media.collection(ctx.dialect),
            self.id
        )
    }

    /// `/{collection}/{id}`.
    pub fn path(&self, ctx: &Ctx<'_>) -> String {
        format!("/{}/{}", self.media.collection(ctx.dialect), self.id)
    }

    /// The advertised capabilities, `None` in Completed (no `capabilities` key, ChatReject page).
    pub fn capabilities(&self) -> Option<Vec<&'static str>> {
        match self.state {
            IxState::Invited => Some(INVITED_CAPABILITIES.to_vec()),
            IxState::Chatting if self.consultant.is_some() => Some(CONSULT_CAPABILITIES.to_vec()),
            IxState::Chatting => Some(ACCEPT_CAPABILITIES.to_vec()),
            IxState::LeftChat => Some(LEFT_CAPABILITIES.to_vec()),
            IxState::Completed => None,
        }
    }

    /// The operations this server performs in the current state.
    pub fn allows(&self, operation: &str) -> bool {
        match self.state {
            IxState::Invited => matches!(operation, "Accept" | "Reject"),
            IxState::Chatting => {
                matches!(
                    operation,
                    "Complete"
                        | "Leave"
                        | "SendMessage"
                        | "SendStartTypingNotification"
                        | "SendStopTypingNotification"
                ) || (operation == "Consult" && self.consultant.is_none())
            }
            IxState::LeftChat => operation == "Complete",
            IxState::Completed => false,
        }
    }

    fn append_log(
        &mut self,
        kind: &str,
        from: &Value,
        visibility: &str,
        text: Option<&str>,
    ) -> Value {
        let index = self.log.len() + 1;
        let mut m = json!({
            "index": index,
            "type": kind,
            "from": from,
            "visibility": visibility,
            "timestamp": now_timestamp(),
        });
        if let Some(t) = text {
            m["text"] = json!(t);
        }
        self.log.push(m.clone());
        m
    }

    /// Current participants in brief form.
    fn participants_brief(&self) -> Vec<Value> {
        let mut p = Vec::new();
        if let Some(a) = &self.agent
            && self.state == IxState::Chatting
        {
            p.push(a.brief());
        }
        if self.state != IxState::Completed {
            p.push(self.customer.brief());
        }
        if let Some(c) = &self.consultant
            && self.state == IxState::Chatting
        {
            p.push(c.brief());
        }
        p
    }

    /// The resource object `{state, capabilities?, id, uri, participants, ...extra}`.
    fn resource(&self, ctx: &Ctx<'_>, participants: Vec<Value>) -> Map<String, Value> {
        let mut r = Map::new();
        r.insert("state".into(), json!(self.state.name()));
        if let Some(caps) = self.capabilities() {
            r.insert("capabilities".into(), json!(caps));
        }
        r.insert("id".into(), json!(self.id));
        r.insert("uri".into(), json!(self.uri(ctx)));
        r.insert("participants".into(), Value::Array(participants));
        r
    }

    /// The resource as served by GET: current state, participants, direction and received date.
    pub fn resource_for_get(&self, ctx: &Ctx<'_>) -> Value {
        let mut r = self.resource(ctx, self.participants_brief());
        r.insert(self.media.type_key().into(), json!("Inbound"));
        r.insert("receivedDate".into(), json!(self.received_date));
        Value::Object(r)
    }

    fn state_change(
        &self,
        ctx: &Ctx<'_>,
        notification_type: &str,
        reference_id: Option<u64>,
        resource: Map<String, Value>,
    ) -> Value {
        let mut d = Map::new();
        d.insert(
            "messageType".into(),
            json!(self.media.message_type(ctx.dialect)),
        );
        if let Some(r) = reference_id {
            d.insert("referenceId".into(), json!(r));
        }
        d.insert("notificationType".into(), json!(notification_type));
        d.insert(
            self.media.resource_key(ctx.dialect).into(),
            Value::Object(resource),
        );
        Value::Object(d)
    }

    fn log_updated(&self, ctx: &Ctx<'_>, messages: Vec<Value>, with_path: bool) -> Value {
        let mut d = Map::new();
        d.insert("messageType".into(), json!("MessageLogUpdated"));
        d.insert("notificationType".into(), json!("NewMessages"));
        d.insert("messages".into(), Value::Array(messages));
        d.insert(self.media.log_uri_key().into(), json!(self.uri(ctx)));
        if with_path && let Some(k) = self.media.log_path_key() {
            d.insert(k.into(), json!(self.path(ctx)));
        }
        Value::Object(d)
    }

    fn note(&self, data: Value) -> Note {
        Note {
            owner: self.owner,
            topic: self.media.topic().to_string(),
            data,
        }
    }

    /// The offer notification (provider state `an interaction is offered to the agent`).
    pub fn offer_notification(&self, ctx: &Ctx<'_>) -> Note {
        let mut r = self.resource(ctx, vec![self.customer.brief()]);
        r.insert(self.media.type_key().into(), json!("Inbound"));
        r.insert("receivedDate".into(), json!(self.received_date));
        self.note(self.state_change(ctx, "StatusChange", None, r))
    }
}

/// The result of an allowed operation: the response body and the notifications.
#[derive(Debug)]
pub struct Done {
    pub body: Value,
    pub notes: Vec<Note>,
}

fn str_param<'a>(params: &'a Map<String, Value>, name: &str) -> Option<&'a str> {
    params
        .get(name)
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty())
}

/// Runs `operation` on `ix` (already known to belong to the caller). `next_ref` hands out the
/// owner's next `referenceId`.
pub fn operate(
    ix: &mut Interaction,
    operation: &str,
    params: &Map<String, Value>,
    ctx: &Ctx<'_>,
    next_ref: &dyn Fn() -> u64,
) -> Result<Done, ApiError> {
    if !DOCUMENTED_OPERATIONS.contains(&operation) {
        return Err(ApiError::invalid_state(format!(
            "unknown operationName `{operation}`"
        )));
    }
    if !ix.allows(operation) {
        if operation == "Accept"
            && ctx.fault == Some(Fault::AcceptTwiceAccepted)
            && ix.state != IxState::Invited
        {
            return Ok(Done {
                body: ok_body(&[]),
                notes: Vec::new(),
            });
        }
        let caps = ix.capabilities().map(|c| c.join(", ")).unwrap_or_default();
        return Err(ApiError::invalid_state(format!(
            "operation {operation} is not valid in state {} (capabilities: [{caps}])",
            ix.state.name()
        )));
    }
    match operation {
        "Accept" => accept(ix, params, ctx, next_ref),
        "Reject" | "Complete" => {
            ix.state = IxState::Completed;
            let r = ix.resource(ctx, Vec::new());
            let data = ix.state_change(ctx, "StatusChange", Some(next_ref()), r);
            Ok(Done {
                body: ok_body(&[]),
                notes: vec![ix.note(data)],
            })
        }
        "Leave" => {
            let from = ix
                .agent
                .as_ref()
                .map(Participant::brief)
                .unwrap_or(Value::Null);
            ix.state = if ix.consultant.is_some() {
                IxState::Completed
            } else {
                IxState::LeftChat
            };
            let left = ix.append_log("ParticipantLeft", &from, "All", None);
            let participants = if ix.state == IxState::LeftChat {
                vec![ix.customer.brief()]
            } else {
                Vec::new()
            };
            let r = ix.resource(ctx, participants);
            let status = ix.state_change(ctx, "StatusChange", Some(next_ref()), r);
            let log = ix.log_updated(ctx, vec![left], false);
            Ok(Done {
                body: ok_body(&[]),
                notes: vec![ix.note(status), ix.note(log)],
            })
        }
        "SendMessage" => {
            let Some(text) = params.get("text").and_then(Value::as_str) else {
                return Err(ApiError::missing(
                    "SendMessage requires the parameter `text` (a string)",
                ));
            };
            let from = ix
                .agent
                .as_ref()
                .map(Participant::brief)
                .unwrap_or(Value::Null);
            let m = ix.append_log("Text", &from, "All", Some(text));
            let log = ix.log_updated(ctx, vec![m], false);
            Ok(Done {
                body: ok_body(&[]),
                notes: vec![ix.note(log)],
            })
        }
        "SendStartTypingNotification" | "SendStopTypingNotification" => {
            let kind = if operation == "SendStartTypingNotification" {
                "TypingStarted"
            } else {
                "TypingStopped"
            };
            let from = ix
                .agent
                .as_ref()
                .map(Participant::brief)
                .unwrap_or(Value::Null);
            let m = ix.append_log(kind, &from, "All", None);
            let log = ix.log_updated(ctx, vec![m], false);
            Ok(Done {
                body: ok_body(&[]),
                notes: vec![ix.note(log)],
            })
        }
        "Consult" => consult(ix, params, ctx, next_ref),
        other => Err(ApiError::invalid_state(format!(
            "operation {other} is not supported by the reference server"
        ))),
    }
}

fn accept(
    ix: &mut Interaction,
    params: &Map<String, Value>,
    ctx: &Ctx<'_>,
    next_ref: &dyn Fn() -> u64,
) -> Result<Done, ApiError> {
    let Some(nickname) = str_param(params, "nickname") else {
        return Err(ApiError::missing(
            "Accept requires the parameter `nickname` (a non-empty string)",
        ));
    };
    if let Some(v) = params.get("saveLAR")
        && !(v.is_boolean() || v == "true" || v == "false")
    {
        return Err(ApiError::invalid_value(
            "parameter `saveLAR` must be true or false",
        ));
    }
    let agent = Participant {
        agent: Some(ix.owner),
        nickname: nickname.to_string(),
        participant_id: new_participant_id(),
    };
    ix.agent = Some(agent.clone());
    ix.state = IxState::Chatting;
    ix.append_log("ParticipantJoined", &agent.brief(), "All", None);
    let reference_id = next_ref();
    let fault = ctx.fault;

    // (1) StatusChange Chatting, participants [] as documented.
    let mut r1 = ix.resource(ctx, Vec::new());
    // (2) ParticipantsUpdated: the agent, then the customer.
    let mut agent_brief = agent.brief();
    if fault == Some(Fault::ParticipantWithoutParticipantId)
        && let Some(o) = agent_brief.as_object_mut()
    {
        o.remove("participantId");
    }
    let mut r2 = ix.resource(ctx, vec![agent_brief, ix.customer.brief()]);
    match fault {
        Some(Fault::AcceptWrongState) => {
            r1.insert("state".into(), json!("Processing"));
        }
        Some(Fault::AcceptCapabilitiesMissing) => {
            r1.remove("capabilities");
        }
        Some(Fault::AcceptCapabilitiesIncomplete) => {
            let caps: Vec<_> = ACCEPT_CAPABILITIES
                .iter()
                .filter(|c| **c != "SendMessage")
                .collect();
            r1.insert("capabilities".into(), json!(caps));
            r2.insert("capabilities".into(), json!(caps));
        }
        Some(Fault::WrongInteractionIdInUri) => {
            let wrong = format!(
                "{}/api/v2/{}/{}",
                ctx.base,
                ix.media.collection(ctx.dialect),
                new_id()
            );
            r1.insert("uri".into(), json!(wrong));
            r2.insert("uri".into(), json!(wrong));
        }
        _ => {}
    }
    let mut status = ix.state_change(ctx, "StatusChange", Some(reference_id), r1);
    let participants = ix.state_change(ctx, "ParticipantsUpdated", None, r2);
    match fault {
        Some(Fault::AcceptWrongMessageType) => {
            status["messageType"] = json!("InteractionStateChangeMessage")
        }
        Some(Fault::AcceptWrongNotificationType) => {
            status["notificationType"] = json!("StateChanged")
        }
        _ => {}
    }
    // (3) The history up to the point of joining.
    let mut messages = ix.log.clone();
    if fault == Some(Fault::HistoryWithoutCustomerText) {
        messages.retain(|m| m["type"] != "Text");
    }
    if fault == Some(Fault::TimestampNotAString) {
        let ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_millis() as u64)
            .unwrap_or(0);
        for m in &mut messages {
            m["timestamp"] = json!(ms);
        }
    }
    let mut history = ix.log_updated(ctx, messages, false);
    if fault == Some(Fault::WrongInteractionIdInUri) {
        history[ix.media.log_uri_key()] = json!(format!(
            "{}/api/v2/{}/{}",
            ctx.base,
            ix.media.collection(ctx.dialect),
            new_id()
        ));
    }

    let mut notes = match fault {
        Some(Fault::AcceptMissingStatusChange) => vec![participants, history],
        Some(Fault::AcceptMissingParticipantsUpdated) => vec![status, history],
        Some(Fault::AcceptMissingHistory) => vec![status, participants],
        Some(Fault::AcceptNotificationsOutOfOrder) => vec![participants, status, history],
        _ => vec![status, participants, history],
    }
    .into_iter()
    .map(|d| ix.note(d))
    .collect::<Vec<_>>();
    if fault == Some(Fault::AcceptWrongTopic) {
        for n in &mut notes {
            n.topic = "/v2/me/interactions".into();
        }
    }
    let body = match fault {
        Some(Fault::StatusInsteadOfStatusCode) => json!({ "status": 0 }),
        Some(Fault::StatusCodeAsString) => json!({ "statusCode": "0" }),
        Some(Fault::NonZeroStatusForValidAccept) => {
            json!({ "statusCode": 4, "statusMessage": "internal error (injected fault)" })
        }
        _ => ok_body(&[]),
    };
    Ok(Done { body, notes })
}

/// Resolves a Consult target (`targetUri` ending in `/api/v2/users/{id}` or `targetPath`
/// `/users/{id}`) to an agent index.
fn resolve_target(value: &str, agents: &[Agent]) -> Option<usize> {
    let trimmed = value.trim_end_matches('/');
    agents.iter().position(|a| {
        let path = a.path();
        trimmed == path || trimmed.ends_with(&format!("/api/v2{path}"))
    })
}

fn consult(
    ix: &mut Interaction,
    params: &Map<String, Value>,
    ctx: &Ctx<'_>,
    next_ref: &dyn Fn() -> u64,
) -> Result<Done, ApiError> {
    let target = str_param(params, "targetUri").or_else(|| str_param(params, "targetPath"));
    let target_agent = match target {
        Some(t) => match resolve_target(t, ctx.agents) {
            Some(i) if i != ix.owner => i,
            Some(_) => return Err(ApiError::invalid_state("an agent cannot consult itself")),
            None => {
                return Err(ApiError::not_found(format!(
                    "no user or queue at consult target `{t}`"
                )));
            }
        },
        None if ctx.fault == Some(Fault::ConsultWithoutTargetAccepted) => (0..ctx.agents.len())
            .find(|i| *i != ix.owner)
            .unwrap_or(ix.owner),
        None => {
            return Err(ApiError::missing(
                "Consult requires `targetUri` or `targetPath`",
            ));
        }
    };
    let consulted = ctx
        .agents
        .get(target_agent)
        .ok_or_else(|| ApiError::internal("consult target vanished"))?;
    let consultant = Participant {
        agent: Some(target_agent),
        nickname: format!("{}{}", consulted.first_name, consulted.last_name),
        participant_id: new_participant_id(),
    };
    ix.consultant = Some(consultant.clone());
    let reference_id = next_ref();
    let consultant_visibility = if ctx.fault == Some(Fault::ConsultAgentVisibleToAll) {
        "All"
    } else {
        "Agents"
    };
    let consultant_full = consultant.full(consultant_visibility, ctx);
    let mut participants = vec![ix.customer.full("All", ctx), consultant_full.clone()];
    if let Some(a) = &ix.agent {
        participants.push(a.full("All", ctx));
    }
    let mut r = ix.resource(ctx, participants);
    r.insert("receivedDate".into(), json!(ix.received_date));
    r.insert(ix.media.type_key().into(), json!("Inbound"));
    let updated = ix.state_change(ctx, "ParticipantsUpdated", None, r);
    let joined = ix.append_log(
        "ParticipantJoined",
        &consultant_full,
        consultant_visibility,
        None,
    );
    let log = ix.log_updated(ctx, vec![joined], true);
    let body = if ctx.fault == Some(Fault::ConsultWithoutReferenceId) {
        ok_body(&[])
    } else {
        ok_body(&[("referenceId", json!(reference_id))])
    };
    Ok(Done {
        body,
        notes: vec![ix.note(updated), ix.note(log)],
    })
}

/// Query of collection GETs.
#[derive(Debug, serde::Deserialize)]
pub struct ListQuery {
    pub fields: Option<String>,
}

fn media_of(state: &AppState, collection: &str) -> Result<Media, ApiError> {
    Media::from_collection(collection, state.config.dialect)
        .ok_or_else(|| ApiError::not_found(format!("no collection `/api/v2/me/{collection}`")))
}

/// `GET /api/v2/me/{collection}`: `{"statusCode":0,"uris":[...]}`, or with `?fields=*`
/// `{"statusCode":0,"<collection>":[...]}` (Return Values / RequestParameters pages).
pub async fn list(
    State(state): State<Arc<AppState>>,
    Extension(authed): Extension<Authed>,
    ApiPath(collection): ApiPath<String>,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Result<Response, ApiError> {
    let media = media_of(&state, &collection)?;
    let ctx = state.ctx();
    let mut items: Vec<(String, Value, String)> = state
        .interactions
        .values()
        .into_iter()
        .filter_map(|cell| {
            let ix = cell.lock().unwrap_or_else(|e| e.into_inner());
            (ix.owner == authed.agent && ix.media == media).then(|| {
                (
                    ix.received_date.clone(),
                    ix.resource_for_get(&ctx),
                    ix.uri(&ctx),
                )
            })
        })
        .collect();
    items.sort_by(|a, b| a.0.cmp(&b.0));
    let body = if q.fields.is_some() {
        ok_body(&[(
            collection.as_str(),
            Value::Array(items.into_iter().map(|i| i.1).collect()),
        )])
    } else {
        ok_body(&[(
            "uris",
            Value::Array(items.into_iter().map(|i| json!(i.2)).collect()),
        )])
    };
    Ok(Json(body).into_response())
}

fn find(
    state: &AppState,
    authed: Authed,
    media: Media,
    id: &str,
) -> Option<Arc<Mutex<Interaction>>> {
    state.interactions.get(id).filter(|cell| {
        let ix = cell.lock().unwrap_or_else(|e| e.into_inner());
        ix.owner == authed.agent && ix.media == media
    })
}

/// `GET /api/v2/me/{collection}/{id}`: `{"statusCode":0,"<resource key>":{...}}`.
pub async fn get_one(
    State(state): State<Arc<AppState>>,
    Extension(authed): Extension<Authed>,
    ApiPath((collection, id)): ApiPath<(String, String)>,
) -> Result<Response, ApiError> {
    let media = media_of(&state, &collection)?;
    let cell = find(&state, authed, media, &id)
        .ok_or_else(|| ApiError::not_found(format!("no interaction `{id}`")))?;
    let ctx = state.ctx();
    let resource = cell
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .resource_for_get(&ctx);
    Ok(Json(ok_body(&[(
        media.resource_key(state.config.dialect),
        resource,
    )]))
    .into_response())
}

/// `POST /api/v2/me/{collection}/{id}`: one operation.
pub async fn post_operation(
    State(state): State<Arc<AppState>>,
    Extension(authed): Extension<Authed>,
    ApiPath((collection, id)): ApiPath<(String, String)>,
    body: JsonBody,
) -> Result<Response, ApiError> {
    let fault = state.fault;
    let media = media_of(&state, &collection)?;
    let params = body.object()?;
    let operation = match params.get("operationName") {
        None => {
            return Err(with_fault(
                ApiError::missing("missing parameter `operationName`"),
                fault,
            ));
        }
        Some(Value::String(s)) => s.clone(),
        Some(other) => {
            return Err(with_fault(
                ApiError::missing(format!(
                    "parameter `operationName` must be a string, not {}",
                    crate::error::kind(other)
                )),
                fault,
            ));
        }
    };
    let Some(cell) = find(&state, authed, media, &id) else {
        if fault == Some(Fault::UnknownInteractionAccepted) {
            return Ok(Json(ok_body(&[])).into_response());
        }
        return Err(with_fault(
            ApiError::not_found(format!("no interaction `{id}` in /api/v2/me/{collection}")),
            fault,
        ));
    };
    let ctx = state.ctx();
    let next_ref = || state.next_reference_id(authed.agent);
    let mut ix = cell.lock().unwrap_or_else(|e| e.into_inner());
    let done =
        operate(&mut ix, &operation, &params, &ctx, &next_ref).map_err(|e| with_fault(e, fault))?;
    for note in done.notes {
        state.publish(note);
    }
    drop(ix);
    Ok(Json(done.body).into_response())
}

fn with_fault(mut e: ApiError, fault: Option<Fault>) -> ApiError {
    if fault == Some(Fault::ErrorWithoutStatusMessage) {
        e.omit_message = true;
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_civil_utc() {
        assert_eq!(format_timestamp(0), "1970-01-01T00:00:00.000+0000");
        assert_eq!(
            format_timestamp(1_388_701_398_109),
            "2014-01-02T22:23:18.109+0000"
        );
        assert_eq!(
            format_timestamp(951_782_400_000),
            "2000-02-29T00:00:00.000+0000"
        );
        assert_eq!(new_id().len(), 16);
        assert_eq!(new_participant_id().len(), 16);
    }

    #[test]
    fn consult_targets_resolve_by_uri_or_path() {
        let agents = crate::auth::demo_agents();
        assert_eq!(
            resolve_target(
                "http://x:1/api/v2/users/e2c90c960d3d40c79684818983ceb314",
                &agents
            ),
            Some(1)
        );
        assert_eq!(
            resolve_target("/users/e2c90c960d3d40c79684818983ceb314", &agents),
            Some(1)
        );
        assert_eq!(resolve_target("/users/nobody", &agents), None);
        assert_eq!(
            resolve_target(
                "http://x/api/v2/contacts/e2c90c960d3d40c79684818983ceb314",
                &agents
            ),
            None
        );
    }
}
