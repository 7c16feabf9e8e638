//! One engine over the contract's operation table (`gws_contract::OPERATIONS`): for every
//! operation the table describes, the states it is valid in, its parameters, the state it leads
//! to, the notifications it publishes in documented order and whether its response carries
//! `referenceId` all come from its row. Pages:
//! Accept (<https://docs.genesys.com/Documentation/GWS/8.5.2/API/ChatAccept>,
//! <https://docs.genesys.com/Documentation/HTCC/8.5.2/API/FacebookPMAccept>,
//! <https://docs.genesys.com/Documentation/HTCC/latest/API/SMSAccept>),
//! Consult (<https://docs.genesys.com/Documentation/HTCC/8.5.2/API/FacebookPMConsult>),
//! Reject (<https://docs.genesys.com/Documentation/GWS/8.5.2/API/ChatReject>),
//! Complete (<https://docs.genesys.com/Documentation/HTCC/latest/API/ChatComplete>),
//! Leave (<https://docs.genesys.com/Documentation/HTCC/latest/API/ChatLeave>),
//! SendMessage (<https://docs.genesys.com/Documentation/HTCC/latest/API/ChatSend>) and the
//! other media's pages of the same operations; statusCodes from the Return Values page
//! (<https://enu.docs.genesys.com/Documentation:HTCC:API:ReturnValues:8.5.2>).
//!
//! What is code here is only what the table does not describe: the real side effects
//! (`Effect`: the agent joins on Accept and receives the history, the second agent joins on
//! Consult, the agent leaves on Leave). Choices (\[inferred\] where the pages are silent):
//! - An operation the table does not have answers
//!   statusCode 2 (HTTP 200), as one not valid in the current state does.
//! - Checks run in this order: state (statusCode 2), mandatory parameters, one-of groups and
//!   "only together with" (statusCode 1), booleans that are neither true nor false (statusCode
//!   10), then the side effect's own checks (an unknown Consult target is statusCode 6).
//! - A StatusChange carries the operation's `referenceId` and an empty `participants` list, as
//!   the documented StatusChange samples do; the participants come with ParticipantsUpdated.
//!
//! The engine never looks at the fault catalog: a fault's [`Deviation`] is handed in, and every
//! other mutation is applied to the [`OperationOutcome`] afterwards (`crate::fault::apply`).

use gws_contract::{
    Dialect, Media, Operation, State, capabilities_after,
    operations::{Expected, Kind, Need, Param, ParamType, Property, SideEffect, Source, Who},
};
use serde_json::{Map, Value, json};

use crate::{
    auth::AgentAccount,
    error::{ApiError, ok_body},
    interactions::{Interaction, Participant, new_participant_id},
};

/// Capabilities of an offered interaction: the provider-state contract's offer
/// (docs/target-contract.md, section 3: "capabilities that include Accept and Reject").
pub const INVITED_CAPABILITIES: [&str; 2] = ["Accept", "Reject"];

/// Capabilities after Leave when alone, as the ChatLeave page's sample prints them
/// (<https://docs.genesys.com/Documentation/HTCC/latest/API/ChatLeave>). Used only while the
/// contract has no Leave fixture: once it has, `capabilities_after("Leave", LeftChat)` gives the
/// sample's list and this is no longer read.
const LEFT_CHAT_CAPABILITIES_UNTIL_FIXTURES: [&str; 4] =
    ["Transfer", "Complete", "Leave", "InFocus"];

/// The capabilities an interaction offers in `state` (`second`: the visibility of the second
/// agent in it, `Agents` in a consultation, `All` in a conference), derived from the documented
/// samples (`gws_contract::capabilities_after`: the Consult samples for a consultation, the
/// Invite samples for a conference); `None` in Completed (no `capabilities` key, as the
/// ChatReject and ChatComplete samples show).
pub fn capabilities(state: State, second: Option<&str>) -> Option<Vec<String>> {
    let derived = |operation: &str| capabilities_after(operation, state).map(<[String]>::to_vec);
    match state {
        State::Invited => Some(INVITED_CAPABILITIES.map(String::from).to_vec()),
        State::Chatting => match second {
            Some("Agents") => derived("Consult"),
            Some(_) => derived("Invite").or_else(|| derived("Consult")),
            None => None,
        }
        .or_else(|| derived("Accept")),
        State::LeftChat => derived("Leave").or_else(|| {
            Some(
                LEFT_CHAT_CAPABILITIES_UNTIL_FIXTURES
                    .map(String::from)
                    .to_vec(),
            )
        }),
        State::Completed => None,
    }
}

