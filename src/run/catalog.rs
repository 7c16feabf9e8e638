//! What the runner cites besides the documentation pages (those are in `gws_contract::pages`):
//! the sections of the target contract (docs/target-contract.md, shipped with the suite).

pub use gws_contract::pages::{page, source_of};

/// The provider-state contract (not a Genesys page).
pub const TARGET_CONTRACT_S3: &str =
    "gws-conformance target contract, section 3 (provider states), docs/target-contract.md";
/// The spelling table (not a Genesys page).
pub const TARGET_CONTRACT_S4: &str = "gws-conformance target contract, section 4 (names that the documents spell more than one way), docs/target-contract.md";

/// `title <url>` of the Return Values page, which the statusCode rules rest on.
pub fn return_values() -> String {
    page("ReturnValues").map(|p| p.cite()).unwrap_or_default()
}
