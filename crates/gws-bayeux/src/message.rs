//! A Bayeux message: the JSON object exchanged in batches (JSON arrays) on every POST
//! (Bayeux 1.0 section 3 "Message field definitions", section 5.1 "advice"). This module owns the
//! wire shape, the meta channel names, the Bayeux error strings both ends use, and the tolerant
//! parsing of a POSTed body into a batch.
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

/// `/meta/handshake` (Bayeux 1.0 section 4.1.1).
pub const HANDSHAKE: &str = "/meta/handshake";
/// `/meta/connect` (section 4.1.3).
pub const CONNECT: &str = "/meta/connect";
/// `/meta/subscribe` (section 4.2.1).
pub const SUBSCRIBE: &str = "/meta/subscribe";
/// `/meta/unsubscribe` (section 4.2.3).
pub const UNSUBSCRIBE: &str = "/meta/unsubscribe";
/// `/meta/disconnect` (section 4.1.5).
pub const DISCONNECT: &str = "/meta/disconnect";
/// The only connection type this crate speaks (section 3.6; GWS 8.5 has no WebSocket).
pub const LONG_POLLING: &str = "long-polling";
/// The Bayeux error string for a `clientId` the server does not know (any more). CometD servers
/// spell the text differently (`402::session_unknown`), so clients must test the `402` code only
/// (see [`is_unknown_client_error`]).
pub const UNKNOWN_CLIENT: &str = "402::Unknown client";

/// Whether a Bayeux `error` string reports an unknown client (error code 402, any text).
pub fn is_unknown_client_error(error: &str) -> bool {
    error.trim_start().starts_with("402")
}

/// Server advice (Bayeux 1.0 section 5.1); times in milliseconds.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Advice {
    /// `retry`, `handshake` or `none`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reconnect: Option<String>,
    /// Milliseconds the client waits before its next `/meta/connect`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interval: Option<u64>,
    /// Milliseconds the server holds a `/meta/connect` open when nothing is queued.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout: Option<u64>,
}

/// One Bayeux message. Unknown fields are kept in `other`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Message {
    /// The channel: a meta channel (`/meta/connect`) or a topic (`/v2/me/chats`).
    pub channel: String,
    /// Bayeux says a string; a JSON number is accepted too and kept as its decimal text.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "string_or_number"
    )]
    pub id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// `clientId` assigned by the handshake (section 3.4).
    pub client_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// The payload of a notification (section 3.13).
    pub data: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// Outcome of a meta request, in its reply (section 3.11).
    pub successful: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// `code::text` error of an unsuccessful reply, e.g. `402::Unknown client` (section 3.12).
    pub error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// Server advice (section 5.1); CometD clients also send it on connect (`timeout: 0`).
    pub advice: Option<Advice>,
    /// A string or, in some clients, an array of strings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subscription: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// Bayeux version, `1.0` (handshake).
    pub version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// Oldest version the client accepts (handshake, optional).
    pub minimum_version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// Connection types offered (handshake), e.g. `["long-polling"]`.
    pub supported_connection_types: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// Connection type of a connect, `long-polling`.
    pub connection_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// Extension data (section 3.15), kept as is.
    pub ext: Option<Value>,
    /// Any other field, kept as is.
    #[serde(flatten)]
    pub other: serde_json::Map<String, Value>,
}

fn string_or_number<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<String>, D::Error> {
    match Option::<Value>::deserialize(deserializer)? {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => Ok(Some(text)),
        Some(Value::Number(number)) => Ok(Some(number.to_string())),
        Some(other) => Err(serde::de::Error::custom(format!(
            "message id must be a string, got {other}"
        ))),
    }
}

impl Message {
    /// A message on `channel` with every other field empty.
    pub fn new(channel: impl Into<String>) -> Self {
        Self {
            channel: channel.into(),
            ..Self::default()
        }
    }

    /// Whether this is a meta message (`/meta/...`).
    pub fn is_meta(&self) -> bool {
        crate::channel::is_meta(&self.channel)
    }

