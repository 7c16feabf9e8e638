//! Chat, Facebook session and SMS session interactions: the store (sharded, one mutex per
//! interaction), the interaction resource as the pages print it (names from the contract's
//! names table, in the server's dialect), the GET of collections and items
//! (<https://enu.docs.genesys.com/Documentation:HTCC:API:ReturnValues:8.5.2> for the bodies) and
//! the POST of an operation, which [`crate::operations::operate`] performs.
//!
//! Choices (\[inferred\] where the documentation is silent):
//! - A missing `operationName` is statusCode 1 (HTTP 200).
//! - An unknown interaction id (or one owned by another agent, or in another media's collection)
//!   is statusCode 6 with HTTP 404.
//! - Notifications are published while the interaction's lock is held (publishing never awaits),
//!   so two operations on one interaction never interleave their notifications; they are published
//!   before the HTTP response is written.
//! - A fault of the catalog (`--fault`) is applied to every operation's outcome here, in one
//!   place ([`crate::fault::apply`]), before anything is published or answered.
//! - The store is bounded (issue 12): an interaction is freed when the provider-state teardown of
//!   the setup that offered it names its `id` (docs/target-contract.md, section 3), and at most
//!   [`MAX_INTERACTIONS_PER_AGENT`] (`ServerConfig::max_interactions_per_agent`) are kept per
//!   agent they were offered to: an offer at the bound evicts that agent's oldest interaction
//!   first, in O(log n). An evicted or freed interaction is unknown from then on (statusCode 6,
//!   HTTP 404, like an id never given). Completed interactions are kept (a GET after Complete
//!   shows state Completed) until freed or evicted.

use std::{
    collections::BTreeMap,
    sync::{
        Arc, Mutex,
        atomic::{AtomicU64, Ordering},
    },
    time::{SystemTime, UNIX_EPOCH},
};

use axum::{
    Extension,
    extract::State,
    response::{IntoResponse, Response},
};
use gws_contract::{
    Media, State as IxState,
    operations::{Kind, Who},
};
use serde_json::{Map, Value, json};

use crate::{
    AppState,
    auth::Authed,
    error::{ApiError, ApiPath, ApiQuery, JsonBody, ok_body},
    fault,
    operations::{self, OperationContext, OperationOutcome, Publication, Refusal},
};

/// A participant of an interaction.
#[derive(Clone, Debug)]
pub struct Participant {
    /// The agent (index into the directory), `None` for the customer.
    pub agent: Option<usize>,
    /// The name shown in the interaction.
    pub nickname: String,
    /// Its participant id.
    pub participant_id: String,
    /// Who sees it: `All`, or `Agents` for a consulted agent.
    pub visibility: &'static str,
}

/// One interaction.
#[derive(Debug)]
pub struct Interaction {
    /// Its id.
    pub id: String,
    /// Its media.
    pub media: Media,
    /// The agent it was offered to.
    pub owner: usize,
    /// Its state.
    pub state: IxState,
    /// The customer.
    pub customer: Participant,
    /// The owner as a participant, from Accept on.
    pub agent: Option<Participant>,
    /// The consulted agent, from Consult on.
    pub consultant: Option<Participant>,
    /// When it was offered.
    pub received_date: String,
    /// The message log; each entry already carries its `index`.
    pub log: Vec<Value>,
    /// The interaction's user data (AttachUserData, UpdateUserData, DeleteUserData,
    /// SetDisposition).
    pub user_data: Map<String, Value>,
    /// The comment of AddComment (Facebook sessions), once set.
    pub comment: Option<String>,
}

/// Most interactions kept per agent they were offered to (the default of
/// `ServerConfig::max_interactions_per_agent`); the oldest is evicted first. With the two demo
/// agents the store holds at most twice this many.
pub const MAX_INTERACTIONS_PER_AGENT: usize = 1024;

/// A stored interaction and where it sits in its agent's age index.
#[derive(Clone, Debug)]
struct Entry {
    cell: Arc<Mutex<Interaction>>,
    /// The agent it was offered to (its owner may change later, by Transfer).
    offered_to: usize,
    age: u64,
}