/// What an operation needs from the server: the dialect it speaks, the base of every `uri`,
/// the agent directory.
pub struct OperationContext<'a> {
    /// The documented spellings served.
    pub dialect: Dialect,
    /// `http://host:port`, the start of every `uri` the server writes.
    pub base: &'a str,
    /// The agents (directory order).
    pub agents: &'a [AgentAccount],
    /// The queues an interaction may be transferred to (the `a queue is available` provider
    /// state names the first).
    pub queues: &'a [&'a str],
}

impl OperationContext<'_> {
    /// The REST collection of `media` (`chats`, `facebooksessions` / `facebooksession`, ...).
    pub fn collection(&self, media: Media) -> &'static str {
        media.names().collection.in_dialect(self.dialect)
    }
    /// The key of the resource in state-change notifications and single GETs.
    pub fn resource_key(&self, media: Media) -> &'static str {
        media.names().resource_key.in_dialect(self.dialect)
    }
    /// `messageType` of the media's state-change notifications.
    pub fn state_message_type(&self, media: Media) -> &'static str {
        media.names().state_message_type.in_dialect(self.dialect)
    }
    /// The CometD topic of the media's notifications.
    pub fn topic(&self, media: Media) -> &'static str {
        media.names().topic.in_dialect(self.dialect)
    }
    /// The `MessageLogUpdated` key holding the interaction's `uri`.
    pub fn log_uri_key(&self, media: Media) -> &'static str {
        media.names().log_uri_key.in_dialect(self.dialect)
    }
    /// The values a fault row's `{...}` placeholders stand for on `media`.
    pub fn placeholders(&self, media: Media) -> crate::fault::Placeholders<'_> {
        crate::fault::Placeholders {
            resource: self.resource_key(media),
            log_uri: self.log_uri_key(media),
            base: self.base,
            collection: self.collection(media),
        }
    }
    /// The `MessageLogUpdated` key holding the interaction's `path`.
    pub fn log_path_key(&self, media: Media) -> &'static str {
        media.names().log_path_key.in_dialect(self.dialect)
    }
}

/// Why an operation was refused (the Return Values page's cases).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Refusal {
    /// A mandatory parameter, a one-of group or a "together with" partner is missing:
    /// statusCode 1.
    MissingParameter,
    /// Not valid in the interaction's current state: statusCode 2.
    WrongState,
    /// No such interaction (of this agent, in this collection): statusCode 6.
    UnknownInteraction,
    /// A parameter outside its range (a boolean neither true nor false): statusCode 10.
    InvalidValue,
    /// Anything else (an operation the server does not perform, an unknown Consult target,
    /// consulting oneself).
    Other,
}

/// A notification to publish: to which agent, on which topic, of which documented kind, what
/// `data`.
#[derive(Clone, Debug, PartialEq)]
pub struct Publication {
    /// The agent (index into the directory) whose CometD clients get it.
    pub owner: usize,
    /// The topic.
    pub topic: String,
    /// Its kind in the operation table (`None`: not one of an operation's notifications).
    pub kind: Option<Kind>,
    /// The notification's `data`.
    pub data: Value,
}

/// What one operation request produced: the answer and the notifications to publish.
#[derive(Clone, Debug, PartialEq)]
pub struct OperationOutcome {
    /// The `operationName` asked for (`""` when the request named none).
    pub operation: String,
    /// HTTP status of the answer.
    pub http: u16,
    /// The answer's JSON body.
    pub body: Value,
    /// Why the operation was refused; `None` when it was performed.
    pub refusal: Option<Refusal>,
    /// The notifications, in publishing order.
    pub publications: Vec<Publication>,
}

impl OperationOutcome {
    /// A performed operation answering `body`.
    pub fn performed(operation: &str, body: Value, publications: Vec<Publication>) -> Self {
        Self {
            operation: operation.to_string(),
            http: 200,
            body,
            refusal: None,
            publications,
        }
    }

    /// A refused operation: `error` rendered as documented, nothing published.
    pub fn refused(operation: &str, refusal: Refusal, error: ApiError) -> Self {
        Self {
            operation: operation.to_string(),
            http: error.http.as_u16(),
            body: error.body(),
            refusal: Some(refusal),
            publications: Vec::new(),
        }
    }
}

