//! The CI gate (issue 13): adopting the suite against a faulty server with a known-failures
//! baseline (write it, run green with it, see it go stale when the fault is gone), the
//! target's profile (`--skip-tags`), `--list`, `--name`, `--fail-fast` and `--shard`, run
//! through the `gws-conformance` binary against the reference server started in the test with
//! a fault (as `gws-conformance serve --fault NAME` serves it).

mod support;

use std::{collections::BTreeSet, net::SocketAddr, path::Path};

use gws_conformance::run::baseline::{Baseline, Matcher};
use gws_reference_server::{ServerConfig, start};

/// A fault whose failures are immediate (a value changed, no notification dropped): the
/// PushUrl entry of SendUrl carries another url.
const FAULT: &str = "send-url-url-altered";

/// The scenarios [`FAULT`] fails: its row's `fails` expression.
const FAILS: &str = "@sendurl and not @inferred";

struct Ran {
    code: Option<i32>,
    stdout: String,
    junit: String,
}

/// Runs the binary's `run` with `flags` against `target`, a JUnit file in `dir`.
async fn cli(dir: &Path, target: &str, flags: &[&str]) -> Ran {
    let junit = dir.join("junit.xml");
    let _ = std::fs::remove_file(&junit);
    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_gws-conformance"))
        .env_remove("GWS_TARGET")
        .env_remove("GWS_KNOWN_FAILURES")
        .args([
            "run",
            "--color",
            "never",
            "--notification-timeout",
            "1500ms",
        ])
        .args(["--target", target, "--junit"])
        .arg(&junit)
        .args(flags)
        .kill_on_drop(true)
        .output();
    let out = tokio::time::timeout(std::time::Duration::from_secs(60), out)
        .await
        .expect("the run ends within 60s")
        .expect("the binary runs");
    Ran {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        junit: std::fs::read_to_string(&junit).unwrap_or_default(),
    }
}

async fn server(fault: Option<&str>) -> gws_reference_server::RunningServer {
    start(
        ServerConfig {
            fault: fault.map(str::to_string),
            ..Default::default()
        },
        SocketAddr::from(([127, 0, 0, 1], 0)),
    )
    .await
    .expect("the reference server starts")
}

/// Identities (classname: test name) of the testcases whose status element is `element`
/// (`failure`, `error`, `skipped`) with `type` `ty`.
fn cases(junit: &str, element: &str, ty: &str) -> BTreeSet<String> {
    support::parse(junit)
        .cases
        .iter()
        .filter(|c| {
            c.statuses
                .iter()
                .any(|(e, t, _, _)| e == element && t.as_deref() == Some(ty))
        })
        .map(|c| c.name.clone())
        .collect()
}

fn ids_in(file: &Path) -> BTreeSet<String> {
    Baseline::load(file)
        .unwrap()
        .entries
        .into_iter()
        .filter_map(|e| match e.matcher {
            Matcher::Id(id) => Some(id),
            _ => None,
        })
        .collect()
}