    /// The reply skeleton to this message: same `channel` and `id`, nothing else.
    pub fn reply(&self) -> Self {
        Self {
            channel: self.channel.clone(),
            id: self.id.clone(),
            ..Self::default()
        }
    }

    /// This message's `subscription` as a list: a string gives one entry, an array of strings its
    /// entries; `None` when absent, not a string/array, or holding a non-string.
    pub fn subscriptions(&self) -> Option<Vec<String>> {
        match self.subscription.as_ref()? {
            Value::String(one) => Some(vec![one.clone()]),
            Value::Array(many) => many
                .iter()
                .map(|item| item.as_str().map(str::to_owned))
                .collect(),
            _ => None,
        }
    }
}

/// Parses a POSTed body into a batch, element by element, so that one malformed message does not
/// hide the others (Bayeux 1.0 section 3: a body is a JSON array of messages; a single object is
/// accepted as a batch of one).
///
/// Each element is `Ok(message)` or `Err(reply)`, where `reply` is the unsuccessful answer to send
/// back in its place: its `channel` (the element's own, or `/meta/unknown`), its `id` when readable,
/// `successful: false` and a `400::...` error. A body that is not JSON at all, or JSON that is neither
/// an object nor an array, yields one such `Err`.
pub fn parse_batch(body: &[u8]) -> Vec<Result<Message, Message>> {
    let value: Value = match serde_json::from_slice(body) {
        Ok(value) => value,
        Err(error) => {
            return vec![Err(bad_message(
                None,
                &format!("400::body is not JSON ({error})"),
            ))];
        }
    };
    match value {
        Value::Array(items) => items.into_iter().map(parse_one).collect(),
        object @ Value::Object(_) => vec![parse_one(object)],
        _ => vec![Err(bad_message(
            None,
            "400::body is neither a Bayeux message nor a batch (JSON array)",
        ))],
    }
}

// Err carries the reply to send back, a whole Message by design (same size as Ok).
#[allow(clippy::result_large_err)]
fn parse_one(item: Value) -> Result<Message, Message> {
    let Value::Object(ref object) = item else {
        return Err(bad_message(None, "400::batch element is not a JSON object"));
    };
    if !matches!(object.get("channel"), Some(Value::String(_))) {
        return Err(bad_message(
            Some(object),
            "400::channel missing or not a string",
        ));
    }
    Message::deserialize(&item)
        .map_err(|error| bad_message(Some(object), &format!("400::malformed message ({error})")))
}

