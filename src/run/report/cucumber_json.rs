//! The Cucumber JSON report (`--json PATH`): the format cucumber-js and cucumber-jvm write and
//! `cucumber-html-reporter`, `multiple-cucumber-html-reporter` and Allure's Cucumber JSON reader
//! consume (<https://github.com/cucumber/cucumber-json-schema>).
//!
//! Written from the run's [`RunRecord`], like every other report, not by cucumber-rs's own
//! `writer::Json`: that writer sees the raw events, so it would print the target's bytes before
//! the secrets are masked, record a `--retry`'s discarded attempts as extra scenarios, know
//! nothing of the known-failures baseline or the profile's skips, and write nothing on a run that
//! ended before its scenarios (login failed, interrupted); all reports must describe the same run.
//!
//! Layout: one element per feature file (`uri` its shown path, `tags` its own tags, `elements`
//! its scenarios sorted by line); one `scenario` element per scenario with its effective tags and
//! every step, in order, each with `result.status` and `result.duration` in nanoseconds:
//! - a pass: every step `passed`;
//! - a failure or an error: the failing step `failed` with `error_message` = the outcome's
//!   one-line message, then its explanation (an error's text starts with `error`); the steps
//!   after it `skipped`. When no step carries the verdict (an `After` hook failed), a visible
//!   step `After the scenario` at the end carries it (cucumber-html-reporter ignores hook
//!   entries and hidden steps, so a hook entry would read as a pass there);
//! - a skipped scenario (the profile, a skip step): its steps `skipped`, the reason as the first
//!   step's `error_message`;
//! - an expected failure (the baseline): the failing step `skipped` (not counted as failed, as in
//!   the JUnit report), its message saying so; a stale entry: `failed`;
//! - problems outside any scenario (login failed, interrupted): one feature, `gws-conformance
//!   run`, with one scenario per problem whose single step `failed` with the problem's text.
//!
//! So the counts a consumer shows are the run's: failed = failures + stale + errors, skipped =
//! skips + expected failures.
//!
//! Tag `line`s are approximate: the Gherkin parser keeps no tag positions, so a feature's tags
//! carry the line above its `Feature:` and a scenario's the line above the scenario.

use std::path::Path;

use serde_json::{Value, json};

use super::{Outcome, RunRecord, ScenarioRecord, StepStatus, junit::RUN_SUITE};

/// A lower-case id as cucumber-js writes them: spaces to `-`.
fn id_of(s: &str) -> String {
    s.to_lowercase()
        .chars()
        .map(|c| if c.is_whitespace() { '-' } else { c })
        .collect()
}

fn tags(tags: &[String], line: usize) -> Value {
    Value::Array(
        tags.iter()
            .map(|t| json!({"name": format!("@{t}"), "line": line}))
            .collect(),
    )
}

fn nanos(d: std::time::Duration) -> u64 {
    u64::try_from(d.as_nanos()).unwrap_or(u64::MAX)
}

/// The text of a non-pass on the step that carries it: the one-line message, then the
/// explanation.
fn error_text(s: &ScenarioRecord) -> String {
    let message = s.outcome.message().unwrap_or_default();
    let prefix = match &s.outcome {
        Outcome::Error(_) => "error: ",
        _ => "",
    };
    format!(
        "{prefix}{message}\nat {}\n{}",
        s.location(),
        s.outcome.explanation(&s.failed_step_line())
    )
}

fn scenario(s: &ScenarioRecord) -> Value {
    // Where the verdict goes: the failing step (or the first step of a skipped scenario).
    let failing = s
        .steps
        .iter()
        .position(|st| st.status == StepStatus::Failed);
    let (bad_status, carrier) = match &s.outcome {
        Outcome::Passed => ("passed", None),
        Outcome::Failed(_) | Outcome::Error(_) | Outcome::Stale(_) => ("failed", failing),
        Outcome::ExpectedFailure(..) => ("skipped", failing),
        Outcome::Skipped(_) => ("skipped", failing.or((!s.steps.is_empty()).then_some(0))),
    };
    let mut steps: Vec<Value> = s
        .steps
        .iter()
        .enumerate()
        .map(|(i, st)| {
            let status = if Some(i) == carrier {
                bad_status
            } else {
                match st.status {
                    StepStatus::Passed => "passed",
                    StepStatus::Failed => bad_status,
                    StepStatus::Skipped | StepStatus::NotRun => "skipped",
                }
            };
            let mut result = json!({"status": status, "duration": nanos(st.duration)});
            if Some(i) == carrier {
                result["error_message"] = Value::String(error_text(s));
            }
            let mut step = json!({
                "keyword": st.keyword,
                "name": st.value,
                "line": st.line,
                "match": {"location": format!("{}:{}", s.feature_path, st.line)},
                "result": result,
            });
            if let Some(d) = &st.docstring {
                step["doc_string"] = json!({"value": d, "content_type": "", "line": st.line + 1});
            }
            if !st.table.is_empty() {
                step["rows"] = Value::Array(
                    st.table
                        .iter()
                        .map(|cells| json!({ "cells": cells }))
                        .collect(),
                );
            }
            step
        })
        .collect();
    if carrier.is_none() && !matches!(s.outcome, Outcome::Passed) {
        // No step carries the verdict (an After hook failed, or nothing ran).
        steps.push(json!({
            "keyword": "After ",
            "name": "the scenario",
            "line": s.line,
            "match": {"location": s.location()},
            "result": {"status": bad_status, "duration": 0, "error_message": error_text(s)},
        }));
    }
    let element = json!({
        "id": format!("{};{}", id_of(&s.feature_name), id_of(&s.test_name)),
        "keyword": "Scenario",
        "type": "scenario",
        "name": s.test_name,
        "description": "",
        "line": s.line,
        "tags": tags(&s.tags, s.line.saturating_sub(1).max(1)),
        "steps": steps,
    });
    element
}

