//! The CI summary: Markdown (`--summary PATH`, and appended to the file named by
//! `GITHUB_STEP_SUMMARY` when that variable is set) and GitHub Actions `::error` workflow
//! commands (printed only when `GITHUB_ACTIONS=true`).
//!
//! The Markdown holds the verdict, the target and the counts line, the scenarios that did not
//! pass with their one-line messages and locations (at most [`MAX_LISTED`]; the rest counted),
//! problems outside any scenario, and the conformance matrix ([`super::matrix`]). Every text
//! from the run is escaped for Markdown and HTML (GitHub renders both), and its control
//! characters made visible. Workflow commands: one per failing, stale or erroring scenario, at
//! most [`MAX_ANNOTATIONS`] (GitHub shows no more per job), each naming the feature file and the
//! scenario's line (<https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands#setting-an-error-message>).

use std::{fmt::Write as _, io::Write as _, path::Path};

use super::{
    Outcome, RunRecord, RunVerdict,
    junit::ReportMeta,
    matrix::{self, COLUMNS, CellStatus},
};
use crate::run::redact::escape_control;

/// How many non-passing scenarios the Markdown lists.
pub const MAX_LISTED: usize = 100;
/// How many `::error` commands a run prints at most.
pub const MAX_ANNOTATIONS: usize = 50;

