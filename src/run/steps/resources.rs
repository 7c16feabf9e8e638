//! Steps that read the agent's interactions as resources: the collection
//! (`GET /api/v2/me/{collection}`, its `uris`, or with `?fields=*` the resources), one
//! interaction (`GET …/{id}`) and its transcript (`GET …/{id}/messages` with `startIndex` and
//! `count`), as the SMS Session Resource page documents them
//! (<https://enu.docs.genesys.com/Documentation/HTCC/latest/API/SMSResources>); chat and Facebook
//! by the same pattern (their scenarios are `@inferred`). A resource is validated against its
//! media's `<media>-resource` schema where one exists (`smssession-resource`). The page's copy stops in its message
//! types table and shows no `messages` response: the `{"statusCode": 0, "messages": [...]}` shape
//! is inferred from the MessageLogUpdated notification's.

use cucumber::{then, when};
use gws_contract::State;
use serde_json::Value;

use super::{
    GwsWorld,
    operations::{judge_success, operation_named},
};
use crate::run::{
    agent::AgentError,
    media::MediaParam,
    steps::notifications::judge_schema,
    verdict::{Failure, compact, pretty},
};

/// The SMS Session Resource page (`title — url`, from the page table), cited by every resource
/// rule.
fn resources_page() -> String {
    crate::run::catalog::page("SMSResources")
        .map(|p| p.cite())
        .unwrap_or_default()
}

/// GETs `rel` (under `/api/v2/`) and keeps the answer as the scenario's last reply; a transport
/// error is a harness error, a body that is not JSON a failure.
async fn get(world: &mut GwsWorld, what: &str, rel: String) {
    world.mark_action();
    let session = world.session();
    let url = session.agent.api(&rel);
    match session.agent.get(what, url).await {
        Ok(reply) => world.log_reply(Value::String(format!("GET /api/v2/{rel}")), reply),
        Err(e @ AgentError::NotJson { .. }) | Err(e @ AgentError::Status { .. }) => world.fail(
            Failure::new("ResponseNotJson", e.to_string())
                .rule("all methods always return a JSON body with the statusCode attribute")
                .source(resources_page())
                .expected_actual("a JSON object with statusCode", e.to_string()),
        ),
        Err(e) => world.agent_error(e.kind(), &e),
    }
}

/// The last reply's body, judged as a successful answer: valid against `operation-response`,
/// statusCode 0.
fn success_body(world: &GwsWorld) -> Value {
    let Some(reply) = world.reply().cloned() else {
        crate::run::verdict::error(crate::run::verdict::HarnessError::new(
            "ScenarioOrder",
            "no request was made before this check",
        ))
    };
    judge_success(
        world,
        &reply,
        "the GET response",
        "a successful GET answers statusCode 0",
        Some(resources_page()),
    );
    reply.body
}

#[when(expr = "the agent gets its {media} collection")]
async fn gets_collection(world: &mut GwsWorld, _media: MediaParam) {
    let i = world.interaction();
    get(world, "GET collection", format!("me/{}", i.collection)).await;
}

#[when(expr = "the agent gets its {media} collection with fields=*")]
async fn gets_collection_fields(world: &mut GwsWorld, _media: MediaParam) {
    let i = world.interaction();
    get(
        world,
        "GET collection",
        format!("me/{}?fields=*", i.collection),
    )
    .await;
}

#[when(expr = "the agent gets the {media}")]
async fn gets_resource(world: &mut GwsWorld, _media: MediaParam) {
    let i = world.interaction();
    get(
        world,
        "GET resource",
        format!("me/{}/{}", i.collection, i.id),
    )
    .await;
}

#[when(expr = "the agent gets the {media}'s messages")]
async fn gets_messages(world: &mut GwsWorld, _media: MediaParam) {
    let i = world.interaction();
    get(
        world,
        "GET messages",
        format!("me/{}/{}/messages", i.collection, i.id),
    )
    .await;
}

