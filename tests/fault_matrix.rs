//! Behaviour faults: for every row of `gws_reference_server::faults()`, the whole suite runs
//! in-process against the reference server started with that fault, in both dialects, and must
//! give exactly the verdict the row describes: every scenario whose tags match the row's `fails`
//! tag expression fails (failed, never error) with a failure type of `kinds`, a message
//! containing every word of `names` and a page of the page table (by its URL); every other scenario passes; the
//! JUnit file is written and valid against junit-10.xsd. The conformant server passes
//! everything. docs/FAULTS.md is rendered from the rows and must be current (`UPDATE_DOCS=1`
//! rewrites it).

mod fault_support;

use std::{net::SocketAddr, time::Instant};

use fault_support::{
    describe, dump, fails_expression, junit_xsd_check, label, must_fail, render_faults_md,
    restore_default_panic_hook, rows_select_scenarios, run,
};
use futures::StreamExt as _;
use gws_conformance::run::report::Outcome;
use gws_reference_server::{Dialect, FaultRow, ServerConfig, faults, start};

/// Bound on each notification wait: faults that drop a notification cost this much.
const NOTIFICATION_TIMEOUT: &str = "1500ms";
/// Runs at once (2 cores; the runs are I/O bound).
const PARALLEL_RUNS: usize = 6;
/// Bound on one whole-suite run: a hang guard, not a speed target (the matrix's cost is
/// measured in `cargo bench`). Generous, because the runs share 2 cores with everything else
/// the machine does; a run whose notification waits hang still ends the test.
const RUN_BOUND: std::time::Duration = std::time::Duration::from_secs(180);

/// Every built-in scenario (Outline rows expanded).
fn builtin_scenarios() -> usize {
    use gws_conformance::run::features::{embedded, parse_all, scenario_count};
    scenario_count(&parse_all(embedded()).expect("the built-in features parse"))
}

