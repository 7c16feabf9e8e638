//! The names table: for each media and each documented spelling of its names, the REST
//! collection, the resource key of state-change notifications, the state-change `messageType`,
//! the CometD topic and the transcript keys (`chatUri`, `facebooksessionUri`, ...).
//!
//! Every crate reads names from here: the runner (which spelling did the target use, is it the
//! newest), the reference server (which spelling does its dialect speak), `validate`'s schema
//! detection, the per-media schemas generated from one template ([`crate::generated_schemas`])
//! and the tests.
//!
//! Where the documentation spells a name more than one way, [`Spellings`] lists them, newest
//! first. Sources:
//! - Facebook: the 2015 Accept page (<https://docs.genesys.com/Documentation/HTCC/8.5.2/API/FacebookPMAccept>)
//!   says `facebooksession` and `FacebooksessionStateChangeMessage`; the 2019 Web Services API
//!   Reference (<https://docs.genesys.com/Documentation/HTCC/latest/API/FacebookPMAccept>) says
//!   `facebooksessions` and `facebooksessionStateChangeMessage`. The topic `/v2/me/facebooksession`
//!   is the one the message-type page documents
//!   (<https://enu.docs.genesys.com/Documentation/GWS/8.5.2/API/FacebookPMMessageType>); the plural
//!   topic is accepted as the collection's spelling carried over \[inferred\].
//! - SMS: no message-type page documents the SMS topic; `/v2/me/smssessions` follows the other
//!   media's pattern \[inferred\].

use std::{fmt, str::FromStr};

/// The three media of the multimedia agent API.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Media {
    /// Chat API: `/api/v2/me/chats/{id}`.
    Chat,
    /// Facebook Private Messaging API: `/api/v2/me/facebooksessions/{id}`.
    FacebookSession,
    /// SMS Session API: `/api/v2/me/smssessions/{id}`.
    SmsSession,
}

/// Which generation of the documentation a server speaks: the 2015–2016 pages or the 2019 Web
/// Services API Reference. Only the Facebook names differ.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Dialect {
    /// The 2015–2016 pages: `facebooksession`, `FacebooksessionStateChangeMessage`.
    V2015,
    /// The 2019 reference: `facebooksessions`, `facebooksessionStateChangeMessage`.
    #[default]
    V2019,
}

impl Dialect {
    /// `2015` or `2019`, as the `--dialect` flag spells it.
    pub fn year(self) -> &'static str {
        match self {
            Dialect::V2015 => "2015",
            Dialect::V2019 => "2019",
        }
    }
}

impl FromStr for Dialect {
    type Err = String;
    /// `2015` or `2019`; anything else is an error naming the value.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "2015" => Ok(Dialect::V2015),
            "2019" => Ok(Dialect::V2019),
            other => Err(format!("unknown dialect `{other}` (expected 2015 or 2019)")),
        }
    }
}

/// The documented spellings of one name, newest first, and which one each dialect uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Spellings {
    /// Every documented spelling, newest first (never empty).
    pub all: &'static [&'static str],
    /// Index into `all` of the spelling the 2015 dialect uses.
    pub v2015: usize,
}

impl Spellings {
    const fn one(name: &'static [&'static str]) -> Self {
        Spellings {
            all: name,
            v2015: 0,
        }
    }

    /// The newest documented spelling (what `--strict` requires).
    pub fn newest(&self) -> &'static str {
        self.all[0]
    }

    /// The spelling `dialect` uses.
    pub fn in_dialect(&self, dialect: Dialect) -> &'static str {
        match dialect {
            Dialect::V2019 => self.all[0],
            Dialect::V2015 => self.all[self.v2015],
        }
    }

    /// Whether `value` is one of the documented spellings.
    pub fn contains(&self, value: &str) -> bool {
        self.all.contains(&value)
    }

    /// Whether the name has more than one documented spelling.
    pub fn varies(&self) -> bool {
        self.all.len() > 1
    }
}

