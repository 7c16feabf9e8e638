//! What the runner cites besides the documentation pages (those are in `gws_contract::pages`):
//! the sections of the target contract (docs/target-contract.md, shipped with the suite) and the
//! Bayeux specification.

pub use gws_contract::pages::{page, source_of};

/// The provider-state contract (not a Genesys page).
pub const TARGET_CONTRACT_S3: &str =
    "gws-conformance target contract, section 3 (provider states), docs/target-contract.md";
/// The spelling table (not a Genesys page).
pub const TARGET_CONTRACT_S4: &str = "gws-conformance target contract, section 4 (names that the documents spell more than one way), docs/target-contract.md";

/// Bayeux's channel rule: a message is delivered on the channel it was published to; `*` and
/// `**` segments make subscription patterns (not a Genesys page).
pub const BAYEUX_CHANNELS: &str = "Bayeux 1.0, section 2.2 Channels (2.2.1 channel globbing: patterns with `*` or `**` are for subscribing), https://docs.cometd.org/current/reference/#_bayeux";

/// `title <url>` of the Return Values page, which the statusCode rules rest on.
pub fn return_values() -> String {
    page("ReturnValues").map(|p| p.cite()).unwrap_or_default()
}