#[when(expr = "the agent gets the {media}'s messages with startIndex {int} and count {int}")]
async fn gets_messages_window(world: &mut GwsWorld, _media: MediaParam, start: u64, count: u64) {
    let i = world.interaction();
    get(
        world,
        "GET messages",
        format!(
            "me/{}/{}/messages?startIndex={start}&count={count}",
            i.collection, i.id
        ),
    )
    .await;
}

/// Whether `uri` names the interaction `id` of `collection` (`…/{collection}/{id}`).
fn names_interaction(uri: &str, collection: &str, id: &str) -> bool {
    uri.trim_end_matches('/')
        .ends_with(&format!("/{collection}/{id}"))
}

#[then(expr = "the response lists the {media}'s uri")]
async fn lists_uri(world: &mut GwsWorld, _media: MediaParam) {
    let body = success_body(world);
    let i = world.interaction();
    let uris = body.get("uris").cloned().unwrap_or(Value::Null);
    let found = uris
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .any(|u| names_interaction(u, i.collection, &i.id));
    if !found {
        world.fail(
            Failure::new(
                "ResourceMissing",
                format!(
                    "the collection's uris do not name the {} {}",
                    i.media.words(),
                    i.id
                ),
            )
            .rule("GET of the collection lists the uri of each of the agent's interactions")
            .source(resources_page())
            .path("/uris")
            .expected_actual(
                format!(
                    "an array holding a uri ending in /{}/<the interaction's id>",
                    i.collection
                ),
                compact(&uris, 300),
            )
            .detail(format!("interaction id: {}", i.id)),
        )
    }
}

/// Judges a resource read by a GET: its `id`, its `state` (the scenario's state) and, outside
/// Completed, the capabilities the documented samples show after the last operation performed.
fn judge_resource(world: &mut GwsWorld, resource: &Value, path: &str) {
    // The media's resource schema, where the documentation has a resource sample
    // (`smssession-resource`, SMSResources).
    let schema = format!("{}-resource", world.interaction().media.name());
    if gws_contract::schema_names().contains(&schema.as_str()) {
        judge_schema(world, &schema, resource, "the resource");
    }
    let state = world.state.unwrap_or(State::Chatting);
    let actual = resource.get("state").cloned().unwrap_or(Value::Null);
    if actual.as_str() != Some(state.name()) {
        world.fail(
            Failure::new(
                "StateMismatch",
                format!(
                    "the resource is in state {}, expected {}",
                    compact(&actual, 60),
                    state.name()
                ),
            )
            .rule("the resource shows the interaction's current state")
            .source(resources_page())
            .path(format!("{path}/state"))
            .expected_actual(format!("\"{}\"", state.name()), compact(&actual, 100))
            .detail(format!("resource:\n{}", pretty(resource))),
        )
    }
    let op = world
        .performed
        .as_ref()
        .map(|(op, _)| *op)
        .unwrap_or_else(|| operation_named("Accept"));
    let Some(documented) = gws_contract::capabilities_after(op.name, state) else {
        return;
    };
    let caps: Vec<&str> = resource
        .get("capabilities")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let missing: Vec<&str> = documented
        .iter()
        .map(String::as_str)
        .filter(|c| !caps.contains(c))
        .collect();
    if !missing.is_empty() {
        world.fail(
            Failure::new(
                "CapabilitiesMissing",
                format!("the resource's capabilities lack {}", missing.join(", ")),
            )
            .rule(format!(
                "the resource offers the capabilities documented after {} (a subset check)",
                op.name
            ))
            .source(resources_page())
            .path(format!("{path}/capabilities"))
            .expected_actual(documented.join(", "), caps.join(", ")),
        )
    }
}