impl axum::response::IntoResponse for OperationOutcome {
    fn into_response(self) -> axum::response::Response {
        let status = axum::http::StatusCode::from_u16(self.http)
            .unwrap_or(axum::http::StatusCode::INTERNAL_SERVER_ERROR);
        (status, axum::Json(self.body)).into_response()
    }
}

/// What a fault changes in what an operation does (read before it acts; see
/// `crate::fault::FaultRow::deviation`). The default is the documented behaviour.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Deviation {
    /// Perform the operation whatever the interaction's state.
    pub any_state: bool,
    /// Lead to this state instead of the documented one.
    pub ends_in: Option<State>,
}

/// The operation named `name` (any documented spelling) the server performs.
pub fn served(name: &str) -> Option<&'static Operation> {
    gws_contract::operation(name)
}

/// What an operation does beyond the table's notifications: the real side effects.
#[derive(Clone, Debug)]
enum Effect {
    /// Nothing.
    None,
    /// Accept: the agent joins under its nickname, and its transcript notification is the
    /// history up to the point of joining (the Accept pages). The table's Accept row has no
    /// side effect of its own: this is what the NewMessages entry of the customer's first
    /// message stands for.
    AgentJoins(Participant),
    /// Consult ([`SideEffect::SecondAgentJoins`]): the consulted agent joins, visible to agents
    /// only; the notifications carry the participants in the Consult sample's full form.
    SecondAgentJoins(Participant),
    /// Leave: the agent's `ParticipantLeft` enters the transcript and is published after the
    /// documented notifications \[inferred: the Leave pages show the StatusChange only\].
    AgentLeaves,
    /// RemoveParticipantFromConference ([`SideEffect::OtherAgentLeaves`]): the second agent
    /// named by the target is removed; the agent's Notice carries
    /// `REMOVE_PARTICIPANT_FROM_CONFERENCE<user id>` as the FacebookPMRemovePart and
    /// SMSRemoveParticipantFromConference samples print it.
    SecondAgentRemoved(String),
    /// Transfer ([`SideEffect::HandOver`]): the interaction goes to the named agent or queue;
    /// the agent under test leaves it.
    HandedOver,
}

/// Runs `name` on `ix` (already known to belong to the caller): checks, side effects, the state
/// it leads to, and the notifications of its row in documented order. `next_ref` hands out the
/// owner's next `referenceId`; `deviation` is what a fault changes (default: nothing).
pub fn operate(
    ix: &mut Interaction,
    name: &str,
    params: &Map<String, Value>,
    ctx: &OperationContext<'_>,
    next_ref: &dyn Fn() -> u64,
    deviation: Deviation,
) -> OperationOutcome {
    let Some(op) = served(name) else {
        return OperationOutcome::refused(
            name,
            Refusal::Other,
            ApiError::invalid_state(format!(
                "operation `{name}` is not one the reference server performs"
            )),
        );
    };
    if !deviation.any_state
        && let Some(why) = not_valid_now(op, ix)
    {
        return OperationOutcome::refused(name, Refusal::WrongState, ApiError::invalid_state(why));
    }
    if let Err((refusal, error)) = check_params(op, ix.media, params) {
        return OperationOutcome::refused(name, refusal, error);
    }
    let effect = match prepare(op, ix, params, ctx) {
        Ok(effect) => effect,
        Err(error) => return OperationOutcome::refused(name, Refusal::Other, error),
    };
    let next = deviation
        .ends_in
        .unwrap_or_else(|| op.next_state(ix.state, ix.consultant.is_some()));
    match &effect {
        Effect::AgentJoins(agent) => {
            ix.agent = Some(agent.clone());
            ix.append_log("ParticipantJoined", agent.brief(), "All", Map::new());
        }
        Effect::SecondAgentJoins(consultant) => ix.consultant = Some(consultant.clone()),
        Effect::SecondAgentRemoved(_) => ix.consultant = None,
        Effect::None | Effect::AgentLeaves | Effect::HandedOver => {}
    }
    ix.state = next;
    let reference_id = next_ref();
    let mut publications: Vec<Publication> = op
        .notifications
        .iter()
        .map(|expected| match expected.kind {
            Kind::StatusChange => status_change(ix, ctx, reference_id),
            Kind::ParticipantsUpdated => participants_updated(ix, ctx, expected),
            Kind::NewMessages => new_messages(ix, ctx, expected, params, &effect),
            Kind::PropertiesUpdated => properties_updated(ix, ctx, expected, params, reference_id),
        })
        .collect();
    if let Effect::AgentLeaves = effect {
        let from = ix.who(Who::Agent, ctx);
        let left = ix.append_log("ParticipantLeft", from, "All", Map::new());
        let data = ix.log_updated(ctx, vec![left], false);
        publications.push(ix.publication(ctx, Kind::NewMessages, data));
    }
    let body = if op.reference_id.required_on(ix.media) {
        ok_body(&[("referenceId", json!(reference_id))])
    } else {
        ok_body(&[])
    };
    OperationOutcome::performed(name, body, publications)
}

