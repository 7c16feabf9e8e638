//! The `gws-conformance` binary: exit codes of the target contract, the last console line, the
//! password never printed, and a closed stdout (`| head`) neither crashing the run nor losing
//! the report, also when the run is interrupted.

mod support;

use std::process::{Command, Stdio};

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_gws-conformance"));
    c.env_remove("GWS_TARGET")
        .env_remove("GWS_USER")
        .env_remove("GWS_PASSWORD")
        .env_remove("GWS_STATE_URL")
        .env_remove("GITHUB_ACTIONS")
        .env_remove("GITHUB_STEP_SUMMARY");
    c
}

/// The reference server on a free loopback port, breaking the rule of `fault`.
fn fault_server(rt: &tokio::runtime::Runtime, fault: &str) -> gws_reference_server::RunningServer {
    rt.block_on(gws_reference_server::start(
        gws_reference_server::ServerConfig {
            fault: Some(fault.into()),
            ..Default::default()
        },
        std::net::SocketAddr::from(([127, 0, 0, 1], 0)),
    ))
    .unwrap()
}

#[test]
fn a_run_against_the_embedded_server_exits_0_and_ends_with_the_counts() {
    let dir = tempfile::tempdir().unwrap();
    let junit = dir.path().join("j.xml");
    let out = bin()
        .args(["run", "--color", "never", "--tags", "@chat", "--junit"])
        .arg(&junit)
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    let last = stdout.lines().last().unwrap();
    assert!(
        regex::Regex::new(r"^\d+ passed, 0 failed, 0 errors, 0 skipped$")
            .unwrap()
            .is_match(last),
        "{last}"
    );
    assert!(!stdout.contains('\u{1b}'), "colour on a pipe");
    assert!(junit.exists());
}

#[test]
fn an_unreachable_target_exits_2_without_printing_the_password() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let dir = tempfile::tempdir().unwrap();
    let junit = dir.path().join("j.xml");
    let out = bin()
        .args(["run", "--request-timeout", "2s", "--target"])
        .arg(format!("http://agent1:s3cr3t-in-url@127.0.0.1:{port}"))
        .env("GWS_PASSWORD", "s3cr3t-in-env")
        .arg("--junit")
        .arg(&junit)
        .output()
        .unwrap();
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.status.code(), Some(2), "{all}");
    assert!(all.contains(&format!("127.0.0.1:{port}")), "{all}");
    assert!(
        all.lines()
            .any(|l| l.starts_with("error: login failed:") && l.contains("GET /api/v2/me")),
        "{all}"
    );
    let report = std::fs::read_to_string(&junit).unwrap();
    for secret in ["s3cr3t-in-url", "s3cr3t-in-env"] {
        assert!(!all.contains(secret), "{secret} printed:\n{all}");
        assert!(!report.contains(secret), "{secret} in the report");
    }
}

#[test]
fn quiet_prints_only_the_counts_line() {
    let dir = tempfile::tempdir().unwrap();
    let out = bin()
        .args([
            "run",
            "--quiet",
            "--tags",
            "@smssession and @accept and not @inferred",
            "--junit",
        ])
        .arg(dir.path().join("j.xml"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "2 passed, 0 failed, 0 errors, 0 skipped\n"
    );
}

#[test]
fn bad_flags_exit_2() {
    for args in [
        &["run", "--target", "ftp://x"][..],
        &["run", "--dialect", "2017"][..],
        &["run", "--notification-timeout", "soon"][..],
    ] {
        let out = bin().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
    }
}

#[test]
fn a_closed_stdout_does_not_crash_the_run_or_lose_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let junit = dir.path().join("j.xml");
    // A pipe whose reading end is already closed: every write to stdout fails (EPIPE), as
    // after `| head` has exited.
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let out = bin()
        .args(["run", "--color", "never", "--junit"])
        .arg(&junit)
        .stdout(Stdio::from(writer))
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        std::fs::read_to_string(&junit)
            .unwrap()
            .contains("<testsuites")
    );
}