/// Every name of one media.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Names {
    /// The media's name in provider-state params, tags, schema names and fixtures:
    /// `chat`, `facebooksession`, `smssession`.
    pub media: &'static str,
    /// The words scenarios use: `chat`, `facebook session`, `SMS session`.
    pub words: &'static str,
    /// The REST collection under `/api/v2/me/` (also the `uri` segment under `/api/v2/`).
    pub collection: Spellings,
    /// The key holding the interaction resource in state-change notifications and single GETs.
    pub resource_key: Spellings,
    /// `messageType` of state-change notifications.
    pub state_message_type: Spellings,
    /// The CometD topic of the media's notifications.
    pub topic: Spellings,
    /// Whether the topic is documented (false: inferred from the other media's pattern).
    pub topic_documented: bool,
    /// The `@doc:` tag of the page documenting the media's CometD notifications, if it has one
    /// (`ChatMessageType`); the notification schemas cite it besides their samples' pages.
    pub notifications_page: Option<&'static str>,
    /// The `MessageLogUpdated` key holding the interaction's `uri`.
    pub log_uri_key: Spellings,
    /// The `MessageLogUpdated` key holding the interaction's `path`.
    pub log_path_key: Spellings,
    /// The resource field naming the direction (`chatType`, ...).
    pub type_key: &'static str,
}

/// The names table, one row per media in [`Media::ALL`] order.
pub const NAMES: [Names; 3] = [
    Names {
        media: "chat",
        words: "chat",
        collection: Spellings::one(&["chats"]),
        resource_key: Spellings::one(&["chat"]),
        state_message_type: Spellings::one(&["ChatStateChangeMessage"]),
        topic: Spellings::one(&["/v2/me/chats"]),
        topic_documented: true,
        notifications_page: Some("ChatMessageType"),
        log_uri_key: Spellings::one(&["chatUri"]),
        log_path_key: Spellings::one(&["chatPath"]),
        type_key: "chatType",
    },
    Names {
        media: "facebooksession",
        words: "facebook session",
        collection: Spellings {
            all: &["facebooksessions", "facebooksession"],
            v2015: 1,
        },
        resource_key: Spellings {
            all: &["facebooksessions", "facebooksession"],
            v2015: 1,
        },
        state_message_type: Spellings {
            all: &[
                "facebooksessionStateChangeMessage",
                "FacebooksessionStateChangeMessage",
            ],
            v2015: 1,
        },
        topic: Spellings {
            all: &["/v2/me/facebooksession", "/v2/me/facebooksessions"],
            v2015: 0,
        },
        topic_documented: true,
        notifications_page: Some("FacebookPMMessageType"),
        log_uri_key: Spellings::one(&["facebooksessionUri"]),
        log_path_key: Spellings::one(&["facebooksessionPath"]),
        type_key: "facebooksessionType",
    },
    Names {
        media: "smssession",
        words: "SMS session",
        collection: Spellings::one(&["smssessions"]),
        resource_key: Spellings::one(&["smssession"]),
        state_message_type: Spellings::one(&["SMSsessionStateChangeMessage"]),
        topic: Spellings {
            all: &["/v2/me/smssessions", "/v2/me/smssession"],
            v2015: 0,
        },
        topic_documented: false,
        notifications_page: None,
        log_uri_key: Spellings::one(&["smssessionUri"]),
        log_path_key: Spellings::one(&["smssessionPath"]),
        type_key: "smssessionType",
    },
];

impl Media {
    /// Every media, in a fixed order.
    pub const ALL: [Media; 3] = [Media::Chat, Media::FacebookSession, Media::SmsSession];

