//! Behaviour faults (issue 5): for every fault of `gws_reference_server::faults()`, the whole
//! suite runs in-process against the reference server started with that fault, and must give
//! exactly the expected verdict of tests/fault_support/mod.rs (`BEHAVIOUR`): the scenarios the
//! fault's keys name fail (failed, never error) with a message naming the rule and the
//! documentation page, every other scenario passes, and the JUnit file is written and valid
//! against junit-10.xsd. The conformant server passes everything. docs/FAULTS.md is rendered
//! from the same tables and must be current (`UPDATE_DOCS=1` rewrites it).

mod fault_support;

use std::{net::SocketAddr, time::Instant};

use fault_support::{
    Expect, describe, dump, expect_of, expectations_cover_the_catalog, failing_keys,
    junit_xsd_check, label, render_faults_md, restore_default_panic_hook, run, scenario_key,
};
use futures::StreamExt as _;
use gws_conformance::run::report::Outcome;
use gws_reference_server::{Dialect, FaultInfo, ServerConfig, faults, start};

/// Bound on each notification wait: faults that drop a notification cost this much.
const NOTIFICATION_TIMEOUT: &str = "1500ms";
/// Runs at once (2 cores; the runs are I/O bound).
const PARALLEL_RUNS: usize = 6;

/// Every built-in scenario (Outline rows expanded).
fn builtin_scenarios() -> usize {
    use gws_conformance::run::features::{embedded, parse_all, scenario_count};
    scenario_count(&parse_all(embedded()).expect("the built-in features parse"))
}

/// Runs the whole suite against the reference server with `fault` (None: conformant); returns
/// the problems found against the expectation (empty: exactly as expected).
async fn judge(fault: Option<FaultInfo>, dialect: Dialect) -> (String, Vec<String>) {
    let name = format!(
        "{} ({dialect:?})",
        fault.as_ref().map_or("(none)", |f| f.name)
    );
    let started = Instant::now();
    let mut problems = Vec::new();
    let server = match start(
        ServerConfig {
            fault: fault.as_ref().map(|f| f.name.to_string()),
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
    let bound = tokio::time::Duration::from_secs(20);
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

    // Which scenarios must fail.
    let expect: Option<&Expect> = fault.as_ref().and_then(|f| expect_of(f.name));
    let must_fail: Vec<&str> = match (&fault, expect) {
        (Some(f), Some(e)) => failing_keys(f, e),
        (Some(f), None) => {
            problems.push(format!("fault `{}` has no expected verdict", f.name));
            f.scenarios.to_vec()
        }
        (None, _) => Vec::new(),
    };
    let spared = expect.map_or(&[][..], |e| e.spared);

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
    let mut seen_keys = Vec::new();
    for s in &out.record.scenarios {
        let Some(key) = scenario_key(&s.tags, &s.name) else {
            problems.push(format!(
                "{}: no scenario key describes it (tests/fault_support scenario_key)",
                label(s)
            ));
            continue;
        };
        seen_keys.push(key);
        let fails = must_fail.contains(&key) && !spared.iter().any(|(n, _)| s.name.contains(n));
        match (&s.outcome, fails) {
            (Outcome::Passed, false) => {}
            (Outcome::Failed(f), true) => {
                failing += 1;
                let e = expect.expect("a failing scenario has a row");
                if !e.kinds.is_empty() && !e.kinds.contains(&f.kind) {
                    problems.push(format!(
                        "{}: failure type {} is not one of {:?}: {}",
                        label(s),
                        f.kind,
                        e.kinds,
                        describe(&s.outcome)
                    ));
                }
                let text = format!(
                    "{} {} {} {} {}",
                    f.summary, f.rule, f.path, f.expected, f.actual
                )
                .to_lowercase();
                for n in e.names {
                    if !text.contains(&n.to_lowercase()) {
                        problems.push(format!(
                            "{}: the failure does not name `{n}`: {}",
                            label(s),
                            describe(&s.outcome)
                        ));
                    }
                }
                if !(f.source.contains("docs.genesys.com")
                    || f.source.contains("gws-api-v2-multimedia.md"))
                {
                    problems.push(format!(
                        "{}: the failure names no documentation page: source {:?}",
                        label(s),
                        f.source
                    ));
                }
            }
            (other, true) => problems.push(format!(
                "{} must FAIL ({key}) but: {}",
                label(s),
                describe(other)
            )),
            (other, false) => problems.push(format!(
                "{} is untouched ({key}) and must pass but: {}",
                label(s),
                describe(other)
            )),
        }
    }
    for k in &must_fail {
        if !seen_keys.contains(k) {
            problems.push(format!("scenario key `{k}` matched no scenario of the run"));
        }
    }
    let exit = if must_fail.is_empty() { 0 } else { 1 };
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
fn expectations_cover_every_fault_and_scenario_key() {
    let catalog = faults();
    assert!(catalog.len() >= 20, "issue 5 asks for at least 20 faults");
    let problems = expectations_cover_the_catalog(&catalog);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
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
            .flat_map(|d| faults().into_iter().map(move |f| judge(Some(f), d))),
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
    assert!(
        elapsed.as_secs() < 30,
        "the fault matrix took {elapsed:?} (keep it under 30 s)"
    );
}

#[test]
fn docs_table_is_current() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/FAULTS.md");
    let rendered = render_faults_md(&faults());
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