/// The Cucumber JSON text for `record`.
pub fn render(record: &RunRecord) -> String {
    let mut features: Vec<Value> = Vec::new();
    if !record.run_errors.is_empty() {
        let elements: Vec<Value> = record
            .run_errors
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let text = format!(
                    "error: {}\n{}: {}\n{}",
                    e.message(),
                    e.kind,
                    e.summary,
                    e.detail
                );
                json!({
                    "id": format!("{};{}", id_of(RUN_SUITE), id_of(e.kind)),
                    "keyword": "Scenario",
                    "type": "scenario",
                    "name": format!("run problem: {}", e.kind),
                    "description": "",
                    "line": i + 1,
                    "tags": [],
                    "steps": [{
                        "keyword": "Given ",
                        "name": "the run reaches its scenarios",
                        "line": i + 1,
                        "match": {"location": RUN_SUITE},
                        "result": {"status": "failed", "duration": 0, "error_message": text},
                    }],
                })
            })
            .collect();
        features.push(json!({
            "uri": RUN_SUITE,
            "id": id_of(RUN_SUITE),
            "keyword": "Feature",
            "name": RUN_SUITE,
            "description": "Problems outside any scenario.",
            "line": 1,
            "tags": [],
            "elements": elements,
        }));
    }
    for (path, name, scenarios) in record.by_feature() {
        let head = scenarios
            .first()
            .map(|s| s.feature.clone())
            .unwrap_or_default();
        features.push(json!({
            "uri": path,
            "id": id_of(&name),
            "keyword": "Feature",
            "name": name,
            "description": head.description,
            "line": head.line.max(1),
            "tags": tags(&head.tags, head.line.max(1).saturating_sub(1).max(1)),
            "elements": scenarios.into_iter().map(scenario).collect::<Vec<_>>(),
        }));
    }
    serde_json::to_string_pretty(&Value::Array(features)).unwrap_or_else(|_| "[]".into())
}

/// Writes the report to `path`, creating its parent directory.
pub fn write(path: &Path, record: &RunRecord) -> std::io::Result<()> {
    super::write_text(path, &render(record))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::run::{
        report::{StepRecord, fixture},
        verdict::{Failure, HarnessError},
    };

    fn rec(name: &str, line: usize, outcome: Outcome, steps: Vec<StepRecord>) -> ScenarioRecord {
        let mut r = fixture::scenario(name, line, &["chat", "accept"], outcome);
        r.steps = steps;
        r
    }

    fn step(value: &str, line: usize, status: StepStatus) -> StepRecord {
        StepRecord::new("Given ", value, line, status)
    }

    #[test]
    fn every_step_has_a_status_and_the_failing_step_the_message() {
        let mut r = RunRecord::default();
        r.scenarios.push(rec(
            "b",
            10,
            Outcome::Failed(
                Failure::new("StateMismatch", "wrong state")
                    .rule("ChatAccept")
                    .path("/chat/state")
                    .expected_actual("one of [Chatting]", "\"Processing\""),
            ),
            vec![
                step("x", 11, StepStatus::Passed),
                step("y", 12, StepStatus::Failed),
                step("z", 13, StepStatus::NotRun),
            ],
        ));
        r.scenarios.push(rec(
            "a",
            5,
            Outcome::Passed,
            vec![step("x", 6, StepStatus::Passed)],
        ));
        r.scenarios.push(rec(
            "c",
            20,
            Outcome::Skipped("the profile".into()),
            vec![step("x", 21, StepStatus::NotRun)],
        ));
        r.run_errors
            .push(HarnessError::new("Interrupted", "SIGTERM"));
        let v: Value = serde_json::from_str(&render(&r)).unwrap();
        assert_eq!(v[0]["name"], RUN_SUITE);
        assert_eq!(
            v[0]["elements"][0]["steps"][0]["result"]["status"],
            "failed"
        );
        let f = &v[1];
        assert_eq!(f["uri"], "features/chat/accept.feature");
        assert_eq!(f["tags"][0]["name"], "@chat");
        let names: Vec<&str> = f["elements"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["a", "b", "c"]);
        let b = &f["elements"][1]["steps"];
        assert_eq!(b[0]["result"]["status"], "passed");
        assert_eq!(b[1]["result"]["status"], "failed");
        let msg = b[1]["result"]["error_message"].as_str().unwrap();
        assert!(
            msg.starts_with(
                "/chat/state: expected one of [Chatting], got \"Processing\" (ChatAccept)"
            ),
            "{msg}"
        );
        assert_eq!(b[2]["result"]["status"], "skipped");
        let c = &f["elements"][2]["steps"];
        assert_eq!(c[0]["result"]["status"], "skipped");
        assert!(
            c[0]["result"]["error_message"]
                .as_str()
                .unwrap()
                .contains("the profile")
        );
    }

    #[test]
    fn a_verdict_no_step_carries_goes_on_an_after_step() {
        let mut r = RunRecord::default();
        r.scenarios.push(rec(
            "a",
            5,
            Outcome::Error(HarnessError::new("HookFailed", "After hook: boom")),
            vec![step("x", 6, StepStatus::Passed)],
        ));
        let v: Value = serde_json::from_str(&render(&r)).unwrap();
        let e = &v[0]["elements"][0];
        assert_eq!(e["steps"][0]["result"]["status"], "passed");
        assert_eq!(e["steps"][1]["keyword"], "After ");
        assert_eq!(e["steps"][1]["result"]["status"], "failed");
        assert!(
            e["steps"][1]["result"]["error_message"]
                .as_str()
                .unwrap()
                .starts_with("error: After hook: boom")
        );
    }
}