/// Why `op` is not valid on `ix` now (`None`: it is): the table's `valid_in` states, and
/// Consult only while no consultation is going on.
fn not_valid_now(op: &Operation, ix: &Interaction) -> Option<String> {
    if !op.valid_in(ix.state) {
        let caps = ix.capabilities().map(|c| c.join(", ")).unwrap_or_default();
        return Some(format!(
            "operation {} is not valid in state {} (capabilities: [{caps}])",
            op.name,
            ix.state.name()
        ));
    }
    if op.side_effect == SideEffect::SecondAgentJoins && ix.consultant.is_some() {
        return Some(format!(
            "operation {} is not valid now: a consultation or conference is already going on",
            op.name
        ));
    }
    if op.side_effect == SideEffect::OtherAgentLeaves && ix.consultant.is_none() {
        return Some(format!(
            "operation {} is not valid now: no other agent is in the interaction",
            op.name
        ));
    }
    None
}

/// A JSON type in words, for statusMessages.
fn type_words(ty: ParamType) -> &'static str {
    match ty {
        ParamType::String => "a non-empty string",
        ParamType::Boolean => "true or false",
        ParamType::Uri => "a resource URI",
        ParamType::Path => "a resource path",
        ParamType::Object => "a non-empty JSON object",
        ParamType::StringArray => "a non-empty array of strings",
    }
}

/// Whether `p` is given in `params`: a boolean parameter when present at all (its value is
/// judged separately), any other when it is a non-blank string.
fn given(p: &Param, params: &Map<String, Value>) -> bool {
    match p.ty {
        ParamType::Boolean => params.contains_key(p.name),
        ParamType::Object => params
            .get(p.name)
            .and_then(Value::as_object)
            .is_some_and(|o| !o.is_empty()),
        ParamType::StringArray => params
            .get(p.name)
            .and_then(Value::as_array)
            .is_some_and(|a| !a.is_empty() && a.iter().all(Value::is_string)),
        _ => params
            .get(p.name)
            .and_then(Value::as_str)
            .is_some_and(|s| !s.trim().is_empty()),
    }
}

/// The parameter checks of `op` on `media` (only the parameters its page lists for `media`).
fn check_params(
    op: &Operation,
    media: Media,
    params: &Map<String, Value>,
) -> Result<(), (Refusal, ApiError)> {
    let listed: Vec<&Param> = op.params.iter().filter(|p| p.applies_to(media)).collect();
    let missing = |m: String| (Refusal::MissingParameter, ApiError::missing(m));
    for p in &listed {
        match p.need {
            Need::Mandatory if !given(p, params) => {
                return Err(missing(format!(
                    "{} requires the parameter `{}` ({})",
                    op.name,
                    p.name,
                    type_words(p.ty)
                )));
            }
            Need::OneOf(group) => {
                let members: Vec<&&Param> = listed
                    .iter()
                    .filter(|q| q.need == Need::OneOf(group))
                    .collect();
                if !members.iter().any(|q| given(q, params)) {
                    let names: Vec<String> =
                        members.iter().map(|q| format!("`{}`", q.name)).collect();
                    return Err(missing(format!(
                        "{} requires {}",
                        op.name,
                        names.join(" or ")
                    )));
                }
            }
            Need::With(other)
                if given(p, params)
                    && !listed.iter().any(|q| q.name == other && given(q, params)) =>
            {
                return Err(missing(format!(
                    "parameter `{}` must be provided together with `{other}`",
                    p.name
                )));
            }
            _ => {}
        }
    }
    for p in listed.iter().filter(|p| p.ty == ParamType::Boolean) {
        if let Some(v) = params.get(p.name)
            && !(v.is_boolean() || v == "true" || v == "false")
        {
            return Err((
                Refusal::InvalidValue,
                ApiError::invalid_value(format!("parameter `{}` must be true or false", p.name)),
            ));
        }
    }
    Ok(())
}

