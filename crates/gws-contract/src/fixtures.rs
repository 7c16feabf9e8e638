//! The documented samples as fixtures: every request body, response and notification of the
//! documentation pages kept in `fixtures/seeds/` and `fixtures/pages/` (`fixtures/index.json`),
//! their provenance, and the repairs made to the broken ones (`fixtures/errata.json`, explained in
//! `fixtures/ERRATA.md`).

use std::sync::LazyLock;

use serde::Deserialize;
use serde_json::Value;

use crate::FIXTURES_DIR;

/// What a fixture is on its page.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FixtureKind {
    /// An operation's HTTP request body.
    Request,
    /// An operation's synchronous HTTP response body.
    Response,
    /// A CometD notification's `data` (the pages never show the Bayeux envelope).
    Notification,
}

/// Which documented spelling a fixture uses (target-contract section 4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
pub enum Spelling {
    /// No name with several documented spellings occurs (requests, responses, chat, SMS).
    #[serde(rename = "n/a")]
    NotApplicable,
    /// Only the newest spellings occur: valid in [`crate::Mode::Strict`] too.
    #[serde(rename = "newest")]
    Newest,
    /// An older spelling occurs: valid in [`crate::Mode::Lenient`] only.
    #[serde(rename = "older")]
    Older,
}

/// Where a fixture comes from.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Provenance {
    /// `chat`, `facebooksession` or `smssession`.
    pub media: String,
    /// Operation the page documents: its operationName in lower case (`accept`, `consult`,
    /// `reject`, `complete`, `leave`, `sendmessage`).
    pub operation: String,
    /// Distinguishes pages of the same operation: the year of the page's revision (`2015`, `2016`, `2019`, ...),
    /// or `undated` where the saved copy shows no date (ChatAttachUserData).
    pub seed_tag: String,
    /// Position of the sample on its page, from 1.
    pub order: u32,
    /// Request, response or notification.
    pub kind: FixtureKind,
    /// Seed page file name in `fixtures/seeds/`, e.g. `000_ac2331f629733062.txt`, for the five pages
    /// the project was specified from; `None` for a fixture of another page ([`Self::page_file`]).
    #[serde(default)]
    pub seed: Option<String>,
    /// The verbatim page file the sample comes from, relative to `fixtures/`, e.g.
    /// `pages/chat/ChatReject.txt`; `None` for a seed page ([`Self::seed`]).
    #[serde(default)]
    pub page_file: Option<String>,
    /// Documentation page name.
    pub page: String,
    /// Documentation page URL.
    pub url: String,
    /// The heading the sample sits under on the page.
    pub heading: String,
    /// The request line the page prints above a request sample, if any.
    pub http_request: Option<String>,
    /// Which documented spelling the fixture uses.
    pub spelling: Spelling,
    /// Instance paths of the violations the fixture must produce in strict mode (sorted; empty
    /// when it is valid in strict mode).
    pub strict_instance_paths: Vec<String>,
}

impl Provenance {
    /// The file holding the page the sample stands in, relative to `fixtures/`:
    /// `seeds/<seed>` or [`Self::page_file`]. `None` when the entry names neither.
    pub fn page_path(&self) -> Option<String> {
        page_path(self.seed.as_deref(), self.page_file.as_deref())
    }
}

fn page_path(seed: Option<&str>, page_file: Option<&str>) -> Option<String> {
    match (seed, page_file) {
        (Some(seed), None) => Some(format!("seeds/{seed}")),
        (None, Some(file)) => Some(file.to_owned()),
        _ => None,
    }
}

/// One textual replacement of a repair.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Edit {
    /// Exact text of the original sample.
    pub find: String,
    /// What replaces it.
    pub replace: String,
    /// Replace every occurrence (`true`) or the single one (`false`).
    pub all: bool,
}

/// What notices a broken sample when this repair is left out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Detection {
    /// The text is not JSON.
    Parser,
    /// The text is JSON but its schema rejects it at [`Erratum::instance_paths`].
    Schema,
    /// The request is JSON and valid against its schema (request schemas are shared by the
    /// media), but sends a parameter the operation table does not document for the fixture's
    /// media (FacebookPMTransfer's `targetUri`, a chat parameter, holding a path).
    Table,
    /// Nothing does: the repaired value is free-form (e.g. `userData`); kept for the record.
    None,
}