#[then(expr = "the response holds the {media} in its current state")]
async fn holds_resource(world: &mut GwsWorld, _media: MediaParam) {
    let body = success_body(world);
    let i = world.interaction();
    // A single GET keys the resource by the media's resource key (any documented spelling); the
    // collection with fields=* lists them under the collection's name.
    let single = i
        .media
        .names()
        .resource_key
        .all
        .iter()
        .find_map(|k| body.get(*k).filter(|v| v.is_object()).map(|v| (*k, v)));
    let listed = || {
        i.media.names().collection.all.iter().find_map(|k| {
            body.get(*k)?
                .as_array()?
                .iter()
                .enumerate()
                .find(|(_, r)| r.get("id").and_then(Value::as_str) == Some(i.id.as_str()))
                .map(|(n, r)| (format!("/{k}/{n}"), r))
        })
    };
    let found = match single {
        Some((k, r)) if r.get("id").and_then(Value::as_str) == Some(i.id.as_str()) => {
            Some((format!("/{k}"), r))
        }
        _ => listed(),
    };
    match found {
        Some((path, r)) => {
            let r = r.clone();
            judge_resource(world, &r, &path)
        }
        None => world.fail(
            Failure::new(
                "ResourceMissing",
                format!(
                    "the response holds no resource of the {} {}",
                    i.media.words(),
                    i.id
                ),
            )
            .rule("GET of an interaction (or of the collection with fields=*) answers its resource")
            .source(resources_page())
            .path("/")
            .expected_actual(
                format!(
                    "a resource with the interaction's id under `{}` (or in the `{}` array)",
                    i.media.names().resource_key.newest(),
                    i.collection
                ),
                compact(&body, 300),
            )
            .detail(format!("interaction id: {}", i.id)),
        ),
    }
}

/// The `type` and `text` of each entry of a `messages` answer.
fn entries(body: &Value) -> Vec<(String, Option<String>, Option<u64>)> {
    body.get("messages")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|m| {
            (
                m.get("type")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
                m.get("text").and_then(Value::as_str).map(str::to_string),
                m.get("index").and_then(Value::as_u64),
            )
        })
        .collect()
}

#[then("the messages hold the customer's text and the text the agent sent")]
async fn messages_hold(world: &mut GwsWorld) {
    let sent = world
        .performed
        .as_ref()
        .and_then(|(_, body)| body.get("text"))
        .and_then(Value::as_str)
        .map(str::to_string)
        .unwrap_or_else(|| {
            crate::run::verdict::error(crate::run::verdict::HarnessError::new(
                "ScenarioOrder",
                "no operation with a `text` was performed before this check",
            ))
        });
    let body = success_body(world);
    let i = world.interaction();
    let got = entries(&body);
    let has = |text: &str| {
        got.iter()
            .any(|(t, x, _)| t == "Text" && x.as_deref() == Some(text))
    };
    for (who, text) in [
        ("the customer's", i.text.as_str()),
        ("the agent's", sent.as_str()),
    ] {
        if !has(text) {
            world.fail(
                Failure::new(
                    "MessagesMismatch",
                    format!("the transcript lacks {who} Text entry \"{text}\""),
                )
                .rule("GET …/messages answers the interaction's transcript (Text: the message text is placed into the text field)")
                .source(resources_page())
                .path("/messages")
                .expected_actual(
                    format!("a Text entry with text \"{text}\""),
                    compact(body.get("messages").unwrap_or(&Value::Null), 300),
                ),
            )
        }
    }
}

#[then(expr = "the messages are {int} entries from index {int} on")]
async fn messages_window(world: &mut GwsWorld, count: usize, start: u64) {
    let body = success_body(world);
    let got = entries(&body);
    let indexes: Vec<Option<u64>> = got.iter().map(|(_, _, n)| *n).collect();
    let want: Vec<Option<u64>> = (start..start + count as u64).map(Some).collect();
    if indexes != want {
        world.fail(
            Failure::new(
                "MessagesMismatch",
                format!(
                    "startIndex {start} and count {count} answered the entries {indexes:?}"
                ),
            )
            .rule("GET …/messages with startIndex and count answers at most count entries, from the entry startIndex on [inferred: entries are numbered from 1, as in MessageLogUpdated]")
            .source(resources_page())
            .path("/messages")
            .expected_actual(format!("indexes {want:?}"), format!("indexes {indexes:?}")),
        )
    }
}