/// The side effect of `op` on `ix`, with its own checks (nothing is changed yet).
fn prepare(
    op: &Operation,
    ix: &Interaction,
    params: &Map<String, Value>,
    ctx: &OperationContext<'_>,
) -> Result<Effect, ApiError> {
    let text = |name: &str| {
        params
            .get(name)
            .and_then(Value::as_str)
            .filter(|s| !s.trim().is_empty())
    };
    let target = text("targetUri")
        .or_else(|| text("targetPath"))
        .unwrap_or_default();
    if op.side_effect == SideEffect::OtherAgentLeaves {
        let index = resolve_target(target, ctx.agents);
        return match ix.consultant.as_ref() {
            Some(c) if index.is_some() && c.agent == index => {
                let id = ctx.agents[index.unwrap_or_default()].id.to_string();
                Ok(Effect::SecondAgentRemoved(id))
            }
            _ => Err(ApiError::not_found(format!(
                "no participant of this interaction at `{target}`"
            ))),
        };
    }
    if op.side_effect == SideEffect::HandOver {
        if let Some(queue) = text("queueName") {
            return if ctx.queues.contains(&queue) {
                Ok(Effect::HandedOver)
            } else {
                Err(ApiError::not_found(format!("no queue named `{queue}`")))
            };
        }
        return match resolve_target(target, ctx.agents) {
            Some(i) if i != ix.owner => Ok(Effect::HandedOver),
            Some(_) => Err(ApiError::invalid_state(
                "an agent cannot transfer an interaction to itself",
            )),
            None => Err(ApiError::not_found(format!(
                "no user or queue at transfer target `{target}`"
            ))),
        };
    }
    if op.side_effect == SideEffect::SecondAgentJoins {
        let index = match resolve_target(target, ctx.agents) {
            Some(i) if i != ix.owner => i,
            Some(_) => return Err(ApiError::invalid_state("an agent cannot consult itself")),
            None => {
                return Err(ApiError::not_found(format!(
                    "no user or queue at consult target `{target}`"
                )));
            }
        };
        let consulted = &ctx.agents[index];
        // The visibility the table documents for the agent the operation brings in.
        let visibility = op
            .notifications
            .iter()
            .flat_map(|e| e.participants)
            .find(|(who, _)| *who == Who::OtherAgent)
            .and_then(|(_, v)| *v)
            .unwrap_or("All");
        return Ok(Effect::SecondAgentJoins(Participant {
            agent: Some(index),
            nickname: format!("{}{}", consulted.first_name, consulted.last_name),
            participant_id: new_participant_id(),
            visibility,
        }));
    }
    Ok(match op.name {
        "Accept" => Effect::AgentJoins(Participant {
            agent: Some(ix.owner),
            nickname: text("nickname").unwrap_or_default().to_string(),
            participant_id: new_participant_id(),
            visibility: "All",
        }),
        "Leave" => Effect::AgentLeaves,
        _ => Effect::None,
    })
}

/// Resolves a Consult target (`targetUri` ending in `/api/v2/users/{id}` or `targetPath`
/// `/users/{id}`) to an agent index.
pub(crate) fn resolve_target(value: &str, agents: &[AgentAccount]) -> Option<usize> {
    let trimmed = value.trim_end_matches('/');
    agents.iter().position(|a| {
        let path = a.path();
        trimmed == path || trimmed.ends_with(&format!("/api/v2{path}"))
    })
}

/// The StatusChange after the operation: the new state, its capabilities (none on Completed),
/// the operation's `referenceId`.
fn status_change(ix: &Interaction, ctx: &OperationContext<'_>, reference_id: u64) -> Publication {
    let resource = ix.resource(ctx, Vec::new());
    let data = ix.state_change(ctx, "StatusChange", Some(reference_id), resource);
    ix.publication(ctx, Kind::StatusChange, data)
}

