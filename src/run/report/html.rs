//! The HTML conformance report (`--html PATH`): one self-contained file (inline CSS, no script,
//! no external resource) that a vendor attaches to a release.
//!
//! In order: the verdict and the counts; problems outside any scenario; the conformance matrix ([`super::matrix`]: operations ×
//! media, each cell the documentation page it judges and its counts, coloured by the worst
//! outcome and linking to the list of its scenarios); each scenario that did not pass with the
//! rule, the page URL, the JSON path, expected and actual, the failing step, and the explanation
//! and exchange transcript collapsed (`<details>`); the run's facts (target URL without
//! credentials, suite version, bundle SHA-256, start, host, tags, strict, TLS) and the spellings
//! the target used; then each cell's scenarios.
//!
//! Every text is HTML-escaped and its control characters made visible
//! ([`crate::run::redact::escape_control`]): the target's bytes cannot add markup or hide text.
//! Colours: a failing cell is `#cf222e` and a passing one `#2da44e`, used nowhere else as a
//! fill (the rendering test counts those pixels). Elements a test or a reader can find: `table#matrix`, `td.cell.failed|error|known|passed|skipped`,
//! `section#problems`, `article.scenario` (`id="scenario-N"`), `section.cell-list`.

use std::{fmt::Write as _, path::Path};

use super::{
    Outcome, RunRecord, RunVerdict, ScenarioRecord,
    junit::ReportMeta,
    matrix::{self, COLUMNS, Cell, CellStatus},
};
use crate::run::redact::escape_control;

/// `text` made safe for HTML text and quoted attribute values (`& < > " '` as entities, by
/// `html-escape`), its control characters made visible first.
pub fn escape(text: &str) -> String {
    html_escape::encode_quoted_attribute(&escape_control(text)).into_owned()
}