/// The shared interaction store: interactions by id (sharded), plus, per agent they were offered
/// to, an index from age to id (oldest first) for eviction at the bound. Lock order: an agent's
/// age index, then a shard; no lock is held across an `.await`.
#[derive(Debug)]
pub struct Store {
    cells: crate::shard::Sharded<Entry>,
    ages: Vec<Mutex<BTreeMap<u64, String>>>,
    next_age: AtomicU64,
    max_per_agent: usize,
}

impl Store {
    /// An empty store for `agents` agents keeping at most `max_per_agent` (at least 1) each.
    pub fn new(agents: usize, max_per_agent: usize) -> Self {
        Self {
            cells: crate::shard::Sharded::default(),
            ages: (0..agents.max(1)).map(|_| Mutex::default()).collect(),
            next_age: AtomicU64::new(0),
            max_per_agent: max_per_agent.max(1),
        }
    }

    fn ages_of(&self, agent: usize) -> std::sync::MutexGuard<'_, BTreeMap<u64, String>> {
        self.ages[agent % self.ages.len()]
            .lock()
            .unwrap_or_else(|e| e.into_inner())
    }

    /// Stores `ix` (offered to its `owner`), first evicting that agent's oldest interactions
    /// while it has `max_per_agent`; returns the stored cell and how many were evicted.
    pub fn insert(&self, ix: Interaction) -> (Arc<Mutex<Interaction>>, usize) {
        let offered_to = ix.owner;
        let id = ix.id.clone();
        let cell = Arc::new(Mutex::new(ix));
        let age = self.next_age.fetch_add(1, Ordering::Relaxed);
        let mut ages = self.ages_of(offered_to);
        let mut evicted = 0;
        while ages.len() >= self.max_per_agent {
            let Some((_, oldest)) = ages.pop_first() else {
                break;
            };
            self.cells.remove(&oldest);
            evicted += 1;
        }
        ages.insert(age, id.clone());
        self.cells.insert(
            id,
            Entry {
                cell: cell.clone(),
                offered_to,
                age,
            },
        );
        (cell, evicted)
    }

    /// The interaction `id`, if stored.
    pub fn get(&self, id: &str) -> Option<Arc<Mutex<Interaction>>> {
        self.cells.get(id).map(|e| e.cell)
    }

    /// Frees the interaction `id` if it was offered to `agent` (any agent when `None`); whether
    /// it was stored.
    pub fn remove(&self, id: &str, agent: Option<usize>) -> bool {
        let Some(entry) = self.cells.get(id) else {
            return false;
        };
        if agent.is_some_and(|a| a != entry.offered_to) {
            return false;
        }
        let mut ages = self.ages_of(entry.offered_to);
        // Still the same entry (not evicted and replaced meanwhile): ids are never reused.
        let removed = self.cells.remove(id).is_some();
        ages.remove(&entry.age);
        removed
    }

    /// Every stored interaction (locks one shard at a time).
    pub fn values(&self) -> Vec<Arc<Mutex<Interaction>>> {
        self.cells.values().into_iter().map(|e| e.cell).collect()
    }

    /// How many interactions are stored.
    pub fn len(&self) -> usize {
        self.cells.len()
    }
}

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
    /// `{type, nickname, participantId}` as in the Accept samples.
    pub fn brief(&self) -> Value {
        json!({ "type": self.kind(), "nickname": self.nickname, "participantId": self.participant_id })
    }
    /// The full form of the Consult sample: plus `id`, `visibility` and, for agents, `uri` and
    /// `path`.
    pub fn full(&self, ctx: &OperationContext<'_>) -> Value {
        let mut v = json!({
            "nickname": self.nickname,
            "type": self.kind(),
            "id": self.participant_id,
            "visibility": self.visibility,
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
            visibility: "All",
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
            user_data: Map::new(),
            comment: None,
        };
        ix.append_log("ParticipantJoined", customer.brief(), "All", Map::new());
        let mut first = Map::new();
        first.insert("text".into(), json!(text));
        ix.append_log("Text", customer.brief(), "All", first);
        ix
    }

    /// The customer's first message: the `text` of the offer's first `Text` entry (kept once,
    /// in the log).
    pub fn offer_text(&self) -> &str {
        self.log
            .iter()
            .find(|m| m.get("type").and_then(Value::as_str) == Some("Text"))
            .and_then(|m| m.get("text"))
            .and_then(Value::as_str)
            .unwrap_or_default()
    }

    /// `{base}/api/v2/{collection}/{id}`.
    pub fn uri(&self, ctx: &OperationContext<'_>) -> String {
        format!(
            "{}/api/v2/{}/{}",
            ctx.base,
            ctx.collection(self.media),
            self.id
        )
    }

    /// `/{collection}/{id}`.
    pub fn path(&self, ctx: &OperationContext<'_>) -> String {
        format!("/{}/{}", ctx.collection(self.media), self.id)
    }

    /// The advertised capabilities, `None` in Completed (no `capabilities` key).
    pub fn capabilities(&self) -> Option<Vec<String>> {
        operations::capabilities(self.state, self.consultant.as_ref().map(|c| c.visibility))
    }

    /// Who `who` is in this interaction, as a transcript entry's `from`: the brief form for
    /// the agent and the customer (Accept and SendMessage samples), the full form for the
    /// consulted agent (Consult sample). An agent that has not accepted (an operation performed
    /// in a state it is not valid in) appears under its directory name.
    pub fn who(&self, who: Who, ctx: &OperationContext<'_>) -> Value {
        match who {
            Who::Customer => self.customer.brief(),
            Who::Agent => match &self.agent {
                Some(a) => a.brief(),
                None => {
                    let nickname = ctx
                        .agents
                        .get(self.owner)
                        .map(|a| format!("{}{}", a.first_name, a.last_name))
                        .unwrap_or_default();
                    Participant {
                        agent: Some(self.owner),
                        nickname,
                        participant_id: new_participant_id(),
                        visibility: "All",
                    }
                    .brief()
                }
            },
            Who::OtherAgent => self
                .consultant
                .as_ref()
                .map(|c| c.full(ctx))
                .unwrap_or(Value::Null),
        }
    }

    /// Appends a transcript entry `{index, type, from, visibility, timestamp, ...fields}` and
    /// returns it.
    pub fn append_log(
        &mut self,
        kind: &str,
        from: Value,
        visibility: &str,
        fields: Map<String, Value>,
    ) -> Value {
        let index = self.log.len() + 1;
        let mut m = json!({
            "index": index,
            "type": kind,
            "from": from,
            "visibility": visibility,
            "timestamp": now_timestamp(),
        });
        if let Some(o) = m.as_object_mut() {
            o.extend(fields);
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

    /// The resource object `{state, capabilities?, id, uri, participants}`.
    pub fn resource(
        &self,
        ctx: &OperationContext<'_>,
        participants: Vec<Value>,
    ) -> Map<String, Value> {
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

    /// Adds the interaction's properties to `resource`: `userData` (also when empty if
    /// `empty_user_data`, as a PropertiesUpdated after DeleteUserData shows it) and `comment`
    /// once set.
    pub fn insert_properties(&self, resource: &mut Map<String, Value>, empty_user_data: bool) {
        if empty_user_data || !self.user_data.is_empty() {
            resource.insert("userData".into(), Value::Object(self.user_data.clone()));
        }
        if let Some(c) = &self.comment {
            resource.insert("comment".into(), json!(c));
        }
    }

    /// The resource as served by GET: current state, participants, direction and received date,
    /// and the user data and comment once set.
    pub fn resource_for_get(&self, ctx: &OperationContext<'_>) -> Value {
        let mut r = self.resource(ctx, self.participants_brief());
        self.insert_properties(&mut r, false);
        r.insert(self.media.names().type_key.into(), json!("Inbound"));
        r.insert("receivedDate".into(), json!(self.received_date));
        Value::Object(r)
    }

    /// A state-change notification `{messageType, referenceId?, notificationType, <key>}`.
    pub fn state_change(
        &self,
        ctx: &OperationContext<'_>,
        notification_type: &str,
        reference_id: Option<u64>,
        resource: Map<String, Value>,
    ) -> Value {
        let mut d = Map::new();
        d.insert(
            "messageType".into(),
            json!(ctx.state_message_type(self.media)),
        );
        if let Some(r) = reference_id {
            d.insert("referenceId".into(), json!(r));
        }
        d.insert("notificationType".into(), json!(notification_type));
        d.insert(ctx.resource_key(self.media).into(), Value::Object(resource));
        Value::Object(d)
    }

    /// A `MessageLogUpdated` / `NewMessages` carrying `messages`, keyed by the interaction's
    /// `…Uri` (and `…Path` when `with_path`).
    pub fn log_updated(
        &self,
        ctx: &OperationContext<'_>,
        messages: Vec<Value>,
        with_path: bool,
    ) -> Value {
        let mut d = Map::new();
        d.insert("messageType".into(), json!("MessageLogUpdated"));
        d.insert("notificationType".into(), json!("NewMessages"));
        d.insert("messages".into(), Value::Array(messages));
        d.insert(ctx.log_uri_key(self.media).into(), json!(self.uri(ctx)));
        if with_path {
            d.insert(ctx.log_path_key(self.media).into(), json!(self.path(ctx)));
        }
        Value::Object(d)
    }

    /// `data` as a notification of `kind` to the owner, on the media's topic.
    pub fn publication(&self, ctx: &OperationContext<'_>, kind: Kind, data: Value) -> Publication {
        Publication {
            owner: self.owner,
            topic: ctx.topic(self.media).to_string(),
            kind: Some(kind),
            data,
        }
    }

    /// The offer notification (provider state `an interaction is offered to the agent`): a
    /// StatusChange in state Invited listing the customer.
    pub fn offer_notification(&self, ctx: &OperationContext<'_>) -> Publication {
        let mut r = self.resource(ctx, vec![self.customer.brief()]);
        r.insert(self.media.names().type_key.into(), json!("Inbound"));
        r.insert("receivedDate".into(), json!(self.received_date));
        let mut p = self.publication(
            ctx,
            Kind::StatusChange,
            self.state_change(ctx, "StatusChange", None, r),
        );
        p.kind = None;
        p
    }
}

/// Query of `GET …/{id}/messages` (SMSResources: "Optional URL parameters are startIndex and
/// count").
#[derive(Debug, serde::Deserialize)]
pub struct MessagesQuery {
    /// The `index` of the first transcript entry returned (entries are numbered from 1; default
    /// 1) \[inferred: the page does not say where indexes start\].
    #[serde(rename = "startIndex")]
    pub start_index: Option<u64>,
    /// At most this many entries (default: all).
    pub count: Option<u64>,
}

/// The pseudo-operation names a fault row gives to the resource GETs (see `crate::fault`).
pub mod get_names {
    /// `GET /api/v2/me/{collection}` (with or without `?fields=*`).
    pub const COLLECTION: &str = "GET collection";
    /// `GET /api/v2/me/{collection}/{id}`.
    pub const RESOURCE: &str = "GET resource";
    /// `GET /api/v2/me/{collection}/{id}/messages`.
    pub const MESSAGES: &str = "GET messages";
}

/// A GET's answer `body`, through the server's fault (a row naming the GET by its
/// [`get_names`] pseudo-operation may replace it).
fn answer_get(state: &AppState, name: &str, media: Media, body: Value) -> Response {
    let mut outcome = OperationOutcome::performed(name, body, Vec::new());
    if let Some(row) = state.fault {
        fault::apply(row, &mut outcome, &state.context().placeholders(media));
    }
    outcome.into_response()
}

/// Query of collection GETs.
#[derive(Debug, serde::Deserialize)]
pub struct ListQuery {
    /// `?fields=*`: the resources instead of their `uris`.
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
    let ctx = state.context();
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
    Ok(answer_get(&state, get_names::COLLECTION, media, body))
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
    let ctx = state.context();
    let resource = cell
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .resource_for_get(&ctx);
    let body = ok_body(&[(ctx.resource_key(media), resource)]);
    Ok(answer_get(&state, get_names::RESOURCE, media, body))
}

/// `GET /api/v2/me/{collection}/{id}/messages[?startIndex=N&count=M]`:
/// `{"statusCode":0,"messages":[...]}`, the transcript entries from `startIndex` on, at most
/// `count` (SMSResources, <https://enu.docs.genesys.com/Documentation/HTCC/latest/API/SMSResources>;
/// the response's shape is not on the page's copy \[inferred: the `messages` array of a
/// MessageLogUpdated\]). An unknown interaction is statusCode 6.
pub async fn get_messages(
    State(state): State<Arc<AppState>>,
    Extension(authed): Extension<Authed>,
    ApiPath((collection, id)): ApiPath<(String, String)>,
    ApiQuery(q): ApiQuery<MessagesQuery>,
) -> Result<Response, ApiError> {
    let media = media_of(&state, &collection)?;
    let cell = find(&state, authed, media, &id)
        .ok_or_else(|| ApiError::not_found(format!("no interaction `{id}`")))?;
    let start = q.start_index.unwrap_or(1);
    let count = usize::try_from(q.count.unwrap_or(u64::MAX)).unwrap_or(usize::MAX);
    let messages: Vec<Value> = cell
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .log
        .iter()
        .filter(|m| m.get("index").and_then(Value::as_u64).unwrap_or(0) >= start)
        .take(count)
        .cloned()
        .collect();
    let body = ok_body(&[("messages", Value::Array(messages))]);
    Ok(answer_get(&state, get_names::MESSAGES, media, body))
}

/// `POST /api/v2/me/{collection}/{id}`: one operation. Whatever the operation produced (answer
/// and notifications, or a refusal) goes through the server's fault, if any, then is published
/// and answered.
pub async fn post_operation(
    State(state): State<Arc<AppState>>,
    Extension(authed): Extension<Authed>,
    ApiPath((collection, id)): ApiPath<(String, String)>,
    body: JsonBody,
) -> Result<Response, ApiError> {
    let media = media_of(&state, &collection)?;
    let params = body.object()?;
    let ctx = state.context();
    let placeholders = ctx.placeholders(media);
    let finish = |mut outcome: OperationOutcome| {
        if let Some(row) = state.fault {
            fault::apply(row, &mut outcome, &placeholders);
        }
        for publication in std::mem::take(&mut outcome.publications) {
            state.publish(publication);
        }
        outcome.into_response()
    };
    let operation = match params.get("operationName") {
        Some(Value::String(s)) => s.clone(),
        None => {
            return Ok(finish(OperationOutcome::refused(
                "",
                Refusal::MissingParameter,
                ApiError::missing("missing parameter `operationName`"),
            )));
        }
        Some(other) => {
            return Ok(finish(OperationOutcome::refused(
                "",
                Refusal::MissingParameter,
                ApiError::missing(format!(
                    "parameter `operationName` must be a string, not {}",
                    crate::error::kind(other)
                )),
            )));
        }
    };
    let Some(cell) = find(&state, authed, media, &id) else {
        return Ok(finish(OperationOutcome::refused(
            &operation,
            Refusal::UnknownInteraction,
            ApiError::not_found(format!("no interaction `{id}` in /api/v2/me/{collection}")),
        )));
    };
    let deviation = state
        .fault
        .map(|row| row.deviation(&operation))
        .unwrap_or_default();
    let next_ref = || state.next_reference_id(authed.agent);
    let mut ix = cell.lock().unwrap_or_else(|e| e.into_inner());
    let outcome = operations::operate(&mut ix, &operation, &params, &ctx, &next_ref, deviation);
    // Published while the interaction is locked: its notifications never interleave.
    let response = finish(outcome);
    drop(ix);
    Ok(response)
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
        use crate::operations::resolve_target;
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
