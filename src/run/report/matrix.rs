//! The conformance matrix: documentation pages × media. The documentation has one page per
//! operation and media (Chat API: Accept, Facebook session API: Accept, SMS API: Accept), so the
//! matrix puts each page in the cell of its operation (row) and its media (column); each cell
//! holds the verdicts of the scenarios that judge that page. The HTML report and the Markdown
//! summary both draw it from here.
//!
//! - A row is a subject: the feature's operation tag (`@accept`, `@sendmessage`, `@csrf`,
//!   `@handshake`: its first own tag that is neither a media tag nor a transport family, nor
//!   one with a `:`, nor `@inferred`), else the feature's name (a vendor's own feature). Rows are
//!   sorted by subject.
//! - A column is a media, by tag: `@chat`, `@facebooksession`, `@smssession`; scenarios with
//!   none of them (the agent session and the CometD transport) form the column "session".
//! - A cell's page is the first `@doc:` tag of its first scenario, i.e. the feature's own page
//!   (a scenario's extra `@doc:ReturnValues` names the source of a rule, not the page it
//!   exercises). A cell counts its scenarios per outcome and keeps their indices in the record;
//!   its [`CellStatus`] is the worst of them.

use super::{Counts, RunRecord};

/// The columns: (media tag, heading). The last one takes scenarios without a media tag.
pub const COLUMNS: [(&str, &str); 4] = [
    ("chat", "Chat"),
    ("facebooksession", "Facebook session"),
    ("smssession", "SMS session"),
    ("session", "Session & CometD"),
];

/// The page of scenarios without a `@doc:` tag.
pub const NO_PAGE: &str = "(no @doc tag)";

/// Whether a feature tag is not a subject: a media tag, a transport family
/// ([`TRANSPORT_FAMILIES`](crate::run::features::TRANSPORT_FAMILIES)) or `@inferred`.
fn not_subject(tag: &str) -> bool {
    gws_contract::Media::from_name(tag).is_some()
        || crate::run::features::TRANSPORT_FAMILIES.contains(&tag)
        || tag == "inferred"
}

/// The summary of one cell, worst first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum CellStatus {
    /// A scenario failed or a known failure went stale.
    Failed,
    /// A scenario ended in error (nothing failed).
    Error,
    /// Scenarios failed as the known-failures baseline expects (nothing else went wrong).
    Known,
    /// Every scenario passed.
    Passed,
    /// Every scenario was skipped.
    Skipped,
    /// No scenario: the page is not judged on this media.
    Empty,
}

impl CellStatus {
    /// The status of a cell holding one scenario that ended with `outcome`.
    pub fn of(outcome: &super::Outcome) -> Self {
        use super::Outcome;
        match outcome {
            Outcome::Passed => CellStatus::Passed,
            Outcome::Failed(_) | Outcome::Stale(_) => CellStatus::Failed,
            Outcome::Error(_) => CellStatus::Error,
            Outcome::Skipped(_) => CellStatus::Skipped,
            Outcome::ExpectedFailure(..) => CellStatus::Known,
        }
    }

    /// A short word for the cell (`failed`, `error`, `known`, `passed`, `skipped`, ``), also
    /// the HTML class.
    pub fn word(self) -> &'static str {
        match self {
            CellStatus::Failed => "failed",
            CellStatus::Error => "error",
            CellStatus::Known => "known",
            CellStatus::Passed => "passed",
            CellStatus::Skipped => "skipped",
            CellStatus::Empty => "",
        }
    }
}

/// One cell: its page, its counts and its scenarios (indices into [`RunRecord::scenarios`]).
#[derive(Clone, Debug, Default)]
pub struct Cell {
    /// The documentation page the cell's scenarios judge (`None`: no scenario).
    pub page: Option<CellPage>,
    /// Scenarios per outcome.
    pub counts: Counts,
    /// Indices into the record's scenarios, in the record's order.
    pub scenarios: Vec<usize>,
}

impl Cell {
    /// The worst outcome in the cell.
    pub fn status(&self) -> CellStatus {
        let c = &self.counts;
        if c.failed + c.stale > 0 {
            CellStatus::Failed
        } else if c.errors > 0 {
            CellStatus::Error
        } else if c.expected > 0 {
            CellStatus::Known
        } else if c.passed > 0 {
            CellStatus::Passed
        } else if c.skipped > 0 {
            CellStatus::Skipped
        } else {
            CellStatus::Empty
        }
    }

    /// `3 passed`, `1 failed, 2 passed`: the non-zero counts, worst first; empty for no scenario.
    pub fn text(&self) -> String {
        let c = &self.counts;
        [
            (c.failed, "failed"),
            (c.stale, "stale"),
            (c.errors, "error"),
            (c.expected, "known"),
            (c.passed, "passed"),
            (c.skipped, "skipped"),
        ]
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, w)| format!("{n} {w}"))
        .collect::<Vec<_>>()
        .join(", ")
    }

    /// An anchor id for the list of scenarios of the cell of `subject` (a row) and `column`
    /// (a media tag): `cell-accept-chat`. Unique per cell: a page can stand in two rows
    /// (`@accept` and `@lifecycle` both cite Chat API: Accept).
    pub fn anchor(subject: &str, column: &str) -> String {
        let clean: String = subject
            .trim_start_matches('@')
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        format!("cell-{clean}-{column}")
    }
}