    /// Its row of the names table.
    pub fn names(self) -> &'static Names {
        &NAMES[self as usize]
    }

    /// `chat`, `facebooksession`, `smssession`.
    pub fn name(self) -> &'static str {
        self.names().media
    }

    /// `chat`, `facebook session`, `SMS session`.
    pub fn words(self) -> &'static str {
        self.names().words
    }

    /// The media named `name` ([`Media::name`] or [`Media::words`]); `None` otherwise.
    pub fn from_name(name: &str) -> Option<Media> {
        Media::ALL
            .into_iter()
            .find(|m| m.name() == name || m.words() == name)
    }

    /// The media served at REST collection `name` in `dialect` (`None` for an unknown
    /// collection, including the other dialect's Facebook spelling).
    pub fn from_collection(name: &str, dialect: Dialect) -> Option<Media> {
        Media::ALL
            .into_iter()
            .find(|m| m.names().collection.in_dialect(dialect) == name)
    }

    /// The schema of its state-change notifications: `<media>-state-change`.
    pub fn state_schema(self) -> &'static str {
        match self {
            Media::Chat => "chat-state-change",
            Media::FacebookSession => "facebooksession-state-change",
            Media::SmsSession => "smssession-state-change",
        }
    }

    /// The schema of its `MessageLogUpdated` notifications: `<media>-message-log`.
    pub fn log_schema(self) -> &'static str {
        match self {
            Media::Chat => "chat-message-log",
            Media::FacebookSession => "facebooksession-message-log",
            Media::SmsSession => "smssession-message-log",
        }
    }

    /// The REST collection named in a resource `uri` or `path` such as
    /// `http://host/api/v2/facebooksession/ID`: the segment before the last, if it is one of
    /// the media's documented collections.
    pub fn collection_in_uri(self, uri: &str) -> Option<&'static str> {
        let mut segs = uri.trim_end_matches('/').rsplit('/');
        segs.next()?;
        let seg = segs.next()?;
        self.names()
            .collection
            .all
            .iter()
            .copied()
            .find(|c| *c == seg)
    }

    /// The media whose state-change `messageType` is `message_type` (any documented spelling).
    pub fn from_state_message_type(message_type: &str) -> Option<Media> {
        Media::ALL
            .into_iter()
            .find(|m| m.names().state_message_type.contains(message_type))
    }

    /// The media whose resource key (any spelling) is a key of `object`, with that key.
    pub fn from_resource_key(
        object: &serde_json::Map<String, serde_json::Value>,
    ) -> Option<(Media, &'static str)> {
        Media::ALL.into_iter().find_map(|m| {
            m.names()
                .resource_key
                .all
                .iter()
                .find(|k| object.contains_key(**k))
                .map(|k| (m, *k))
        })
    }

    /// The media whose transcript key (`…Uri` or `…Path`, any spelling) is a key of `object`.
    pub fn from_log_key(object: &serde_json::Map<String, serde_json::Value>) -> Option<Media> {
        Media::ALL.into_iter().find(|m| {
            let n = m.names();
            n.log_uri_key
                .all
                .iter()
                .chain(n.log_path_key.all)
                .any(|k| object.contains_key(*k))
        })
    }
}

impl fmt::Display for Media {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Media {
    type Err = String;
    /// [`Media::from_name`]; an error naming the value otherwise.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Media::from_name(s).ok_or_else(|| format!("unknown media `{s}`"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_follow_media_order_and_dialects_pick_their_spelling() {
        for m in Media::ALL {
            assert_eq!(m.names().media, m.name());
            assert_eq!(Media::from_name(m.name()), Some(m));
            assert_eq!(Media::from_name(m.words()), Some(m));
        }
        let fb = Media::FacebookSession.names();
        assert_eq!(fb.collection.in_dialect(Dialect::V2019), "facebooksessions");
        assert_eq!(fb.collection.in_dialect(Dialect::V2015), "facebooksession");
        assert_eq!(
            fb.state_message_type.in_dialect(Dialect::V2015),
            "FacebooksessionStateChangeMessage"
        );
        assert_eq!(
            fb.topic.in_dialect(Dialect::V2015),
            "/v2/me/facebooksession"
        );
        assert_eq!(
            fb.topic.in_dialect(Dialect::V2019),
            "/v2/me/facebooksession"
        );
        assert_eq!(
            Media::from_collection("facebooksession", Dialect::V2019),
            None
        );
        assert_eq!(
            Media::from_collection("facebooksession", Dialect::V2015),
            Some(Media::FacebookSession)
        );
        assert!("email".parse::<Media>().is_err());
        assert_eq!("2015".parse::<Dialect>(), Ok(Dialect::V2015));
        assert!("2016".parse::<Dialect>().is_err());
    }

    #[test]
    fn collection_is_learned_from_a_uri() {
        let m = Media::FacebookSession;
        assert_eq!(
            m.collection_in_uri("http://localhost:8080/api/v2/facebooksession/0000Na9B26EF002X"),
            Some("facebooksession")
        );
        assert_eq!(
            m.collection_in_uri("/api/v2/facebooksessions/X"),
            Some("facebooksessions")
        );
        assert_eq!(m.collection_in_uri("/api/v2/chats/X"), None);
    }
}