/// Runs the whole suite against the reference server with `fault` (None: conformant); returns
/// the problems found against the expectation (empty: exactly as expected).
async fn judge(fault: Option<&'static FaultRow>, dialect: Dialect) -> (String, Vec<String>) {
    let name = format!("{} ({dialect:?})", fault.map_or("(none)", |f| f.name));
    let started = Instant::now();
    let mut problems = Vec::new();
    let server = match start(
        ServerConfig {
            fault: fault.map(|f| f.name.to_string()),
            dialect,
            ..Default::default()
        },
        SocketAddr::from(([127, 0, 0, 1], 0)),
    )
    .await
    {
        Ok(s) => s,
        Err(e) => return (name, vec![format!("the server does not start: {e}")]),
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let target = server.base_url();
    let bound = RUN_BOUND;
    let ran = tokio::time::timeout(
        bound,
        run(
            dir.path(),
            &[
                "--target",
                &target,
                "--notification-timeout",
                NOTIFICATION_TIMEOUT,
            ],
        ),
    )
    .await;
    server.shutdown().await;
    let Ok((out, xml)) = ran else {
        return (name, vec![format!("the run did not end within {bound:?}")]);
    };

    // Which scenarios must fail: those the row's tag expression selects.
    let fails = match fault.map(fails_expression).transpose() {
        Ok(f) => f,
        Err(e) => return (name, vec![e]),
    };

    if !out.record.run_errors.is_empty() {
        problems.push(format!("run errors: {:?}", out.record.run_errors));
    }
    if out.record.scenarios.len() != builtin_scenarios() {
        problems.push(format!(
            "{} scenarios ran, the suite has {}",
            out.record.scenarios.len(),
            builtin_scenarios()
        ));
    }
    let mut failing = 0;
    let mut selected = 0;
    for s in &out.record.scenarios {
        let should_fail = fails.as_ref().is_some_and(|f| must_fail(f, &s.tags));
        selected += usize::from(should_fail);
        let tags = s.tags.join(" @");
        match (&s.outcome, should_fail, fault) {
            (Outcome::Passed, false, _) => {}
            (Outcome::Failed(f), true, Some(row)) => {
                failing += 1;
                if !row.kinds.contains(&f.kind) {
                    problems.push(format!(
                        "{}: failure type {} is not one of {:?}: {}",
                        label(s),
                        f.kind,
                        row.kinds,
                        describe(&s.outcome)
                    ));
                }
                let text = format!(
                    "{} {} {} {} {}",
                    f.summary, f.rule, f.path, f.expected, f.actual
                )
                .to_lowercase();
                for n in row.names {
                    if !text.contains(&n.to_lowercase()) {
                        problems.push(format!(
                            "{}: the failure does not name `{n}`: {}",
                            label(s),
                            describe(&s.outcome)
                        ));
                    }
                }
                if !gws_contract::pages::PAGES
                    .iter()
                    .any(|p| f.source.contains(p.url))
                {
                    problems.push(format!(
                        "{}: the failure names no page of the page table: source {:?}",
                        label(s),
                        f.source
                    ));
                }
            }
            (other, true, _) => problems.push(format!(
                "{} (@{tags}) must FAIL but: {}",
                label(s),
                describe(other)
            )),
            (other, false, _) => problems.push(format!(
                "{} (@{tags}) must pass but: {}",
                label(s),
                describe(other)
            )),
        }
    }
    if let Some(row) = fault
        && selected == 0
    {
        problems.push(format!(
            "`fails` {:?} matched no scenario of the run",
            row.fails
        ));
    }
    let exit = if selected == 0 { 0 } else { 1 };
    if out.exit_code != exit {
        problems.push(format!("exit {} instead of {exit}", out.exit_code));
    }

    // The JUnit file: written, valid, one <failure> per failing scenario, no <error>.
    if out.junit.is_none() || xml.is_empty() {
        problems.push("no JUnit file".into());
    } else {
        if let Err(e) = junit_xsd_check(&xml, dir.path()) {
            problems.push(e);
        }
        let failures = xml.matches("<failure ").count();
        if failures != failing {
            problems.push(format!(
                "JUnit holds {failures} <failure>, the run {failing} failed scenarios"
            ));
        }
        if xml.contains("<error ") {
            problems.push("JUnit holds an <error>".into());
        }
    }
    if !problems.is_empty() {
        problems.push(format!(
            "all verdicts ({:?}):\n{}",
            started.elapsed(),
            dump(&out)
        ));
    }
    (name, problems)
}

#[test]
fn every_row_fails_expression_parses_and_selects_a_builtin_scenario() {
    let rows = faults();
    assert!(rows.len() >= 20, "the catalog has {} faults", rows.len());
    let problems = rows_select_scenarios(rows);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The converse: every built-in scenario is one that some fault must make fail, so no scenario
/// is a check that cannot fail (the matrix then proves that it does).
#[test]
fn every_builtin_scenario_is_failed_by_some_fault() {
    let mut failed_by_some: std::collections::BTreeSet<String> = Default::default();
    for row in faults() {
        failed_by_some.extend(fault_support::scenarios_failed_by(row).expect("fails parses"));
    }
    let never: Vec<String> = fault_support::builtin_scenarios()
        .into_iter()
        .map(|(label, _)| label)
        .filter(|label| !failed_by_some.contains(label))
        .collect();
    assert!(
        never.is_empty(),
        "{} built-in scenario(s) no fault makes fail:\n{}",
        never.len(),
        never.join("\n")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn conformant_server_passes_every_scenario() {
    for dialect in [Dialect::V2019, Dialect::V2015] {
        let (_, problems) = judge(None, dialect).await;
        restore_default_panic_hook();
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_fault_gets_exactly_its_expected_verdict() {
    let started = Instant::now();
    let results: Vec<(String, Vec<String>)> = futures::stream::iter(
        [Dialect::V2019, Dialect::V2015]
            .into_iter()
            .flat_map(|d| faults().iter().map(move |f| judge(Some(f), d))),
    )
    .buffer_unordered(PARALLEL_RUNS)
    .collect()
    .await;
    let elapsed = started.elapsed();
    restore_default_panic_hook();
    let mut report = Vec::new();
    let mut bad = 0;
    for (name, problems) in &results {
        if problems.is_empty() {
            report.push(format!("ok       {name}"));
        } else {
            bad += 1;
            report.push(format!("MISMATCH {name}:\n  {}", problems.join("\n  ")));
        }
    }
    report.sort();
    eprintln!("{} faults judged in {elapsed:?}", results.len());
    assert_eq!(
        bad,
        0,
        "{bad} of {} faults not judged as expected:\n{}",
        results.len(),
        report.join("\n")
    );
    // No speed assertion here: the matrix's cost is measured in `cargo bench` (BENCHMARKS.md).
}

#[test]
fn docs_table_is_current() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/FAULTS.md");
    let rendered = render_faults_md(faults());
    if std::env::var_os("UPDATE_DOCS").is_some_and(|v| v == "1") {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &rendered).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == rendered,
        "docs/FAULTS.md is not current: run `UPDATE_DOCS=1 cargo test --test fault_matrix docs_table_is_current`\n{}",
        gws_conformance::run::verdict::text_diff(&committed, &rendered)
    );
}
