//! Steps that make the target do what only a customer or a second agent could, through the
//! provider-state endpoint (target-contract section 3). A refused setup is a harness error,
//! never a pass or a conformance failure.

use cucumber::given;
use serde_json::{Value, json};

use gws_contract::{State, operations::Kind};

use super::{Exchange, GwsWorld, Interaction, OtherAgent, resource};
use crate::run::{
    catalog::TARGET_CONTRACT_S3,
    expect::Expectation,
    media::MediaParam,
    steps::notifications::await_state_change,
    verdict::{self, Failure, HarnessError, compact, pretty},
};

/// The provider state that creates an inbound interaction.
pub const OFFERED: &str = "an interaction is offered to the agent";
/// The provider state that makes a second agent available.
pub const OTHER_AGENT: &str = "another agent is available";
/// The provider state that names a queue the agent may transfer to (an extension of
/// target-contract section 3: Transfer by `queueName`, ChatSingleStepTransfer).
pub const QUEUE: &str = "a queue is available";

pub(super) async fn setup(
    world: &mut GwsWorld,
    state: &str,
    params: Value,
) -> serde_json::Map<String, Value> {
    world.mark_action();
    let session = world.session();
    world.transcript.push(Exchange::SetupRequest {
        state: state.to_string(),
        params: params.clone(),
    });
    match session.agent.provider_state_setup(state, &params).await {
        Ok(map) => {
            world
                .transcript
                .push(Exchange::SetupReply(Value::Object(map.clone())));
            world.states.push((state.to_string(), teardown_params(params, &map)));
            map
        }
        Err(e) => verdict::error(HarnessError::new("ProviderStateSetup", e.to_string()).detail(format!(
            "The target's provider-state endpoint must answer 2xx with a JSON object ({TARGET_CONTRACT_S3})."
        ))),
    }
}

/// The params of a setup's teardown: the setup params plus, when the setup answered a string
/// `id` (the interaction of `an interaction is offered to the agent`), that `id`, so the target
/// can free exactly that interaction (target-contract section 3, extension of issue 12;
/// identical params may belong to scenarios running at the same time).
fn teardown_params(mut params: Value, answer: &serde_json::Map<String, Value>) -> Value {
    if let (Value::Object(p), Some(Value::String(id))) = (&mut params, answer.get("id"))
        && !p.contains_key("id")
    {
        p.insert("id".into(), Value::String(id.clone()));
    }
    params
}

/// A non-empty string field of a provider-state answer; a harness error otherwise.
pub(super) fn string_field(
    map: &serde_json::Map<String, Value>,
    state: &str,
    field: &str,
) -> String {
    match map.get(field).and_then(Value::as_str) {
        Some(s) if !s.is_empty() => s.to_string(),
        _ => verdict::error(HarnessError::new(
            "ProviderStateSetup",
            format!(
                "provider state \"{state}\" returned no string `{field}`: {}",
                compact(&Value::Object(map.clone()), 200)
            ),
        )),
    }
}

#[given(expr = "a(n) {media} from customer {string} saying {string} is offered to the agent")]
async fn interaction_offered(
    world: &mut GwsWorld,
    media: MediaParam,
    customer: String,
    text: String,
) {
    let media = media.0;
    let session = world.session();
    let params =
        json!({"media": media.name(), "user": session.user(), "customer": customer, "text": text});
    let map = setup(world, OFFERED, params).await;
    let id = string_field(&map, OFFERED, "id");
    world.interaction = Some(Interaction {
        media,
        id: id.clone(),
        collection: media.names().collection.newest(),
        customer,
        text,
    });
    world.state = Some(State::Invited);

    // The target pushes a StatusChange with state Invited and capabilities Accept and Reject.
    let expectation = Expectation::of(world.matcher(Kind::StatusChange)).citing(
        "after the provider state, the target pushes the offered interaction to the agent: StatusChange, state Invited",
        TARGET_CONTRACT_S3,
    );
    let (n, _) = await_state_change(world, &expectation).await;
    let (key, res) =
        resource(media, &n.data).unwrap_or((media.names().resource_key.newest(), &Value::Null));
    let state = res.get("state").cloned().unwrap_or(Value::Null);
    let caps: Vec<&str> = res
        .get("capabilities")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    if state.as_str() != Some("Invited") || !caps.contains(&"Accept") || !caps.contains(&"Reject") {
        world.fail(
            Failure::new("InvitationMismatch", format!("the offered {} is not Invited with capabilities Accept and Reject", media.words()))
                .rule("an offered interaction is announced with StatusChange, state Invited, capabilities including Accept and Reject")
                .source(TARGET_CONTRACT_S3)
                .path(format!("/{key}"))
                .expected_actual("state \"Invited\", capabilities ⊇ [\"Accept\", \"Reject\"]", format!("state {}, capabilities {caps:?}", compact(&state, 40)))
                .detail(format!("notification data:\n{}", pretty(&n.data))),
        )
    }
    // Learn the REST collection from the resource's own uri (or path), not guessed.
    let collection = ["uri", "path"]
        .iter()
        .filter_map(|k| res.get(*k).and_then(Value::as_str))
        .find_map(|u| media.collection_in_uri(u));
    if let Some(c) = collection {
        if let Some(i) = world.interaction.as_mut() {
            i.collection = c;
        }
    } else {
        world.log(format!(
            "no documented collection in the Invited resource's uri; using /{}",
            media.names().collection.newest()
        ));
    }
}

#[given("another agent is available")]
async fn another_agent_available(world: &mut GwsWorld) {
    let session = world.session();
    let map = setup(world, OTHER_AGENT, json!({"user": session.user()})).await;
    let target_uri = string_field(&map, OTHER_AGENT, "targetUri");
    let target_path = string_field(&map, OTHER_AGENT, "targetPath");
    world.other_agent = Some(OtherAgent {
        target_uri,
        target_path,
    });
}

/// A queue the agent may transfer to: the provider state `a queue is available` answers its
/// `queueName` (Transfer "to Queue", <https://docs.genesys.com/Documentation/GWS/8.5.2/API/ChatSingleStepTransfer>).
/// A target that does not implement the state makes the scenario an error, never a verdict.
#[given("a queue is available")]
async fn queue_available(world: &mut GwsWorld) {
    let session = world.session();
    let map = setup(world, QUEUE, json!({"user": session.user()})).await;
    world.queue = Some(string_field(&map, QUEUE, "queueName"));
}

#[cfg(test)]
mod tests {
    use super::teardown_params;
    use serde_json::json;

    #[test]
    fn teardown_params_carry_the_setup_id() {
        let answer = json!({"id": "0000ABC"});
        let answer = answer.as_object().expect("object");
        assert_eq!(
            teardown_params(json!({"media": "chat", "user": "agent1"}), answer),
            json!({"media": "chat", "user": "agent1", "id": "0000ABC"})
        );
        // No id answered, or one already in the params: unchanged.
        let none = serde_json::Map::new();
        assert_eq!(
            teardown_params(json!({"user": "agent1"}), &none),
            json!({"user": "agent1"})
        );
        assert_eq!(
            teardown_params(json!({"id": "mine"}), answer),
            json!({"id": "mine"})
        );
    }
}