/// The ids the fault must fail, from the built-in features.
fn ids_failed_by_the_fault() -> BTreeSet<String> {
    use gws_conformance::run::features::{Selection, all_planned, embedded, parse_all, parse_tags};
    let all = all_planned(&parse_all(embedded()).unwrap());
    Selection {
        tags: Some(parse_tags(FAILS).unwrap()),
        ..Default::default()
    }
    .plan(&all)
    .run
    .into_iter()
    .map(|p| p.id)
    .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn adopting_the_gate_write_baseline_green_run_then_stale_when_fixed() {
    let dir = tempfile::tempdir().unwrap();
    let kf = dir.path().join("known-failures.txt");
    let kf_arg = kf.display().to_string();
    let expected = ids_failed_by_the_fault();
    assert!(expected.len() >= 2, "{expected:?}");

    // 1. Against the faulty server: the run fails and writes the baseline of what failed.
    let faulty = server(Some(FAULT)).await;
    let target = faulty.base_url();
    let first = cli(dir.path(), &target, &["--write-known-failures", &kf_arg]).await;
    assert_eq!(first.code, Some(1), "{}", first.stdout);
    assert!(
        first.stdout.contains(&format!(
            "known failures: {} scenario(s) written to {kf_arg}",
            expected.len()
        )),
        "{}",
        first.stdout
    );
    assert_eq!(ids_in(&kf), expected);
    let text = std::fs::read_to_string(&kf).unwrap();
    assert!(
        text.contains(" # TranscriptMismatch: "),
        "the reason: {text}"
    );

    // 2. The same server with the baseline: green; every listed failure is an expected
    // failure, reported with its reason, never counted as failed.
    let second = cli(dir.path(), &target, &["--known-failures", &kf_arg]).await;
    assert_eq!(second.code, Some(0), "{}", second.stdout);
    let last = second.stdout.lines().last().unwrap_or_default();
    assert!(
        last.ends_with(&format!(
            " passed, 0 failed, 0 errors, 0 skipped, {} expected failures",
            expected.len()
        )),
        "{last}"
    );
    assert!(
        second
            .stdout
            .contains(&format!("expected failure ({kf_arg}:")),
        "{}",
        second.stdout
    );
    let xfail = cases(&second.junit, "skipped", "ExpectedFailure");
    assert_eq!(xfail.len(), expected.len(), "{}", second.junit);
    assert!(cases(&second.junit, "failure", "TranscriptMismatch").is_empty());
    assert!(
        second.junit.contains("expected failure (") && second.junit.contains("TranscriptMismatch"),
        "the reason and the failure stay in the report"
    );
    support::assert_valid_against_xsd(&second.junit, dir.path());
    faulty.shutdown().await;

    // 3. The fault fixed: the listed scenarios pass, so the baseline is stale and the run
    // fails, naming every stale line and saying to remove it.
    let fixed = server(None).await;
    let third = cli(
        dir.path(),
        &fixed.base_url(),
        &["--known-failures", &kf_arg],
    )
    .await;
    fixed.shutdown().await;
    assert_eq!(third.code, Some(1), "{}", third.stdout);
    assert!(
        third.stdout.contains(&format!(
            "error: {} listed known failure(s) now pass: remove these lines",
            expected.len()
        )),
        "{}",
        third.stdout
    );
    for (i, line) in text.lines().enumerate() {
        if let Some(id) = expected.iter().find(|id| line.starts_with(id.as_str())) {
            assert!(
                third
                    .stdout
                    .contains(&format!("  {kf_arg}:{}: {id}", i + 1)),
                "stale line {} not named:\n{}",
                i + 1,
                third.stdout
            );
        }
    }
    assert_eq!(
        cases(&third.junit, "failure", "StaleKnownFailure").len(),
        expected.len(),
        "{}",
        third.junit
    );
    support::assert_valid_against_xsd(&third.junit, dir.path());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn errors_are_never_absorbed_and_unmatched_entries_warn() {
    // A baseline listing every scenario by tag does not turn a harness error into an expected
    // failure: provider-state setup refused (the state URL answers 404) stays an error.
    let dir = tempfile::tempdir().unwrap();
    let kf = dir.path().join("kf.txt");
    std::fs::write(
        &kf,
        "tags: @chat and @accept\ngws.nowhere.x: no such scenario # typo\n",
    )
    .unwrap();
    let srv = server(None).await;
    let base = srv.base_url();
    let ran = cli(
        dir.path(),
        &base,
        &[
            "--known-failures",
            &kf.display().to_string(),
            "--tags",
            "@chat and @accept and not @inferred",
            "--state-url",
            &format!("{base}/no-such-state-endpoint"),
        ],
    )
    .await;
    srv.shutdown().await;
    assert_eq!(ran.code, Some(2), "{}", ran.stdout);
    assert!(
        ran.stdout.contains(&format!(
            "warning: --known-failures {}:2: `gws.nowhere.x: no such scenario` matches no scenario",
            kf.display()
        )),
        "{}",
        ran.stdout
    );
    assert!(cases(&ran.junit, "skipped", "ExpectedFailure").is_empty());
    assert!(
        support::parse(&ran.junit)
            .cases
            .iter()
            .all(|c| c.statuses.iter().any(|(e, ..)| e == "error")),
        "{}",
        ran.junit
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_profile_skips_what_the_target_does_not_implement() {
    // The faulty server with the failing operation left out of the profile: green, and the
    // scenarios left out are skipped with the reason (flag and file alike).
    let dir = tempfile::tempdir().unwrap();
    let srv = server(Some(FAULT)).await;
    let target = srv.base_url();
    let by_flag = cli(dir.path(), &target, &["--skip-tags", "@sendurl"]).await;
    assert_eq!(by_flag.code, Some(0), "{}", by_flag.stdout);
    let skipped = support::parse(&by_flag.junit)
        .cases
        .into_iter()
        .filter(|c| {
            c.statuses.iter().any(|(e, _, m, _)| {
                e == "skipped"
                    && m.as_deref() == Some("not in the target's profile (--skip-tags `@sendurl`)")
            })
        })
        .count();
    assert!(
        skipped >= ids_failed_by_the_fault().len(),
        "{}",
        by_flag.junit
    );
    let kf = dir.path().join("profile.txt");
    std::fs::write(&kf, "skip: @sendurl # we do not push URLs\n").unwrap();
    let by_file = cli(
        dir.path(),
        &target,
        &["--known-failures", &kf.display().to_string()],
    )
    .await;
    srv.shutdown().await;
    assert_eq!(by_file.code, Some(0), "{}", by_file.stdout);
    assert!(
        by_file.junit.contains(&format!(
            "message=\"we do not push URLs ({}:1)\"",
            kf.display()
        )),
        "{}",
        by_file.junit
    );
    // Everything left out: nothing ran, which a gate must not pass.
    let srv = server(None).await;
    let every_family: Vec<String> = gws_contract::Media::ALL
        .iter()
        .map(|m| m.name())
        .chain(gws_conformance::run::features::TRANSPORT_FAMILIES)
        .map(|t| format!("@{t}"))
        .collect();
    let none = cli(
        dir.path(),
        &srv.base_url(),
        &["--skip-tags", &every_family.join(" or ")],
    )
    .await;
    srv.shutdown().await;
    assert_eq!(none.code, Some(2), "{}", none.stdout);
}

/// `classname` + `name` of every testcase of a JUnit report.
fn testcases(junit: &str) -> Vec<(String, String)> {
    support::parse(junit)
        .cases
        .into_iter()
        .map(|c| (c.classname.unwrap_or_default(), c.name))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_prints_the_selection_and_runs_nothing() {
    use gws_conformance::run::features::{Selection, all_planned, embedded, parse_all, parse_tags};
    let dir = tempfile::tempdir().unwrap();
    // Nothing listens there: --list contacts no target.
    let nowhere = "http://127.0.0.1:9";
    let expr = "@chat and @accept";
    let ran = cli(dir.path(), nowhere, &["--list", "--tags", expr]).await;
    assert_eq!(ran.code, Some(0), "{}", ran.stdout);
    let all = all_planned(&parse_all(embedded()).unwrap());
    let want = Selection {
        tags: Some(parse_tags(expr).unwrap()),
        ..Default::default()
    }
    .plan(&all)
    .run;
    assert!(!want.is_empty());
    for p in &want {
        assert!(
            ran.stdout.contains(&format!("{}\n    tags: @", p.id)),
            "{}",
            ran.stdout
        );
    }
    assert!(
        ran.stdout
            .contains("    documentation: Chat API: Accept — https://"),
        "{}",
        ran.stdout
    );
    assert_eq!(
        ran.stdout.lines().last(),
        Some(
            format!(
                "{} scenario(s) selected, 0 skipped by the profile",
                want.len()
            )
            .as_str()
        )
    );
    assert!(ran.junit.is_empty(), "--list writes no report");
    // --name narrows; nothing selected exits 2.
    let named = cli(
        dir.path(),
        nowhere,
        &[
            "--list",
            "--tags",
            expr,
            "--name",
            "^agent accepts chat -> receives Chatting status$",
        ],
    )
    .await;
    assert_eq!(named.code, Some(0), "{}", named.stdout);
    assert!(
        named.stdout.contains("1 scenario(s) selected"),
        "{}",
        named.stdout
    );
    let none = cli(
        dir.path(),
        nowhere,
        &["--list", "--name", "no such scenario anywhere"],
    )
    .await;
    assert_eq!(none.code, Some(2), "{}", none.stdout);
    assert!(
        none.stdout.contains("error: no scenario was selected"),
        "{}",
        none.stdout
    );
    let bad = cli(dir.path(), nowhere, &["--list", "--name", "(unclosed"]).await;
    assert_eq!(bad.code, Some(2), "{}", bad.stdout);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fail_fast_stops_after_the_first_failure() {
    let dir = tempfile::tempdir().unwrap();
    let srv = server(Some(FAULT)).await;
    let flags = [
        "--tags",
        "@sendurl or (@chat and @accept)",
        "--concurrency",
        "1",
    ];
    let whole = cli(dir.path(), &srv.base_url(), &flags).await;
    let mut fast_flags = flags.to_vec();
    fast_flags.push("--fail-fast");
    let fast = cli(dir.path(), &srv.base_url(), &fast_flags).await;
    srv.shutdown().await;
    assert_eq!(whole.code, Some(1), "{}", whole.stdout);
    assert_eq!(fast.code, Some(1), "{}", fast.stdout);
    let failures = |j: &str| {
        support::parse(j)
            .cases
            .iter()
            .filter(|c| c.statuses.iter().any(|(e, ..)| e == "failure"))
            .count()
    };
    assert!(failures(&whole.junit) >= 2, "{}", whole.junit);
    assert_eq!(failures(&fast.junit), 1, "{}", fast.junit);
    assert!(testcases(&fast.junit).len() < testcases(&whole.junit).len());
    assert!(
        fast.stdout
            .contains("--fail-fast: stopped after the first scenario that did not pass"),
        "{}",
        fast.stdout
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shards_add_up_to_the_whole_run_and_their_reports_merge() {
    let dir = tempfile::tempdir().unwrap();
    let srv = server(None).await;
    let target = srv.base_url();
    let tags = ["--tags", "@chat and not @inferred"];
    let whole = cli(dir.path(), &target, &tags).await;
    assert_eq!(whole.code, Some(0), "{}", whole.stdout);
    let mut merged = Vec::new();
    for shard in ["1/3", "2/3", "3/3"] {
        let mut flags = tags.to_vec();
        flags.extend(["--shard", shard]);
        let part = cli(dir.path(), &target, &flags).await;
        assert_eq!(part.code, Some(0), "shard {shard}: {}", part.stdout);
        let cases = testcases(&part.junit);
        assert!(!cases.is_empty(), "shard {shard} is empty");
        merged.extend(cases);
    }
    srv.shutdown().await;
    let mut sorted = merged.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), merged.len(), "a testcase is in two shards");
    let mut all = testcases(&whole.junit);
    all.sort();
    assert_eq!(sorted, all, "the shards' testcases are not the whole run's");
}

/// Runs the binary with stdout on a pseudo-terminal; returns what the terminal showed
/// (bounded: 120 s, then the child is killed).
fn on_a_terminal(args: &[&str]) -> String {
    use std::{
        io::Read as _,
        os::fd::{FromRawFd as _, OwnedFd},
    };
    let (mut master, mut slave) = (0, 0);
    // SAFETY: openpty writes two new descriptors into the two integers; the other arguments
    // may be null.
    let rc = unsafe {
        libc::openpty(
            &mut master,
            &mut slave,
            std::ptr::null_mut(),
            std::ptr::null(),
            std::ptr::null(),
        )
    };
    assert_eq!(rc, 0, "openpty: {}", std::io::Error::last_os_error());
    // SAFETY: both descriptors were just opened and are owned here only.
    let (master, slave) = unsafe { (OwnedFd::from_raw_fd(master), OwnedFd::from_raw_fd(slave)) };
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_gws-conformance"))
        .env_remove("GWS_TARGET")
        .env_remove("GWS_KNOWN_FAILURES")
        .env_remove("NO_COLOR")
        .args(args)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::from(slave))
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("the binary runs");
    // The child holds the only slave descriptor now: reading ends (EIO) when it exits.
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut f = std::fs::File::from(master);
        let mut out = Vec::new();
        let mut chunk = [0u8; 4096];
        while let Ok(n @ 1..) = f.read(&mut chunk) {
            out.extend_from_slice(&chunk[..n]);
        }
        let _ = tx.send(out);
    });
    let out = rx.recv_timeout(std::time::Duration::from_secs(120));
    let _ = child.kill();
    let _ = child.wait();
    String::from_utf8_lossy(&out.expect("the run ends within 120 s")).into_owned()
}

#[test]
fn the_progress_counter_shows_on_a_terminal_only() {
    let dir = tempfile::tempdir().unwrap();
    let junit = dir.path().join("j.xml").display().to_string();
    let tags = "@chat and @accept and not @inferred or @smssession and @accept and not @inferred";
    let args = ["run", "--tags", tags, "--junit", &junit];
    let tty = on_a_terminal(&args);
    let counter = regex::Regex::new(r"(?m)^\[(\d+)/(\d+)\] ").unwrap();
    let seen: Vec<(usize, usize)> = counter
        .captures_iter(&tty)
        .map(|c| (c[1].parse().unwrap(), c[2].parse().unwrap()))
        .collect();
    assert!(seen.len() >= 2, "{tty}");
    let total = seen[0].1;
    assert_eq!(
        seen,
        (1..=total).map(|n| (n, total)).collect::<Vec<_>>(),
        "{tty}"
    );
    let piped = std::process::Command::new(env!("CARGO_BIN_EXE_gws-conformance"))
        .env_remove("GWS_TARGET")
        .env_remove("GWS_KNOWN_FAILURES")
        .args(args)
        .output()
        .unwrap();
    let piped = String::from_utf8_lossy(&piped.stdout);
    assert!(piped.contains("✔ "), "{piped}");
    assert!(!counter.is_match(&piped), "a counter in a pipe: {piped}");
}