/// A link to `url` when it is an `https://` or `http://` URL, else the escaped text.
fn link(url: &str, text: &str) -> String {
    if url.starts_with("https://") || url.starts_with("http://") {
        format!(r#"<a href="{}">{}</a>"#, escape(url), escape(text))
    } else {
        escape(text)
    }
}

const STYLE: &str = r#"
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px;color:#1f2328;background:#fff;line-height:1.4}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #d0d7de;padding-bottom:4px}
h3{font-size:15px;margin:16px 0 6px}
.verdict{display:inline-block;padding:4px 12px;border-radius:6px;font-weight:700;color:#fff}
.verdict.passed{background:#1a7f37}.verdict.failed{background:#a40e26}.verdict.error{background:#9a6700}
.counts{font-size:15px;margin:8px 0 16px}
table{border-collapse:collapse;font-size:13px}
th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f6f8fa}
table#matrix{width:100%;table-layout:fixed}table#matrix th:first-child{width:18%;overflow-wrap:anywhere}
table.facts td:first-child{font-weight:600;white-space:nowrap}
td.cell a{color:inherit;text-decoration:none;display:block}
td.cell .page{font-size:11px;opacity:.85}
td.cell.passed{background:#2da44e;color:#fff}
td.cell.failed{background:#cf222e;color:#fff}
td.cell.error{background:#bf8700;color:#fff}
td.cell.known{background:#8c959f;color:#fff}
td.cell.skipped{background:#eaeef2;color:#57606a}
td.cell.empty{background:#fff;color:#8c959f}
article.scenario{border:1px solid #d0d7de;border-left:6px solid #a40e26;border-radius:6px;padding:8px 12px;margin:10px 0}
article.scenario.error{border-left-color:#bf8700}
article.scenario.known{border-left-color:#8c959f}
pre{background:#f6f8fa;padding:8px;overflow-x:auto;font-size:12px;white-space:pre-wrap;word-break:break-word}
code{font-size:12px}
.mark-passed{color:#1a7f37}.mark-failed{color:#a40e26}.mark-error{color:#9a6700}.mark-skipped{color:#57606a}
"#;

fn outcome_word(o: &Outcome) -> &'static str {
    CellStatus::of(o).word()
}

fn scenario_anchor(i: usize) -> String {
    format!("scenario-{i}")
}

fn fact_row(out: &mut String, name: &str, value: &str) {
    let _ = writeln!(
        out,
        "<tr><td>{}</td><td>{}</td></tr>",
        escape(name),
        escape(value)
    );
}

/// The details of one scenario that did not pass.
fn scenario_article(out: &mut String, i: usize, s: &ScenarioRecord) {
    let word = outcome_word(&s.outcome);
    let _ = writeln!(
        out,
        r#"<article class="scenario {word}" id="{}"><h3><span class="mark-{word}">{word}</span> {} › {}</h3>"#,
        scenario_anchor(i),
        escape(&s.feature_name),
        escape(&s.test_name)
    );
    let _ = writeln!(out, "<table class=\"facts\">");
    fact_row(out, "message", &s.outcome.message().unwrap_or_default());
    match &s.outcome {
        Outcome::Failed(f) | Outcome::ExpectedFailure(f, _) => {
            fact_row(out, "kind", f.kind);
            fact_row(out, "rule", &f.rule);
            let source = if f.source.is_empty() {
                s.source.clone().unwrap_or_default()
            } else {
                f.source.clone()
            };
            let url = source
                .split_whitespace()
                .find(|w| w.starts_with("https://") || w.starts_with("http://"))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "<tr><td>documentation</td><td>{}</td></tr>",
                if url.is_empty() {
                    escape(&source)
                } else {
                    link(url, &source)
                }
            );
            fact_row(out, "JSON path", &f.path);
            let _ = writeln!(
                out,
                "<tr><td>expected</td><td><code>{}</code></td></tr><tr><td>actual</td><td><code>{}</code></td></tr>",
                escape(&f.expected),
                escape(&f.actual)
            );
        }
        Outcome::Error(e) => {
            fact_row(out, "kind", e.kind);
            fact_row(out, "error", &e.summary);
        }
        Outcome::Stale(k) => fact_row(out, "known failure", &k.stale_line()),
        Outcome::Passed | Outcome::Skipped(_) => {}
    }
    fact_row(out, "scenario", &s.location());
    let step = s.failed_step_line();
    if !step.is_empty() {
        fact_row(out, "step", step.trim_start_matches("step:").trim());
    }
    let _ = writeln!(out, "</table>");
    let _ = writeln!(
        out,
        "<details><summary>explanation</summary><pre>{}</pre></details>",
        escape(&s.outcome.explanation(""))
    );
    let steps: Vec<String> = s.steps.iter().map(|st| st.line_text()).collect();
    let _ = writeln!(
        out,
        "<details><summary>steps</summary><pre>{}</pre></details>",
        escape(&steps.join("\n"))
    );
    if !s.transcript.is_empty() {
        let _ = writeln!(
            out,
            "<details><summary>exchanges ({})</summary><pre>{}</pre></details>",
            s.transcript.len(),
            escape(&s.transcript.join("\n"))
        );
    }
    let _ = writeln!(out, "</article>");
}

fn cell_html(row: &matrix::Row, column: usize, cell: &Cell) -> String {
    let status = cell.status();
    let Some(page) = &cell.page else {
        return r#"<td class="cell empty">—</td>"#.to_string();
    };
    format!(
        r##"<td class="cell {}" title="{}"><a href="#{}">{}<br><span class="page">{}</span></a></td>"##,
        status.word(),
        escape(&format!(
            "{} on {}: {}",
            row.subject,
            COLUMNS[column].1,
            cell.text()
        )),
        Cell::anchor(&row.subject, COLUMNS[column].0),
        escape(&cell.text()),
        escape(&page.title)
    )
}

/// The HTML text for `record`.
pub fn render(record: &RunRecord, meta: &ReportMeta) -> String {
    let counts = record.counts();
    let (verdict, verdict_class) = match counts.verdict() {
        RunVerdict::NotConformant => ("NOT CONFORMANT", "failed"),
        RunVerdict::NotJudged => ("NOT JUDGED", "error"),
        RunVerdict::Conformant => ("CONFORMANT", "passed"),
    };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>gws-conformance: {}</title><style>{STYLE}</style></head><body>",
        escape(&meta.target)
    );
    let _ = writeln!(
        out,
        "<h1>GWS multimedia agent API conformance</h1><p><span class=\"verdict {verdict_class}\" id=\"verdict\">{verdict}</span> {}</p>",
        escape(&meta.target)
    );
    let _ = writeln!(
        out,
        "<p class=\"counts\" id=\"counts\">{}</p>",
        escape(&counts.line())
    );

    if !record.run_errors.is_empty() {
        let _ = writeln!(
            out,
            "<section id=\"problems\"><h2>Problems outside any scenario</h2>"
        );
        for e in &record.run_errors {
            let _ = writeln!(
                out,
                "<article class=\"scenario error\"><h3><span class=\"mark-error\">error</span> {}</h3><p>{}</p><pre>{}</pre></article>",
                escape(e.kind),
                escape(&e.summary),
                escape(&e.detail)
            );
        }
        let _ = writeln!(out, "</section>");
    }

    let rows = matrix::build(record);
    let _ = writeln!(
        out,
        "<h2>Conformance matrix</h2><p>Each cell is one documentation page on one media; its colour is the worst outcome of its scenarios. A dash: the documentation has no such page for that media.</p>"
    );
    let _ = write!(out, "<table id=\"matrix\"><thead><tr><th>operation</th>");
    for (_, heading) in COLUMNS {
        let _ = write!(out, "<th>{}</th>", escape(heading));
    }
    let _ = writeln!(out, "</tr></thead><tbody>");
    for row in &rows {
        let _ = write!(out, "<tr><th>{}</th>", escape(&row.subject));
        for (c, cell) in row.cells.iter().enumerate() {
            out.push_str(&cell_html(row, c, cell));
        }
        let _ = writeln!(out, "</tr>");
    }
    let _ = writeln!(out, "</tbody></table>");

    let problems: Vec<(usize, &ScenarioRecord)> = record
        .scenarios
        .iter()
        .enumerate()
        .filter(|(_, s)| {
            s.outcome.is_problem() || matches!(s.outcome, Outcome::ExpectedFailure(..))
        })
        .collect();
    let _ = writeln!(
        out,
        "<h2 id=\"failures\">Scenarios that did not pass ({})</h2>",
        problems.len()
    );
    if problems.is_empty() {
        let _ = writeln!(out, "<p>None.</p>");
    }
    for (i, s) in problems {
        scenario_article(&mut out, i, s);
    }

    let _ = writeln!(out, "<h2>Run</h2><table class=\"facts\" id=\"facts\">");
    for (k, v) in meta.facts() {
        fact_row(&mut out, &k, &v);
    }
    let _ = writeln!(out, "</table>");

    let _ = writeln!(out, "<h2>Scenarios by cell</h2>");
    for row in &rows {
        for (c, cell) in row.cells.iter().enumerate() {
            let Some(page) = &cell.page else { continue };
            let _ = writeln!(
                out,
                "<section class=\"cell-list\" id=\"{}\"><h3>{} on {}: {}</h3><ul>",
                Cell::anchor(&row.subject, COLUMNS[c].0),
                escape(&row.subject),
                escape(COLUMNS[c].1),
                match &page.url {
                    Some(url) => link(url, &page.title),
                    None => escape(&page.title),
                }
            );
            for &i in &cell.scenarios {
                let s = &record.scenarios[i];
                let word = outcome_word(&s.outcome);
                let name = if matches!(s.outcome, Outcome::Passed | Outcome::Skipped(_)) {
                    escape(&s.test_name)
                } else {
                    format!(
                        "<a href=\"#{}\">{}</a>",
                        scenario_anchor(i),
                        escape(&s.test_name)
                    )
                };
                let why = match &s.outcome {
                    Outcome::Passed => String::new(),
                    o => format!(": {}", escape(&o.message().unwrap_or_default())),
                };
                let _ = writeln!(
                    out,
                    "<li><span class=\"mark-{word}\">{word}</span> {name}{why}</li>"
                );
            }
            let _ = writeln!(out, "</ul></section>");
        }
    }
    let _ = writeln!(
        out,
        "<p>gws-conformance {} · bundle {}</p></body></html>",
        escape(&meta.version),
        escape(&meta.bundle_sha256)
    );
    out
}

/// Writes the report to `path`, creating its parent directory.
pub fn write(path: &Path, record: &RunRecord, meta: &ReportMeta) -> std::io::Result<()> {
    super::write_text(path, &render(record, meta))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::run::report::fixture;

    #[test]
    fn target_bytes_cannot_add_markup_and_the_failing_cell_is_marked() {
        let mut s = fixture::failing("s", "\"<script>alert(1)</script>\u{1b}[8m\"");
        s.transcript = vec!["← 200 <https://evil>".into()];
        let mut r = RunRecord::default();
        r.scenarios.push(s);
        let html = render(
            &r,
            &ReportMeta {
                target: "http://127.0.0.1:1".into(),
                ..Default::default()
            },
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<https://evil>"));
        assert!(!html.contains('\u{1b}'));
        assert!(html.contains("&lt;script&gt;"));
        assert!(html.contains(r#"<td class="cell failed""#), "{html}");
        assert!(html.contains(r##"href="#cell-accept-chat""##));
        assert!(html.contains(r#"id="cell-accept-chat""#));
        assert!(html.contains("NOT CONFORMANT"));
        assert!(!html.contains("src=") && !html.contains("<link"));
    }
}