/// The ParticipantsUpdated after the operation. In a consultation every participant in the
/// Consult sample's full form and order (customer, consulted agent, agent), with the resource's
/// direction and received date; otherwise the brief form, the participants the table names
/// first, in its order, then any other.
fn participants_updated(
    ix: &Interaction,
    ctx: &OperationContext<'_>,
    expected: &Expected,
) -> Publication {
    let resource = if ix.consultant.is_some() {
        let list = [
            Some(&ix.customer),
            ix.consultant.as_ref(),
            ix.agent.as_ref(),
        ]
        .into_iter()
        .flatten()
        .map(|p| p.full(ctx))
        .collect();
        let mut r = ix.resource(ctx, list);
        r.insert("receivedDate".into(), json!(ix.received_date));
        r.insert(ix.media.names().type_key.into(), json!("Inbound"));
        r
    } else {
        let present: Vec<(Who, &Participant)> = [
            ix.agent.as_ref().map(|p| (Who::Agent, p)),
            Some((Who::Customer, &ix.customer)),
        ]
        .into_iter()
        .flatten()
        .collect();
        let named = |w: &Who| expected.participants.iter().any(|(x, _)| x == w);
        let mut order: Vec<Who> = expected.participants.iter().map(|(w, _)| *w).collect();
        order.extend(present.iter().map(|(w, _)| *w).filter(|w| !named(w)));
        let list = order
            .into_iter()
            .filter_map(|w| present.iter().find(|(x, _)| *x == w))
            .map(|(_, p)| p.brief())
            .collect();
        ix.resource(ctx, list)
    };
    let data = ix.state_change(ctx, "ParticipantsUpdated", None, resource);
    ix.publication(ctx, Kind::ParticipantsUpdated, data)
}

/// The PropertiesUpdated after the operation: the table's [`Property`] applied to the
/// interaction (user data merged or deleted, the disposition stored under its key, the comment
/// set), then the resource with its participants, `userData` and `comment`, as the
/// ChatSetDisposition and FacebookPMAddComment samples show it.
fn properties_updated(
    ix: &mut Interaction,
    ctx: &OperationContext<'_>,
    expected: &Expected,
    params: &Map<String, Value>,
    reference_id: u64,
) -> Publication {
    match expected.property {
        Some(Property::UserDataIncludes(param)) => {
            if let Some(o) = params.get(param).and_then(Value::as_object) {
                for (k, v) in o {
                    ix.user_data.insert(k.clone(), v.clone());
                }
            }
        }
        Some(Property::UserDataLacks(param)) => {
            for k in params
                .get(param)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
            {
                ix.user_data.remove(k);
            }
        }
        Some(Property::UserDataEntry {
            key_param,
            default_key,
            value_param,
        }) => {
            let key = params
                .get(key_param)
                .and_then(Value::as_str)
                .filter(|k| !k.trim().is_empty())
                .unwrap_or(default_key)
                .to_string();
            if let Some(v) = params.get(value_param) {
                ix.user_data.insert(key, v.clone());
            }
        }
        Some(Property::Field(field)) if field == "comment" => {
            ix.comment = params
                .get(field)
                .and_then(Value::as_str)
                .map(str::to_string);
        }
        Some(Property::Field(_)) | None => {}
    }
    let participants = [ix.agent.as_ref(), Some(&ix.customer)]
        .into_iter()
        .flatten()
        .map(Participant::brief)
        .collect();
    let mut resource = ix.resource(ctx, participants);
    ix.insert_properties(&mut resource, true);
    let data = ix.state_change(ctx, "PropertiesUpdated", Some(reference_id), resource);
    ix.publication(ctx, Kind::PropertiesUpdated, data)
}

/// The MessageLogUpdated after the operation: the history when the agent joins, else the
/// table's transcript entry (type, from, visibility, the request's values it echoes), appended to
/// the log. When a second agent joins it also carries the `…Path` key, as the Consult sample.
fn new_messages(
    ix: &mut Interaction,
    ctx: &OperationContext<'_>,
    expected: &Expected,
    params: &Map<String, Value>,
    effect: &Effect,
) -> Publication {
    let messages = match (effect, expected.message) {
        (Effect::AgentJoins(_), _) => ix.log.clone(),
        (_, Some(t)) => {
            let from = ix.who(t.from, ctx);
            let mut fields = Map::new();
            for (field, source) in t.echoes {
                let value = match source {
                    Source::Param(p) => params.get(*p).cloned(),
                    Source::OfferText => Some(json!(ix.offer_text())),
                };
                if let Some(v) = value {
                    fields.insert((*field).to_string(), v);
                }
            }
            if let Effect::SecondAgentRemoved(id) = effect {
                fields.insert(
                    "text".into(),
                    json!(format!("REMOVE_PARTICIPANT_FROM_CONFERENCE{id}")),
                );
            }
            vec![ix.append_log(t.kind, from, t.visibility, fields)]
        }
        (_, None) => Vec::new(),
    };
    let with_path = matches!(effect, Effect::SecondAgentJoins(_));
    let data = ix.log_updated(ctx, messages, with_path);
    ix.publication(ctx, Kind::NewMessages, data)
}