/// `text` on one line, safe in a Markdown table cell: control characters visible, HTML and
/// Markdown punctuation escaped, `|` escaped, `@` an entity (no mentions).
pub fn md(text: &str) -> String {
    let flat = text.replace(['\n', '\r'], " ");
    let html = html_escape::encode_text(&escape_control(&flat)).into_owned();
    let mut out = String::with_capacity(html.len());
    for c in html.chars() {
        match c {
            // GitHub turns `@name` into a mention.
            '@' => out.push_str("&#64;"),
            '|' | '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '~' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

fn mark(status: CellStatus) -> &'static str {
    match status {
        CellStatus::Failed => "❌",
        CellStatus::Error => "⚠️",
        CellStatus::Known => "☑️",
        CellStatus::Passed => "✅",
        CellStatus::Skipped => "⏭️",
        CellStatus::Empty => "",
    }
}

/// The Markdown summary of `record`.
pub fn markdown(record: &RunRecord, meta: &ReportMeta) -> String {
    let counts = record.counts();
    let verdict = match counts.verdict() {
        RunVerdict::NotConformant => "❌ not conformant",
        RunVerdict::NotJudged => "⚠️ not judged",
        RunVerdict::Conformant => "✅ conformant",
    };
    let mut out = String::new();
    let _ = writeln!(out, "## gws-conformance: {verdict}\n");
    let _ = writeln!(
        out,
        "Target {} · gws-conformance {} · **{}**\n",
        md(&meta.target),
        md(&meta.version),
        md(&counts.line())
    );
    if !record.run_errors.is_empty() {
        let _ = writeln!(out, "### Problems outside any scenario\n");
        for e in &record.run_errors {
            let _ = writeln!(out, "- ⚠️ {}: {}", md(e.kind), md(&e.message()));
        }
        out.push('\n');
    }
    let mut problems: Vec<_> = record
        .scenarios
        .iter()
        .filter(|s| s.outcome.is_problem())
        .collect();
    problems.sort_by(|a, b| (&a.feature_path, a.line).cmp(&(&b.feature_path, b.line)));
    if !problems.is_empty() {
        let _ = writeln!(out, "### Scenarios that did not pass\n");
        let _ = writeln!(out, "| | scenario | message | at |\n|---|---|---|---|");
        for s in problems.iter().take(MAX_LISTED) {
            let m = match s.outcome {
                Outcome::Error(_) => "⚠️",
                _ => "❌",
            };
            let _ = writeln!(
                out,
                "| {m} | {} › {} | {} | {} |",
                md(&s.feature_name),
                md(&s.test_name),
                md(&s.outcome.message().unwrap_or_default()),
                md(&s.location())
            );
        }
        if problems.len() > MAX_LISTED {
            let _ = writeln!(
                out,
                "\n… and {} more (see the JUnit or HTML report).",
                problems.len() - MAX_LISTED
            );
        }
        out.push('\n');
    }
    let rows = matrix::build(record);
    if !rows.is_empty() {
        let _ = writeln!(out, "### Conformance matrix\n");
        let _ = write!(out, "| operation |");
        for (_, h) in COLUMNS {
            let _ = write!(out, " {} |", md(h));
        }
        let _ = write!(out, "\n|---|");
        for _ in COLUMNS {
            out.push_str("---|");
        }
        out.push('\n');
        for row in &rows {
            let _ = write!(out, "| {} |", md(&row.subject));
            for cell in &row.cells {
                match &cell.page {
                    None => out.push_str(" — |"),
                    Some(page) => {
                        let name = match &page.url {
                            Some(url) => format!("[{}]({url})", md(&page.title)),
                            None => md(&page.title),
                        };
                        let _ = write!(
                            out,
                            " {} {} ({}) |",
                            mark(cell.status()),
                            md(&cell.text()),
                            name
                        );
                    }
                }
            }
            out.push('\n');
        }
    }
    out
}

/// `data` escaped for a workflow command's message.
fn command_data(s: &str) -> String {
    escape_control(s)
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// `value` escaped for a workflow command's property (`file=`, `title=`).
fn command_property(s: &str) -> String {
    command_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// The `::error` workflow commands for `record`: one per failing, stale or erroring scenario
/// (file and line of the scenario, the one-line message), then one per problem outside any
/// scenario; at most [`MAX_ANNOTATIONS`].
pub fn annotations(record: &RunRecord) -> Vec<String> {
    let mut out: Vec<String> = record
        .scenarios
        .iter()
        .filter(|s| s.outcome.is_problem())
        .map(|s| {
            format!(
                "::error file={},line={},title={}::{}",
                command_property(&s.feature_path),
                s.line,
                command_property(&format!("{} › {}", s.feature_name, s.test_name)),
                command_data(&s.outcome.message().unwrap_or_default())
            )
        })
        .collect();
    out.sort();
    out.extend(record.run_errors.iter().map(|e| {
        format!(
            "::error title={}::{}",
            command_property(&format!("gws-conformance run: {}", e.kind)),
            command_data(&e.message())
        )
    }));
    out.truncate(MAX_ANNOTATIONS);
    out
}

/// Writes the Markdown to `path` (replacing it), creating its parent directory.
pub fn write(path: &Path, record: &RunRecord, meta: &ReportMeta) -> std::io::Result<()> {
    super::write_text(path, &markdown(record, meta))
}

/// Appends the Markdown to `path` (`GITHUB_STEP_SUMMARY`: other steps' summaries stay).
pub fn append(path: &Path, record: &RunRecord, meta: &ReportMeta) -> std::io::Result<()> {
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    f.write_all(markdown(record, meta).as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::run::{report::fixture, verdict::HarnessError};

    fn failing() -> RunRecord {
        let s = fixture::failing("a | b", "\"Processing\"\n<b>100%</b>");
        let mut r = RunRecord::default();
        r.scenarios.push(s);
        r.run_errors
            .push(HarnessError::new("Interrupted", "SIGTERM"));
        r
    }

    #[test]
    fn markdown_lists_the_failure_escaped_and_the_matrix() {
        let text = markdown(&failing(), &ReportMeta::default());
        assert!(
            text.starts_with("## gws-conformance: ❌ not conformant"),
            "{text}"
        );
        assert!(text.contains("Chat: Accept › a \\| b"), "{text}");
        assert!(text.contains("&lt;b&gt;"), "{text}");
        assert!(!text.contains("<b>"));
        assert!(
            text.contains("| &#64;accept | ❌ 1 failed ([Chat API: Accept](https://"),
            "{text}"
        );
        assert!(text.contains("Interrupted"), "{text}");
        assert_eq!(
            text.lines().filter(|l| l.starts_with("| ❌ |")).count(),
            1,
            "{text}"
        );
    }

    #[test]
    fn annotations_name_file_and_line_and_escape_newlines() {
        let a = annotations(&failing());
        assert_eq!(a.len(), 2);
        assert!(
            a[0].starts_with(
                "::error file=features/chat/accept.feature,line=7,title=Chat%3A Accept › a | b::/chat/state: expected"
            ),
            "{}",
            a[0]
        );
        assert!(!a[0].contains('\n'));
        assert!(a[1].starts_with("::error title=gws-conformance run%3A Interrupted::"));
    }
}
