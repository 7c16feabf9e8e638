//! The documentation pages the scenarios come from (`@doc:<Page>` tags), with their URLs from
//! the API catalog (`gws-api-v2-multimedia.md`), and the documented names a scenario checks.

use std::sync::LazyLock;

use serde_json::Value;

/// One documentation page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DocPage {
    /// The tag value after `@doc:`, e.g. `FacebookPMAccept`.
    pub tag: &'static str,
    /// Human name of the page.
    pub title: &'static str,
    /// Where it is published.
    pub url: &'static str,
}

/// Every page a built-in scenario cites.
pub const PAGES: &[DocPage] = &[
    DocPage {
        tag: "ChatAccept",
        title: "Chat API: Accept",
        url: "https://docs.genesys.com/Documentation/GWS/8.5.2/API/ChatAccept",
    },
    DocPage {
        tag: "FacebookPMAccept",
        title: "Facebook Private Messaging API: Accept (2015 page and 2019 PDF)",
        url: "https://docs.genesys.com/Documentation/HTCC/8.5.2/API/FacebookPMAccept",
    },
    DocPage {
        tag: "FacebookPMConsult",
        title: "Facebook Private Messaging API: Consult",
        url: "https://docs.genesys.com/Documentation/HTCC/8.5.2/API/FacebookPMConsult",
    },
    DocPage {
        tag: "SMSAccept",
        title: "SMS Session API: Accept",
        url: "https://docs.genesys.com/Documentation/HTCC/latest/API/SMSAccept",
    },
    DocPage {
        tag: "ReturnValues",
        title: "Return Values (statusCode), All Methods",
        url: "https://enu.docs.genesys.com/Documentation:HTCC:API:ReturnValues:8.5.2",
    },
];

/// The provider-state contract (not a Genesys page).
pub const TARGET_CONTRACT_S3: &str = "target-contract.md section 3 (provider states)";
/// The spelling table (not a Genesys page).
pub const TARGET_CONTRACT_S4: &str =
    "target-contract.md section 4 (names that the documents spell more than one way)";

/// The page for a `@doc:` tag value.
pub fn page(tag: &str) -> Option<&'static DocPage> {
    PAGES.iter().find(|p| p.tag == tag)
}

/// `title <url>` of the page cited by the last `doc:` tag in `tags` (tags without `@`; a
/// scenario's own tag, coming after its feature's, wins), if any.
pub fn source_of<'a>(tags: impl IntoIterator<Item = &'a String>) -> Option<String> {
    let name = tags
        .into_iter()
        .filter_map(|t| t.strip_prefix("doc:"))
        .last()?;
    Some(match page(name) {
        Some(p) => format!("{} <{}>", p.title, p.url),
        None => name.to_string(),
    })
}

/// The capabilities every Accept page lists after Accept: those common to the `StatusChange`
/// samples of all documented Accept pages (seeds 000, 001, 003, 004), in the order the first page
/// lists them. Derived once from the embedded fixtures (`fixtures/*/accept/`), so the rule cannot
/// drift from the documented samples.
pub fn accept_capabilities() -> &'static [String] {
    static CAPABILITIES: LazyLock<Vec<String>> = LazyLock::new(|| {
        let lists: Vec<Vec<String>> = gws_contract::fixtures()
            .into_iter()
            .filter(|f| f.provenance.operation == "accept")
            .filter(|f| {
                f.value.get("notificationType").and_then(Value::as_str) == Some("StatusChange")
            })
            .filter_map(|f| {
                let resource = f
                    .value
                    .as_object()?
                    .values()
                    .find(|v| v.get("capabilities").is_some())?;
                let capabilities = resource.get("capabilities")?.as_array()?;
                Some(
                    capabilities
                        .iter()
                        .filter_map(|c| c.as_str().map(str::to_owned))
                        .collect(),
                )
            })
            .collect();
        let Some((first, rest)) = lists.split_first() else {
            return Vec::new();
        };
        first
            .iter()
            .filter(|c| rest.iter().all(|list| list.contains(c)))
            .cloned()
            .collect()
    });
    &CAPABILITIES
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doc_tags_resolve_to_pages() {
        let tags = vec!["chat".to_string(), "doc:ChatAccept".to_string()];
        let s = source_of(&tags).unwrap();
        assert!(
            s.starts_with("Chat API: Accept <https://docs.genesys.com/"),
            "{s}"
        );
        assert_eq!(
            source_of(&vec!["doc:VendorPage".to_string()]).as_deref(),
            Some("VendorPage")
        );
        assert_eq!(source_of(&vec!["chat".to_string()]), None);
        let both = vec!["doc:ChatAccept".to_string(), "doc:ReturnValues".to_string()];
        assert!(source_of(&both).unwrap().starts_with("Return Values"));
    }

    #[test]
    fn accept_capabilities_are_the_seven_every_accept_page_prints() {
        // Seeds 000, 001, 003 and 004 all print these seven after Accept.
        assert_eq!(
            accept_capabilities(),
            [
                "Transfer",
                "Complete",
                "Leave",
                "InFocus",
                "SendMessage",
                "SendStartTypingNotification",
                "SendStopTypingNotification",
            ]
        );
    }
}