/// One repair of a documented sample.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Erratum {
    /// `<fixture without .json>#<slug>`, e.g. `chat/accept/2015/1-request#unquoted-nickname`.
    pub id: String,
    /// The repaired fixture, relative to `fixtures/`.
    pub fixture: String,
    /// The file holding the sample's original text, relative to `fixtures/`.
    pub original: String,
    /// Seed page file name in `fixtures/seeds/` (seed pages only).
    #[serde(default)]
    pub seed: Option<String>,
    /// The verbatim page file, relative to `fixtures/` (pages other than the seeds).
    #[serde(default)]
    pub page_file: Option<String>,
    /// Documentation page name.
    pub page: String,
    /// Documentation page URL.
    pub url: String,
    /// The heading the sample sits under.
    pub heading: String,
    /// What was changed.
    pub what: String,
    /// Why.
    pub why: String,
    /// What rejects the sample when this repair alone is left out.
    pub detected_by: Detection,
    /// For [`Detection::Schema`]: the instance paths the schema names (sorted).
    pub instance_paths: Vec<String>,
    /// The replacements, applied in order to the original text.
    pub edits: Vec<Edit>,
}

impl Erratum {
    /// The file holding the page the sample stands in, relative to `fixtures/` (see
    /// [`Provenance::page_path`]).
    pub fn page_path(&self) -> Option<String> {
        page_path(self.seed.as_deref(), self.page_file.as_deref())
    }

    /// Applies this repair's edits to `text`.
    pub fn apply(&self, text: &str) -> String {
        self.edits.iter().fold(text.to_owned(), |text, edit| {
            if edit.all {
                text.replace(&edit.find, &edit.replace)
            } else {
                text.replacen(&edit.find, &edit.replace, 1)
            }
        })
    }
}

/// One documented sample.
#[derive(Clone, Debug, PartialEq)]
pub struct Fixture {
    /// Path relative to `fixtures/`, e.g. `facebooksession/consult/2016/3-notification-participants-updated.json`.
    pub path: String,
    /// The schema it validates against (a name of [`crate::schema_names`]).
    pub schema: String,
    /// The (repaired) sample.
    pub value: Value,
    /// Where it comes from.
    pub provenance: Provenance,
    /// The sample's original text when it had to be repaired.
    pub original: Option<&'static str>,
    /// The repairs made to it, in application order.
    pub errata: Vec<Erratum>,
}

#[derive(Deserialize)]
struct IndexEntry {
    file: String,
    schema: String,
    errata: Vec<String>,
    #[serde(flatten)]
    provenance: Provenance,
}

#[derive(Deserialize)]
struct Index {
    fixtures: Vec<IndexEntry>,
}

#[derive(Deserialize)]
struct ErrataFile {
    errata: Vec<Erratum>,
}

fn embedded_text(path: &str) -> &'static str {
    FIXTURES_DIR
        .get_file(path)
        .and_then(|f| f.contents_utf8())
        .unwrap_or_else(|| panic!("embedded fixture file {path} is missing or not UTF-8"))
}

static ERRATA: LazyLock<Vec<Erratum>> = LazyLock::new(|| {
    let file: ErrataFile = serde_json::from_str(embedded_text("errata.json"))
        .unwrap_or_else(|e| panic!("fixtures/errata.json: {e}"));
    file.errata
});

static FIXTURES: LazyLock<Vec<Fixture>> = LazyLock::new(|| {
    let index: Index = serde_json::from_str(embedded_text("index.json"))
        .unwrap_or_else(|e| panic!("fixtures/index.json: {e}"));
    index
        .fixtures
        .into_iter()
        .map(|entry| {
            let value = serde_json::from_str(embedded_text(&entry.file))
                .unwrap_or_else(|e| panic!("fixtures/{}: {e}", entry.file));
            let errata: Vec<Erratum> = entry
                .errata
                .iter()
                .map(|id| {
                    ERRATA
                        .iter()
                        .find(|e| &e.id == id)
                        .cloned()
                        .unwrap_or_else(|| panic!("fixtures/index.json names unknown erratum {id}"))
                })
                .collect();
            let original = errata.first().map(|e| embedded_text(&e.original));
            Fixture {
                path: entry.file,
                schema: entry.schema,
                value,
                provenance: entry.provenance,
                original,
                errata,
            }
        })
        .collect()
});

/// Every fixture, in index order: the seed pages, then the other pages, each in page order.
///
/// The embedded index is checked by this crate's tests; a broken one is a build defect (panic).
pub fn fixtures() -> Vec<Fixture> {
    FIXTURES.clone()
}

/// The fixture at `path` (relative to `fixtures/`), if there is one.
pub fn fixture(path: &str) -> Option<Fixture> {
    FIXTURES.iter().find(|f| f.path == path).cloned()
}

/// Every repair listed in `fixtures/errata.json`.
pub fn errata() -> Vec<Erratum> {
    ERRATA.clone()
}