/// Issue 4: "The file is written whenever a run started, also when it ends early." A run
/// interrupted with SIGINT while a scenario waits for a notification that never comes ends the
/// session, writes a valid report of what finished plus an `Interrupted` run error, and exits 2.
#[test]
fn an_interrupted_run_still_writes_its_report_and_exits_2() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = fault_server(&rt, "accept-missing-status-change");
    let dir = tempfile::tempdir().unwrap();
    let junit = dir.path().join("j.xml");
    let mut child = bin()
        .args(["run", "--color", "never", "--notification-timeout", "120s"])
        .arg("--target")
        .arg(server.base_url())
        .arg("--junit")
        .arg(&junit)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (lines_tx, lines_rx) = std::sync::mpsc::channel::<String>();
    std::thread::spawn(move || {
        use std::io::BufRead as _;
        for line in std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
        {
            if lines_tx.send(line).is_err() {
                break;
            }
        }
    });
    // Wait (bounded) for a first finished scenario: the run has started and others now hang.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let mut seen = Vec::new();
    loop {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        match lines_rx.recv_timeout(left) {
            Ok(line) => {
                let finished = line.starts_with('✔');
                seen.push(line);
                if finished {
                    break;
                }
            }
            Err(e) => panic!("no finished scenario within 30 s ({e}); output so far: {seen:#?}"),
        }
    }
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success(), "kill -INT failed");
    let (done_tx, done_rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = done_tx.send(child.wait());
    });
    let exit = done_rx
        .recv_timeout(std::time::Duration::from_secs(20))
        .expect("the run did not end within 20 s of SIGINT")
        .unwrap();
    // The reader thread may still be forwarding the last lines: read until it ends at EOF
    // (bounded), not just what has arrived so far.
    let mut rest: Vec<String> = Vec::new();
    let drain_deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while let Ok(line) =
        lines_rx.recv_timeout(drain_deadline.saturating_duration_since(std::time::Instant::now()))
    {
        rest.push(line);
    }
    assert_eq!(exit.code(), Some(2), "{seen:#?}\n{rest:#?}");
    assert!(
        rest.iter().any(|l| l.ends_with("1 errors, 0 skipped")),
        "last lines: {rest:#?}"
    );
    let xml = std::fs::read_to_string(&junit).expect("no report after SIGINT");
    assert!(xml.contains(r#"type="Interrupted""#), "{xml}");
    // The scenarios that finished before the interruption keep their verdicts.
    assert!(xml.matches("<testcase").count() >= 2, "{xml}");
    support::assert_valid_against_xsd(&xml, dir.path());
    rt.block_on(server.shutdown());
}

#[test]
fn a_run_that_selects_nothing_exits_2_saying_so() {
    let dir = tempfile::tempdir().unwrap();
    let out = bin()
        .args(["run", "--color", "never", "--tags", "@nosuchtag", "--junit"])
        .arg(dir.path().join("j.xml"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains("error: no scenario was selected"),
        "{stdout}"
    );
    assert!(
        stdout.ends_with("0 passed, 0 failed, 0 errors, 0 skipped\n"),
        "{stdout}"
    );
}

#[test]
fn an_unwritable_report_path_exits_2_before_the_run() {
    let dir = tempfile::tempdir().unwrap();
    // A report path below a regular file can never be created.
    let file = dir.path().join("plain");
    std::fs::write(&file, "x").unwrap();
    let started = std::time::Instant::now();
    let out = bin()
        .args(["run", "--color", "never", "--junit"])
        .arg(file.join("j.xml"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.starts_with("error: --junit "), "{stdout}");
    assert!(!stdout.contains("passed"), "no scenario ran: {stdout}");
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
}

#[test]
fn too_short_waits_and_an_api_root_target_are_refused_with_one_line() {
    for args in [
        &["run", "--notification-timeout", "0s"][..],
        &["run", "--request-timeout", "10ms"],
        &["run", "--target", "http://127.0.0.1:9/api/v2"],
    ] {
        let out = bin().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(
            stderr.contains("too short") || stderr.contains("ends in /api/v2"),
            "{args:?}: {stderr}"
        );
    }
}

/// Issue 12: `--quiet` shows every failing and erroring scenario with its one-line message,
/// then the counts line, and nothing else.
#[test]
fn quiet_shows_each_failing_scenario_on_one_line() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = fault_server(&rt, "accept-missing-status-change");
    let dir = tempfile::tempdir().unwrap();
    let out = bin()
        .args(["run", "--quiet", "--color", "never"])
        .args(["--tags", "@chat and @accept and not @inferred"])
        .args(["--notification-timeout", "500ms", "--target"])
        .arg(server.base_url())
        .arg("--junit")
        .arg(dir.path().join("j.xml"))
        .output()
        .unwrap();
    rt.block_on(server.shutdown());
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    let lines: Vec<&str> = stdout.lines().collect();
    let (last, problems) = lines.split_last().unwrap();
    assert!(last.starts_with("0 passed, 1 failed"), "{stdout}");
    assert_eq!(problems.len(), 1, "{stdout}");
    assert!(
        problems[0].starts_with("✘ ")
            && problems[0].contains(": failure NotificationTimeout: ")
            && problems[0].contains("(at features/chat/accept.feature:"),
        "{stdout}"
    );
}

/// Issue 11: under GitHub Actions (`GITHUB_ACTIONS=true`) each failing scenario becomes one
/// `::error` workflow command naming its feature file and line, and the Markdown summary is
/// appended to `GITHUB_STEP_SUMMARY` (what an earlier step wrote there stays); without the
/// variable, no command is printed.
#[test]
fn github_actions_get_error_commands_and_the_step_summary() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = fault_server(&rt, "accept-missing-status-change");
    let dir = tempfile::tempdir().unwrap();
    let step_summary = dir.path().join("step-summary.md");
    std::fs::write(&step_summary, "earlier step\n").unwrap();
    let run = |github: bool| {
        let mut c = bin();
        c.args(["run", "--quiet", "--color", "never"])
            .args(["--tags", "@chat and @accept and not @inferred"])
            .args(["--notification-timeout", "500ms", "--target"])
            .arg(server.base_url())
            .arg("--junit")
            .arg(dir.path().join("j.xml"));
        if github {
            c.env("GITHUB_ACTIONS", "true")
                .env("GITHUB_STEP_SUMMARY", &step_summary);
        }
        let out = c.output().unwrap();
        assert_eq!(out.status.code(), Some(1));
        String::from_utf8(out.stdout).unwrap()
    };
    let plain = run(false);
    let github = run(true);
    rt.block_on(server.shutdown());
    assert!(!plain.contains("::error"), "{plain}");
    let commands: Vec<&str> = github
        .lines()
        .filter(|l| l.starts_with("::error "))
        .collect();
    assert_eq!(commands.len(), 1, "{github}");
    assert!(
        regex::Regex::new(r"^::error file=features/chat/accept\.feature,line=\d+,title=Chat%3A Accept › [^:]+::.+$")
            .unwrap()
            .is_match(commands[0]),
        "{}",
        commands[0]
    );
    let summary = std::fs::read_to_string(&step_summary).unwrap();
    assert!(
        summary.starts_with("earlier step\n## gws-conformance: ❌ not conformant"),
        "{summary}"
    );
    assert!(summary.contains("0 passed, 1 failed"), "{summary}");
    assert!(
        summary.contains("features/chat/accept.feature:"),
        "{summary}"
    );
}