fn bad_message(object: Option<&serde_json::Map<String, Value>>, error: &str) -> Message {
    let channel = object
        .and_then(|o| o.get("channel"))
        .and_then(Value::as_str)
        .unwrap_or("/meta/unknown")
        .to_owned();
    let id = object.and_then(|o| o.get("id")).and_then(|id| match id {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        _ => None,
    });
    Message {
        channel,
        id,
        successful: Some(false),
        error: Some(error.to_owned()),
        ..Message::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pretty_assertions::assert_eq;
    use serde_json::json;

    #[test]
    fn handshake_request_serialises_with_bayeux_field_names() {
        let message = Message {
            channel: HANDSHAKE.into(),
            id: Some("1".into()),
            version: Some("1.0".into()),
            minimum_version: Some("1.0".into()),
            supported_connection_types: Some(vec![LONG_POLLING.into()]),
            ..Message::default()
        };
        assert_eq!(
            serde_json::to_value(&message).unwrap(),
            json!({"channel":"/meta/handshake","id":"1","version":"1.0","minimumVersion":"1.0",
                   "supportedConnectionTypes":["long-polling"]})
        );
    }

    #[test]
    fn reply_with_advice_and_unknown_fields_round_trips() {
        let wire = json!({"channel":"/meta/connect","clientId":"abc","successful":true,
            "advice":{"reconnect":"retry","interval":0,"timeout":30000},"x-extra":{"k":[1,2]}});
        let message: Message = serde_json::from_value(wire.clone()).unwrap();
        assert_eq!(message.client_id.as_deref(), Some("abc"));
        assert_eq!(
            message.advice,
            Some(Advice {
                reconnect: Some("retry".into()),
                interval: Some(0),
                timeout: Some(30000)
            })
        );
        assert_eq!(message.other.get("x-extra"), Some(&json!({"k":[1,2]})));
        assert_eq!(serde_json::to_value(&message).unwrap(), wire);
    }

    #[test]
    fn numeric_ids_are_accepted_as_text() {
        let message: Message =
            serde_json::from_value(json!({"channel":"/meta/connect","id":7})).unwrap();
        assert_eq!(message.id.as_deref(), Some("7"));
    }

    #[test]
    fn subscription_may_be_a_string_or_an_array() {
        let mut message = Message::new(SUBSCRIBE);
        message.subscription = Some(json!("/v2/me/*"));
        assert_eq!(message.subscriptions(), Some(vec!["/v2/me/*".to_owned()]));
        message.subscription = Some(json!(["/a", "/b/**"]));
        assert_eq!(
            message.subscriptions(),
            Some(vec!["/a".to_owned(), "/b/**".to_owned()])
        );
        message.subscription = Some(json!(["/a", 3]));
        assert_eq!(message.subscriptions(), None);
        message.subscription = None;
        assert_eq!(message.subscriptions(), None);
    }

    #[test]
    fn notification_envelope_keeps_data() {
        let message: Message = serde_json::from_value(
            json!({"channel":"/v2/me/chats","data":{"messageType":"ChatStateChangeMessage"}}),
        )
        .unwrap();
        assert!(!message.is_meta());
        assert_eq!(
            message.data,
            Some(json!({"messageType":"ChatStateChangeMessage"}))
        );
    }

    #[test]
    fn parse_batch_answers_bad_elements_in_place() {
        let parsed = parse_batch(br#"[{"channel":"/meta/handshake","id":"1"}, 5, {"id":"3"}, {"channel":"/meta/connect","id":"4","advice":"x"}]"#);
        assert_eq!(parsed.len(), 4);
        assert_eq!(
            parsed[0].as_ref().map(|m| m.channel.as_str()),
            Ok("/meta/handshake")
        );
        let errors: Vec<(String, Option<String>, String)> = parsed[1..]
            .iter()
            .map(|r| {
                let reply = r.as_ref().unwrap_err();
                assert_eq!(reply.successful, Some(false));
                (
                    reply.channel.clone(),
                    reply.id.clone(),
                    reply.error.clone().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            errors[0],
            (
                "/meta/unknown".into(),
                None,
                "400::batch element is not a JSON object".into()
            )
        );
        assert_eq!(
            errors[1],
            (
                "/meta/unknown".into(),
                Some("3".into()),
                "400::channel missing or not a string".into()
            )
        );
        assert_eq!(errors[2].0, "/meta/connect");
        assert_eq!(errors[2].1.as_deref(), Some("4"));
        assert!(
            errors[2].2.starts_with("400::malformed message"),
            "{}",
            errors[2].2
        );
    }

    #[test]
    fn parse_batch_reports_non_json_and_accepts_a_single_object() {
        let parsed = parse_batch(b"not json");
        assert_eq!(parsed.len(), 1);
        assert!(
            parsed[0]
                .as_ref()
                .unwrap_err()
                .error
                .as_deref()
                .unwrap()
                .starts_with("400::body is not JSON")
        );
        let parsed = parse_batch(br#"{"channel":"/meta/disconnect"}"#);
        assert_eq!(
            parsed[0].as_ref().map(|m| m.channel.as_str()),
            Ok("/meta/disconnect")
        );
        assert!(parse_batch(b"[]").is_empty());
        assert!(parse_batch(b"\"x\"")[0].is_err());
    }

    #[test]
    fn unknown_client_errors_are_recognised_by_code() {
        assert!(is_unknown_client_error(UNKNOWN_CLIENT));
        assert!(is_unknown_client_error("402::session_unknown"));
        assert!(!is_unknown_client_error("400::bad"));
    }
}