/// The documentation page of a cell.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CellPage {
    /// The `@doc:` tag value (`ChatAccept`), or [`NO_PAGE`].
    pub tag: String,
    /// The page's title, or the tag itself for a page the table does not know.
    pub title: String,
    /// The page's URL (`None` for a page the table does not know).
    pub url: Option<String>,
}

/// One row: a subject and its cells (one per [`COLUMNS`] entry).
#[derive(Clone, Debug)]
pub struct Row {
    /// `@accept`, or a vendor feature's name.
    pub subject: String,
    /// One cell per column.
    pub cells: Vec<Cell>,
}

/// The subject of a scenario: its feature's operation tag with `@`, else the feature's name.
pub fn subject_of(s: &super::ScenarioRecord) -> String {
    s.feature
        .tags
        .iter()
        .find(|t| !t.contains(':') && !not_subject(t))
        .map_or_else(|| s.feature_name.clone(), |t| format!("@{t}"))
}

/// The page of a scenario (first `doc:` tag), or [`NO_PAGE`].
pub fn page_of(tags: &[String]) -> &str {
    tags.iter()
        .find_map(|t| t.strip_prefix("doc:"))
        .unwrap_or(NO_PAGE)
}

/// The column index of a scenario by its media tag (the last column when it has none).
pub fn column_of(tags: &[String]) -> usize {
    COLUMNS[..COLUMNS.len() - 1]
        .iter()
        .position(|(tag, _)| tags.iter().any(|t| t == tag))
        .unwrap_or(COLUMNS.len() - 1)
}

/// The matrix of `record`'s scenarios (run errors belong to no cell).
pub fn build(record: &RunRecord) -> Vec<Row> {
    let mut rows: Vec<Row> = Vec::new();
    for (i, s) in record.scenarios.iter().enumerate() {
        let subject = subject_of(s);
        let row = match rows.iter().position(|r| r.subject == subject) {
            Some(r) => r,
            None => {
                rows.push(Row {
                    subject,
                    cells: vec![Cell::default(); COLUMNS.len()],
                });
                rows.len() - 1
            }
        };
        let cell = &mut rows[row].cells[column_of(&s.tags)];
        if cell.page.is_none() {
            let tag = page_of(&s.tags);
            let known = gws_contract::pages::page(tag);
            cell.page = Some(CellPage {
                tag: tag.to_string(),
                title: known.map_or_else(|| tag.to_string(), |p| p.title.to_string()),
                url: known.map(|p| p.url.to_string()),
            });
        }
        cell.counts.add(&s.outcome);
        cell.scenarios.push(i);
    }
    rows.sort_by(|a, b| a.subject.cmp(&b.subject));
    rows
}

/// Whether any cell holds a non-pass worth a reader's eye (failed, error).
pub fn has_problems(rows: &[Row]) -> bool {
    rows.iter()
        .flat_map(|r| &r.cells)
        .any(|c| matches!(c.status(), CellStatus::Failed | CellStatus::Error))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::run::{
        report::{Outcome, ScenarioRecord, fixture},
        verdict::{Failure, HarnessError},
    };

    fn scenario(tags: &[&str], outcome: Outcome) -> ScenarioRecord {
        fixture::scenario("s", 3, tags, outcome)
    }

    #[test]
    fn rows_are_subjects_columns_media_cells_a_page_and_the_worst_outcome() {
        let mut r = RunRecord::default();
        r.scenarios.push(scenario(
            &["chat", "accept", "doc:ChatAccept"],
            Outcome::Passed,
        ));
        r.scenarios.push(scenario(
            &["chat", "accept", "doc:ChatAccept", "doc:ReturnValues"],
            Outcome::Failed(Failure::new("X", "y")),
        ));
        r.scenarios.push(scenario(
            &["smssession", "accept", "doc:SMSAccept"],
            Outcome::Error(HarnessError::new("E", "e")),
        ));
        r.scenarios.push(scenario(
            &["session", "csrf", "doc:CSRFProtection"],
            Outcome::Skipped("off".into()),
        ));
        r.scenarios.push(scenario(&["vendor"], Outcome::Passed));
        let rows = build(&r);
        let subjects: Vec<&str> = rows.iter().map(|r| r.subject.as_str()).collect();
        assert_eq!(subjects, ["@accept", "@csrf", "@vendor"]);
        let accept = &rows[0];
        assert_eq!(accept.cells[0].status(), CellStatus::Failed);
        assert_eq!(accept.cells[0].text(), "1 failed, 1 passed");
        assert_eq!(accept.cells[0].scenarios, vec![0, 1]);
        let page = accept.cells[0].page.as_ref().unwrap();
        assert_eq!(page.tag, "ChatAccept");
        assert!(page.url.as_deref().unwrap().starts_with("https://"));
        assert_eq!(accept.cells[1].status(), CellStatus::Empty);
        assert_eq!(accept.cells[2].status(), CellStatus::Error);
        assert_eq!(accept.cells[2].page.as_ref().unwrap().tag, "SMSAccept");
        assert_eq!(rows[1].cells[3].status(), CellStatus::Skipped);
        assert_eq!(rows[2].cells[3].page.as_ref().unwrap().tag, NO_PAGE);
        assert!(has_problems(&rows));
        assert_eq!(Cell::anchor("@accept", "chat"), "cell-accept-chat");
    }
}
