//! Benchmark of a conformance run (issue 6): how fast the suite runs against the embedded
//! reference server on loopback, and where its time goes. Run it with
//!
//! ```text
//! cargo bench --bench conformance
//! ```
//!
//! (release profile; a `harness = false` target). It reports, in this order:
//!
//! 0. fixed costs of a run, timed piece by piece with the runner's public API (schema bundle
//!    compile on first use, server start-up, login, bundle fingerprint, feature parsing, JUnit);
//! 1. wall time of the whole seed suite (every built-in scenario) at `--concurrency 1` and at the
//!    default concurrency: in-process `execute` (embedded server start-up included), and the
//!    released `gws-conformance run` process (process start included);
//! 2. wall time as the scenario count grows: 10, 100, 1,000 and 10,000 copies of the built-in Accept
//!    scenarios (distinct customers, so distinct interactions), generated as `@bench` feature files
//!    into a temporary directory and run with `--features DIR --tags @bench`;
//! 3. the runner's overhead per exchange: the chat Accept happy-path scenario through the runner
//!    (its scenario durations) against the same exchange made by [`support::bare`];
//! 4. `gws_contract::validate` time per documented notification fixture;
//! 5. peak resident memory (`VmHWM` of `/proc/self/status`, reset between phases through
//!    `/proc/self/clear_refs`; `/usr/bin/time -f %M` for the CLI process);
//! 6. where a run's time goes: the reference server on a runtime of its own, so that the CPU
//!    time of its threads, of the runner's, and of the runner's schema validation
//!    (`steps::notifications::validation_totals`) can be told apart.
//!
//! Phase 2 also runs 100, 1,000 and 10,000 copies as `gws-conformance run` processes (issue 10:
//! ≥ 3,000 scenarios/s and ≤ 64 MiB at 10,000).
//!
//! The targets of issue 6 (seed suite < 1 s, 1,000 scenarios < 10 s, overhead < 20 %) are printed
//! next to the numbers, never asserted: a benchmark reports, it does not pass or fail on speed.
//! It does exit non-zero when a measured run did not pass every scenario, because the times of a
//! broken run mean nothing.
//!
//! The runner prints one console line per scenario. So that those lines do not bury the report,
//! the benchmark re-executes itself as a worker whose stdout is a pipe read by this process (as a
//! CI log would read it): lines starting with [`MARK`] are the report and are shown, the runner's
//! console lines are counted and discarded.

mod support;

use std::{
    io::{BufRead as _, BufReader, Write as _},
    path::{Path, PathBuf},
    process::{Command, Stdio},
    time::{Duration, Instant},
};

use gws_conformance::run::{self, RunArgs, RunOutcome, features, report};
use serde_json::json;

use support::bare::BareAgent;

/// Prefix of the worker's report lines.
const MARK: &str = "BENCH| ";
/// Environment variable that makes the process the worker.
const WORKER_ENV: &str = "GWS_BENCH_WORKER";

macro_rules! say {
    ($($arg:tt)*) => {{
        let text = format!($($arg)*);
        let mut out = std::io::stdout().lock();
        for line in text.lines() {
            let _ = writeln!(out, "{MARK}{line}");
        }
        if text.is_empty() {
            let _ = writeln!(out, "{MARK}");
        }
        let _ = out.flush();
    }};
}

fn main() {
    if std::env::var_os(WORKER_ENV).is_some() {
        std::process::exit(worker());
    }
    std::process::exit(parent());
}

/// Re-executes this benchmark as the worker and shows its report lines.
fn parent() -> i32 {
    let exe = match std::env::current_exe() {
        Ok(e) => e,
        Err(e) => {
            eprintln!("error: cannot find the benchmark executable: {e}");
            return 2;
        }
    };
    let mut child = match Command::new(exe)
        .args(std::env::args_os().skip(1))
        .env(WORKER_ENV, "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
    {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: cannot start the benchmark worker: {e}");
            return 2;
        }
    };
    let mut discarded: u64 = 0;
    if let Some(stdout) = child.stdout.take() {
        let mut out = std::io::stdout().lock();
        let mut reader = BufReader::new(stdout);
        let mut buf = Vec::new();
        // Bytes, not `lines()`: a line that is not UTF-8 must not stop the reading (the worker
        // would then block on a full pipe).
        loop {
            buf.clear();
            match reader.read_until(b'\n', &mut buf) {
                Ok(0) | Err(_) => break,
                Ok(_) => {}
            }
            let line = String::from_utf8_lossy(&buf);
            let line = line.trim_end_matches(['\n', '\r']);
            match line.strip_prefix(MARK) {
                Some(report) => {
                    let _ = writeln!(out, "{report}");
                    let _ = out.flush();
                }
                None => discarded += 1,
            }
        }
    }
    let status = child.wait();
    println!("(runner console lines read from the worker's pipe and discarded: {discarded})");
    match status {
        Ok(s) => s.code().unwrap_or(2),
        Err(e) => {
            eprintln!("error: waiting for the benchmark worker: {e}");
            2
        }
    }
}

/// Median, min and max of a sample.
#[derive(Clone, Copy, Debug, Default)]
struct Stats {
    median: Duration,
    min: Duration,
    max: Duration,
    n: usize,
}

fn stats(sample: &[Duration]) -> Stats {
    let mut v = sample.to_vec();
    v.sort();
    let n = v.len();
    let median = if n == 0 {
        Duration::ZERO
    } else if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2
    };
    Stats {
        median,
        min: v.first().copied().unwrap_or_default(),
        max: v.last().copied().unwrap_or_default(),
        n,
    }
}

fn ms(d: Duration) -> String {
    let v = d.as_secs_f64() * 1e3;
    if v < 10.0 {
        format!("{v:.2} ms")
    } else {
        format!("{v:.1} ms")
    }
}

/// `ms` above 100 µs, `us` below.
fn dur(d: Duration) -> String {
    if d < Duration::from_micros(100) {
        us(d)
    } else {
        ms(d)
    }
}

fn us(d: Duration) -> String {
    format!("{:.1} µs", d.as_secs_f64() * 1e6)
}

impl std::fmt::Display for Stats {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "median {} (min {}, max {}, n={})",
            dur(self.median),
            dur(self.min),
            dur(self.max),
            self.n
        )
    }
}

fn verdict(ok: bool) -> &'static str {
    if ok { "met" } else { "MISSED" }
}

/// Peak resident set size of this process since the last [`reset_peak`], in KiB.
fn peak_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// Current resident set size, in KiB.
fn rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// Resets `VmHWM` to the current RSS (Linux `clear_refs` value 5); false when not allowed.
fn reset_peak() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

fn mib(kib: Option<u64>) -> String {
    kib.map_or("n/a".into(), |k| format!("{:.1} MiB", k as f64 / 1024.0))
}

/// What went wrong in the worker (the benchmark stops: a broken run's times mean nothing).
#[derive(Debug)]
struct BenchError(String);

impl<E: std::fmt::Display> From<E> for BenchError {
    fn from(e: E) -> Self {
        BenchError(e.to_string())
    }
}

/// The rows of the closing summary table.
#[derive(Default)]
struct Summary {
    rows: Vec<[String; 4]>,
}

impl Summary {
    fn row(
        &mut self,
        what: impl Into<String>,
        value: impl Into<String>,
        target: &str,
        met: Option<bool>,
    ) {
        self.rows.push([
            what.into(),
            value.into(),
            target.to_string(),
            met.map_or(String::new(), |m| verdict(m).to_string()),
        ]);
    }
}

fn worker() -> i32 {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return 2;
        }
    };
    let started = Instant::now();
    let mut summary = Summary::default();
    match runtime.block_on(bench_all(&mut summary)) {
        Ok(()) => {
            say!("");
            say!("## Summary (issue 6 and issue 10 targets)");
            say!("");
            say!("| measurement | result | target | |");
            say!("|---|---|---|---|");
            for [a, b, c, d] in &summary.rows {
                say!("| {a} | {b} | {c} | {d} |");
            }
            say!("");
            say!("whole benchmark: {:.1} s", started.elapsed().as_secs_f64());
            0
        }
        Err(BenchError(e)) => {
            say!("BENCHMARK ABORTED: {e}");
            1
        }
    }
}

/// Arguments of one in-process run.
fn run_args(junit: &Path, concurrency: usize, extra: &[&str]) -> Result<RunArgs, BenchError> {
    let mut args: Vec<String> = vec![
        "--color".into(),
        "never".into(),
        "--junit".into(),
        junit.display().to_string(),
        "--concurrency".into(),
        concurrency.to_string(),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    RunArgs::from_args(args).map_err(|e| BenchError(format!("run flags: {e}")))
}

/// One in-process run, timed; an error unless every selected scenario (`expected` of them) passed.
async fn timed_run(args: RunArgs, expected: usize) -> Result<(Duration, RunOutcome), BenchError> {
    let t = Instant::now();
    let outcome = run::execute(args).await;
    let wall = t.elapsed();
    let c = outcome.counts;
    // A run that selects nothing exits 2 (a gate must not pass on nothing); it is measured too.
    let ok = if expected == 0 {
        outcome.exit_code == 2
            && outcome.record.scenarios.is_empty()
            && outcome.record.run_errors.is_empty()
    } else {
        outcome.exit_code == 0 && c.passed == expected
    };
    if !ok {
        let firsts: Vec<String> = outcome
            .record
            .scenarios
            .iter()
            .filter(|s| !matches!(s.outcome, report::Outcome::Passed))
            .take(3)
            .map(|s| format!("{}: {:?}", s.name, s.outcome))
            .collect();
        return Err(BenchError(format!(
            "a measured run did not pass: exit {}, {} (expected {expected} passed); {}",
            outcome.exit_code,
            c.line(),
            firsts.join(" | ")
        )));
    }
    Ok((wall, outcome))
}

/// What every phase needs, computed by phase 0.
struct Ctx {
    tmp: tempfile::TempDir,
    junit: PathBuf,
    default_c: usize,
    seed_scenarios: usize,
    accept: Vec<features::Loaded>,
    fixture_notes: Vec<gws_contract::Fixture>,
    /// Wall time of a whole run that selects no scenario (fixed cost of a run).
    empty: Stats,
}

/// Peaks and CLI numbers that phase 5 reports.
#[derive(Default)]
struct Memory {
    /// `clear_refs` was refused: each peak is the process's peak so far, not the phase's.
    cumulative: bool,
    seed_peak: Option<u64>,
    cli: Vec<(&'static str, Option<u64>)>,
    scale_1000: Option<u64>,
}

async fn bench_all(summary: &mut Summary) -> Result<(), BenchError> {
    let phases = std::env::var("GWS_BENCH_PHASES").ok();
    let want = |p: char| phases.as_deref().is_none_or(|list| list.contains(p));
    say!("# gws-conformance benchmark (issues 6 and 10)");
    say!("");
    say!(
        "machine: {} cores, {}; {}; load average at start: {}",
        cores(),
        mem_total(),
        rustc_version(),
        load_average()
    );
    say!(
        "profile: {}",
        if cfg!(debug_assertions) {
            "DEBUG (numbers are not representative)"
        } else {
            "release"
        }
    );
    if let Some(p) = &phases {
        say!("phases: 0 and {p} (GWS_BENCH_PHASES)");
    }
    say!("");
    let ctx = phase0_fixed_costs().await?;
    let mut memory = Memory::default();
    if want('1') {
        phase1_seed_suite(&ctx, summary, &mut memory).await?;
    }
    if want('2') {
        phase2_scaling(&ctx, summary, &mut memory).await?;
    }
    if want('3') {
        phase3_overhead(&ctx, summary).await?;
    }
    if want('4') {
        phase4_validation(&ctx, summary);
    }
    if want('5') {
        phase5_memory(&memory, summary);
    }
    if want('6') {
        phase6_split(&ctx, summary).await?;
    }
    Ok(())
}

/// Phase 0: the fixed costs of a run, piece by piece, with the runner's public API.
async fn phase0_fixed_costs() -> Result<Ctx, BenchError> {
    let tmp = tempfile::tempdir()?;
    let junit = tmp.path().join("junit.xml");
    let default_c = RunArgs::from_args(Vec::<String>::new())?.concurrency;
    say!("## 0. Fixed costs of a run (one sample each unless noted)");
    let fixture_notes: Vec<_> = gws_contract::fixtures()
        .into_iter()
        .filter(|f| f.provenance.kind == gws_contract::FixtureKind::Notification)
        .collect();
    let Some(first) = fixture_notes.first() else {
        return Err(BenchError(
            "the contract has no notification fixtures".into(),
        ));
    };
    let t = Instant::now();
    let _ = gws_contract::validate(&first.schema, &first.value, gws_contract::Mode::Lenient);
    say!(
        "- schema bundle parse + compile on first use (first validate call): {}",
        ms(t.elapsed())
    );
    let t = Instant::now();
    let sha = run::bundle_sha256();
    say!(
        "- bundle fingerprint (SHA-256 of features, schemas, fixtures; {}…): {}",
        &sha[..12],
        ms(t.elapsed())
    );
    let t = Instant::now();
    let seed = features::parse_all(features::embedded())?;
    let seed_scenarios: usize = match seed_tags() {
        None => features::scenario_count(&seed),
        Some(t) => {
            let op = features::parse_tags(&t).map_err(|e| BenchError(e.to_string()))?;
            seed.iter()
                .map(|l| {
                    l.feature
                        .scenarios
                        .iter()
                        .filter(|sc| features::selected(Some(&op), &l.feature, None, sc))
                        .count()
                })
                .sum()
        }
    };
    say!(
        "- parse the built-in features ({} files, {seed_scenarios} scenarios): {}",
        seed.len(),
        ms(t.elapsed())
    );
    let mut starts = Vec::new();
    let mut news = Vec::new();
    let mut logins = Vec::new();
    let mut ends = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        let server = gws_reference_server::start(
            gws_reference_server::ServerConfig::default(),
            ([127, 0, 0, 1], 0).into(),
        )
        .await?;
        starts.push(t.elapsed());
        let base = url::Url::parse(&server.base_url())?;
        let t = Instant::now();
        let agent = run::agent::AgentClient::new(run::agent::AgentConfig {
            state_url: base.join("/conformance/states")?,
            target: base,
            user: "agent1".into(),
            password: "secret1".into(),
            request_timeout: Duration::from_secs(10),
            state_credentials: false,
            tls: Default::default(),
            secrets: Default::default(),
        })?;
        news.push(t.elapsed());
        let mut agent = agent;
        let t = Instant::now();
        agent.login().await?;
        logins.push(t.elapsed());
        let t = Instant::now();
        agent.end_contact_center_session().await?;
        drop(agent);
        server.shutdown().await;
        ends.push(t.elapsed());
    }
    say!("- embedded reference server start-up: {}", stats(&starts));
    say!(
        "- `AgentClient::new` (builds the reqwest client; no TLS roots are loaded for an http:// target): {}",
        stats(&news)
    );
    say!(
        "- agent login (GET /me, CometD handshake + subscribe, StartContactCenterSession, 3× Ready): {}",
        stats(&logins)
    );
    say!(
        "- EndContactCenterSession + /meta/disconnect + server shutdown: {}",
        stats(&ends)
    );
    let mut empties = Vec::new();
    for _ in 0..6 {
        let args = run_args(&junit, default_c, &["--tags", "@no-such-tag"])?;
        empties.push(timed_run(args, 0).await?.0);
    }
    say!(
        "- a whole in-process run selecting no scenario (server start-up, login, end, JUnit): first {}",
        ms(empties[0])
    );
    let empty = stats(&empties[1..]);
    say!("- the same, repeated: {empty}");
    say!("");
    let accept = seed
        .into_iter()
        .filter(|l| l.source.path.ends_with("/accept.feature"))
        .collect();
    Ok(Ctx {
        tmp,
        junit,
        default_c,
        seed_scenarios,
        accept,
        fixture_notes,
        empty,
    })
}

/// `GWS_BENCH_TAGS`: a tag expression narrowing phase 1 to part of the built-in suite (to
/// compare with a commit whose suite was smaller), e.g. `@accept or @consult`.
fn seed_tags() -> Option<String> {
    std::env::var("GWS_BENCH_TAGS")
        .ok()
        .filter(|t| !t.trim().is_empty())
}

/// The `--tags` flags of phase 1 (none without `GWS_BENCH_TAGS`).
fn seed_flags() -> Vec<String> {
    seed_tags()
        .map(|t| vec!["--tags".into(), t])
        .unwrap_or_default()
}

/// Phase 1: the seed suite, in-process and as a CLI process, at concurrency 1 and default.
async fn phase1_seed_suite(
    ctx: &Ctx,
    summary: &mut Summary,
    memory: &mut Memory,
) -> Result<(), BenchError> {
    let n = ctx.seed_scenarios;
    say!("## 1. Seed suite ({n} built-in scenarios), wall time");
    memory.cumulative |= !reset_peak();
    for (label, c) in [
        ("--concurrency 1", 1),
        ("default concurrency", ctx.default_c),
    ] {
        let mut walls = Vec::new();
        for _ in 0..10 {
            let flags = seed_flags();
            let flags: Vec<&str> = flags.iter().map(String::as_str).collect();
            walls.push(timed_run(run_args(&ctx.junit, c, &flags)?, n).await?.0);
        }
        let s = stats(&walls);
        say!("- in-process `execute`, {label} ({c}): {s}");
        summary.row(
            format!("seed suite, in-process `execute`, {label}"),
            ms(s.median),
            "< 1 s",
            Some(s.median < Duration::from_secs(1)),
        );
    }
    memory.seed_peak = peak_kib();
    let cli = env!("CARGO_BIN_EXE_gws-conformance");
    for (label, c) in [
        ("--concurrency 1", 1),
        ("default concurrency", ctx.default_c),
    ] {
        let mut walls = Vec::new();
        let mut peaks = Vec::new();
        for _ in 0..5 {
            let (wall, peak) = run_cli(cli, ctx.tmp.path(), c, &seed_flags())?;
            walls.push(wall);
            peaks.extend(peak);
        }
        let s = stats(&walls);
        let peak = peaks.iter().max().copied();
        say!(
            "- `gws-conformance run` process, {label} ({c}): {s}; peak RSS {}",
            mib(peak)
        );
        // Issue 10: the whole built-in suite (every page × media), server start included.
        let target = if c == 1 { "< 1 s" } else { "< 0.3 s" };
        let limit = Duration::from_millis(if c == 1 { 1000 } else { 300 });
        summary.row(
            format!("whole built-in suite, `gws-conformance run` process, {label}"),
            ms(s.median),
            target,
            Some(s.median < limit),
        );
        memory.cli.push((label, peak));
    }
    say!("");
    Ok(())
}

/// Phase 2: 10, 100, 1,000 and 10,000 copies of the Accept scenarios, in-process; then 100,
/// 1,000 and 10,000 as `gws-conformance run` processes (embedded server, `/usr/bin/time` peak).
async fn phase2_scaling(
    ctx: &Ctx,
    summary: &mut Summary,
    memory: &mut Memory,
) -> Result<(), BenchError> {
    let c = ctx.default_c;
    say!(
        "## 2. Scenario count: copies of the built-in Accept scenarios (`--features DIR --tags @bench`, default concurrency {c})"
    );
    say!("In-process `execute` (peak RSS: the benchmark process, reset before each count):");
    say!("");
    say!("| scenarios | median wall | min | max | per scenario | scenarios/s | peak RSS |");
    say!("|---|---|---|---|---|---|---|");
    let mut per_scenario = Vec::new();
    let mut notes_1000 = Vec::new();
    for (copies, reps) in [(10usize, 5usize), (100, 5), (1000, 3), (10_000, 1)] {
        let dir = ctx.tmp.path().join(format!("bench-{copies}"));
        write_copies(&dir, &ctx.accept, copies, "bench", None)?;
        memory.cumulative |= !reset_peak();
        let mut walls = Vec::new();
        let mut last = None;
        for _ in 0..reps {
            let dir = dir.display().to_string();
            let args = run_args(&ctx.junit, c, &["--features", &dir, "--tags", "@bench"])?;
            let (wall, outcome) = timed_run(args, copies).await?;
            walls.push(wall);
            last = Some(outcome);
        }
        let peak = peak_kib();
        let s = stats(&walls);
        let per = s.median.saturating_sub(ctx.empty.median) / copies as u32;
        let rate = copies as f64 / s.median.as_secs_f64();
        say!(
            "| {copies} | {} | {} | {} | {} | {rate:.0} | {} |",
            ms(s.median),
            ms(s.min),
            ms(s.max),
            ms(per),
            mib(peak)
        );
        if copies >= 100 {
            per_scenario.push(format!("{copies}: {}", ms(per)));
            summary.row(
                format!("{copies} Accept scenarios, in-process, default concurrency: scenarios/s (median wall)"),
                format!("{rate:.0} ({})", ms(s.median)),
                if copies == 10_000 { "≥ 3,000" } else { "" },
                (copies == 10_000).then_some(rate >= 3000.0),
            );
            summary.row(
                format!("peak RSS, in-process, {copies}-scenario runs (benchmark process)"),
                mib(peak),
                if copies == 10_000 { "≤ 64 MiB" } else { "" },
                (copies == 10_000).then(|| peak.is_some_and(|k| k <= 64 * 1024)),
            );
        }
        if copies == 1000 {
            summary.row(
                "1,000 Accept scenarios, default concurrency",
                ms(s.median),
                "< 10 s",
                Some(s.median < Duration::from_secs(10)),
            );
            memory.scale_1000 = peak;
            // Looked at now, and dropped before the 10,000 run (its peak would include it).
            if let Some(outcome) = last.take() {
                notes_1000 = analyse_1000(ctx, &outcome, c)?;
            }
        }
    }
    say!("(per scenario = (median − median of a run selecting no scenario) / scenarios)");
    for line in &notes_1000 {
        say!("{line}");
    }
    summary.row(
        "cost per scenario, in-process (linear if flat)",
        per_scenario.join(", "),
        "linear",
        None,
    );
    say!("");
    say!(
        "`gws-conformance run` processes (process start and embedded server included; peak RSS of the process by `/usr/bin/time -f %M`):"
    );
    say!("");
    say!("| scenarios | median wall | min | max | scenarios/s | peak RSS |");
    say!("|---|---|---|---|---|---|");
    let cli = env!("CARGO_BIN_EXE_gws-conformance");
    for (copies, reps) in [(100usize, 3usize), (1000, 3), (10_000, 1)] {
        let dir = ctx
            .tmp
            .path()
            .join(format!("bench-{copies}"))
            .display()
            .to_string();
        let extra: Vec<String> = ["--features", &dir, "--tags", "@bench"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let mut walls = Vec::new();
        let mut peaks = Vec::new();
        for _ in 0..reps {
            let (wall, peak) = run_cli(cli, ctx.tmp.path(), c, &extra)?;
            walls.push(wall);
            peaks.extend(peak);
        }
        let s = stats(&walls);
        let peak = peaks.iter().max().copied();
        let rate = copies as f64 / s.median.as_secs_f64();
        say!(
            "| {copies} | {} | {} | {} | {rate:.0} | {} |",
            ms(s.median),
            ms(s.min),
            ms(s.max),
            mib(peak)
        );
        summary.row(
            format!("{copies} Accept scenarios, `gws-conformance run` process: scenarios/s (median wall); peak RSS"),
            format!("{rate:.0} ({}); {}", ms(s.median), mib(peak)),
            if copies == 10_000 { "≥ 3,000; ≤ 64 MiB" } else { "" },
            (copies == 10_000).then(|| rate >= 3000.0 && peak.is_some_and(|k| k <= 64 * 1024)),
        );
    }
    say!("");
    Ok(())
}

/// Each scenario's duration (start to finish) in `outcome`'s record.
fn durations_of(outcome: &RunOutcome) -> Vec<Duration> {
    outcome
        .record
        .scenarios
        .iter()
        .map(|s| s.duration)
        .collect()
}

/// What the last 1,000-scenario run says besides its wall time (report lines): scenario
/// durations, the cost of reading the generated files and of rendering its JUnit report.
fn analyse_1000(ctx: &Ctx, outcome: &RunOutcome, c: usize) -> Result<Vec<String>, BenchError> {
    let durations = durations_of(outcome);
    let mut lines = vec![format!(
        "- scenario durations in the last 1,000 run (start→finish, {c} at a time): {}",
        stats(&durations)
    )];
    let dir = ctx.tmp.path().join("bench-1000");
    let t = Instant::now();
    let parsed = features::parse_all(features::from_dir(&dir)?)?;
    lines.push(format!(
        "- read + parse the 1,000 generated scenarios ({} files): {}",
        parsed.len(),
        ms(t.elapsed())
    ));
    let t = Instant::now();
    let text = report::junit::render(&outcome.record, &report::junit::ReportMeta::default());
    lines.push(format!(
        "- JUnit render of the 1,000-scenario record ({} KiB): {}",
        text.len() / 1024,
        ms(t.elapsed())
    ));
    Ok(lines)
}

/// Phase 3: the chat Accept exchange through the runner vs bare.
async fn phase3_overhead(ctx: &Ctx, summary: &mut Summary) -> Result<(), BenchError> {
    const EXCHANGES: usize = 100;
    const ROUNDS: usize = 3;
    say!(
        "## 3. Overhead per exchange: chat Accept (provider state, Invited, Accept, 3 notifications), {ROUNDS} interleaved rounds of {EXCHANGES} exchanges per side, one exchange at a time"
    );
    let happy: Vec<_> = ctx
        .accept
        .iter()
        .filter(|l| l.source.path.ends_with("chat/accept.feature"))
        .cloned()
        .collect();
    let dir = ctx.tmp.path().join("bench-exchange");
    write_copies(&dir, &happy, EXCHANGES, "exchange", Some(HAPPY_CHAT))?;
    let dir = dir.display().to_string();
    // Interleaved rounds (runner, then bare) so that drift of the machine hits both sides alike.
    // For profiling one side alone (e.g. under callgrind): GWS_BENCH_SIDE=runner or bare.
    let side = std::env::var("GWS_BENCH_SIDE").unwrap_or_default();
    let (mut r_dur, mut r_wall, mut r_cpu) = (Vec::new(), Duration::ZERO, Duration::ZERO);
    let (mut b_core, mut b_full, mut b_cpu) = (Vec::new(), Vec::new(), Duration::ZERO);
    for _ in 0..ROUNDS {
        if side != "bare" {
            let (durations, wall, cpu) = runner_exchanges(ctx, &dir, EXCHANGES).await?;
            r_dur.extend(durations);
            r_wall += wall.saturating_sub(ctx.empty.median);
            r_cpu += cpu;
        }
        if side != "runner" {
            let (core, full, cpu) = bare_exchanges(EXCHANGES).await?;
            b_core.extend(core);
            b_full.extend(full);
            b_cpu += cpu;
        }
    }
    let total = (ROUNDS * EXCHANGES) as u32;
    let runner = stats(&r_dur);
    let core = stats(&b_core);
    let full = stats(&b_full);
    if side != "bare" {
        say!("- through the runner (scenario start→finish, teardown included): {runner}");
        say!(
            "- through the runner, mean from wall time ((run − empty run) / scenarios): {}; CPU time of all threads per exchange (run-wide costs included): {}",
            ms(r_wall / total),
            ms(r_cpu / total)
        );
    }
    if side != "runner" {
        say!("- bare reqwest + bare long-poll, exchange only: {core}");
        say!(
            "- bare, exchange + provider-state teardown (the runner's wire traffic): {full}; CPU time of all threads per exchange: {}",
            ms(b_cpu / total)
        );
    }
    if !side.is_empty() {
        return Ok(());
    }
    let overhead = |runner: Duration, bare: Duration| {
        (runner.as_secs_f64() / bare.as_secs_f64() - 1.0) * 100.0
    };
    let o_full = overhead(runner.median, full.median);
    let o_core = overhead(runner.median, core.median);
    say!("- runner overhead, same wire traffic (median vs median): {o_full:.1} %");
    say!("- runner overhead vs the exchange without teardown: {o_core:.1} %");
    summary.row(
        "runner overhead per exchange (same wire traffic, teardown included)",
        format!(
            "{o_full:.1} % ({} vs {})",
            ms(runner.median),
            ms(full.median)
        ),
        "< 20 %",
        Some(o_full < 20.0),
    );
    summary.row(
        "runner overhead per exchange (vs bare without teardown)",
        format!(
            "{o_core:.1} % ({} vs {})",
            ms(runner.median),
            ms(core.median)
        ),
        "< 20 %",
        Some(o_core < 20.0),
    );

    // Where the difference goes: the cucumber executor alone, with no-op steps.
    let noop = support::noop::run(&dir, EXCHANGES)
        .await
        .map_err(BenchError)?;
    say!(
        "- cucumber executor alone, same {HAPPY_CHAT_STEPS} steps as no-ops (same feature files, parser, hooks, concurrency 1): {}",
        stats(&noop)
    );
    say!("");
    Ok(())
}

/// The chat Accept scenario copies in `dir` through the runner at concurrency 1, after one
/// warm-up run: scenario durations, the run's wall time and its CPU time (all threads).
async fn runner_exchanges(
    ctx: &Ctx,
    dir: &str,
    n: usize,
) -> Result<(Vec<Duration>, Duration, Duration), BenchError> {
    let args = run_args(&ctx.junit, 1, &["--features", dir, "--tags", "@exchange"])?;
    timed_run(args.clone(), n).await?;
    let cpu0 = cpu_time();
    let (wall, outcome) = timed_run(args, n).await?;
    let cpu = cpu_time().saturating_sub(cpu0);
    let durations = durations_of(&outcome);
    Ok((durations, wall, cpu))
}

/// `n` bare chat Accept exchanges against a fresh embedded server, after 20 warm-up ones:
/// stats without and with the teardown, and their CPU time (all threads).
async fn bare_exchanges(n: usize) -> Result<(Vec<Duration>, Vec<Duration>, Duration), BenchError> {
    let server = gws_reference_server::start(
        gws_reference_server::ServerConfig::default(),
        ([127, 0, 0, 1], 0).into(),
    )
    .await?;
    let mut agent = BareAgent::login(&server.base_url(), "agent1", "secret1")
        .await
        .map_err(|e| BenchError(e.0))?;
    for i in 0..20 {
        agent
            .accept_exchange(&format!("Warm{i:03}"))
            .await
            .map_err(|e| BenchError(e.0))?;
    }
    let mut core = Vec::new();
    let mut full = Vec::new();
    let cpu0 = cpu_time();
    for i in 0..n {
        let t = agent
            .accept_exchange(&format!("Bare{i:04}"))
            .await
            .map_err(|e| BenchError(e.0))?;
        core.push(t.exchange);
        full.push(t.exchange + t.teardown);
    }
    let cpu = cpu_time().saturating_sub(cpu0);
    drop(agent);
    server.shutdown().await;
    Ok((core, full, cpu))
}

/// Phase 4: `gws_contract::validate` per documented notification.
fn phase4_validation(ctx: &Ctx, summary: &mut Summary) {
    say!(
        "## 4. Schema validation per notification (`gws_contract::validate`, lenient; strict where it differs)"
    );
    say!("| fixture | schema | lenient | strict |");
    say!("|---|---|---|---|");
    let mut per_note = Vec::new();
    for f in &ctx.fixture_notes {
        let lenient = time_validate(&f.schema, &f.value, gws_contract::Mode::Lenient);
        let strict = time_validate(&f.schema, &f.value, gws_contract::Mode::Strict);
        per_note.push(lenient);
        say!(
            "| {} | {} | {} | {} |",
            f.path,
            f.schema,
            us(lenient),
            us(strict)
        );
    }
    let envelope = json!({"channel": "/v2/me/chats", "data": ctx.fixture_notes[0].value});
    let env_t = time_validate("bayeux-envelope", &envelope, gws_contract::Mode::Lenient);
    let v = stats(&per_note);
    say!(
        "- per notification: median {} (min {}, max {}, {} fixtures); the runner also validates the Bayeux envelope: {}",
        us(v.median),
        us(v.min),
        us(v.max),
        v.n,
        us(env_t)
    );
    summary.row(
        "schema validation per notification (median, lenient)",
        format!("{} + {} envelope", us(v.median), us(env_t)),
        "",
        None,
    );
    say!("");
}

/// Phase 5: peak memory.
fn phase5_memory(memory: &Memory, summary: &mut Summary) {
    say!("## 5. Peak memory (resident set, VmHWM)");
    if memory.cumulative {
        say!("(/proc/self/clear_refs was refused: in-process peaks are cumulative since start)");
    }
    say!(
        "- in-process, seed-suite runs (10 + 10): {}",
        mib(memory.seed_peak)
    );
    if memory.scale_1000.is_some() {
        say!(
            "- in-process, 1,000-scenario runs: {}",
            mib(memory.scale_1000)
        );
        summary.row(
            "peak RSS, 1,000 scenarios (in-process, benchmark process)",
            mib(memory.scale_1000),
            "",
            None,
        );
    }
    for (label, peak) in &memory.cli {
        say!(
            "- `gws-conformance run` process, seed suite, {label}: {}",
            mib(*peak)
        );
        summary.row(
            format!("peak RSS, `gws-conformance run` process, seed suite, {label}"),
            mib(*peak),
            "",
            None,
        );
    }
    say!("- benchmark process now: RSS {}", mib(rss_kib()));
}

/// Name prefix of the threads of phase 6's server runtime (a thread's `comm` holds 15 bytes).
const SERVER_THREADS: &str = "gws-bench-srv";

/// CPU time (nanoseconds on CPU, `/proc/self/task/*/schedstat`) of this process's threads:
/// (those of phase 6's server runtime, all the others).
fn cpu_split() -> (Duration, Duration) {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return (Duration::ZERO, Duration::ZERO);
    };
    let (mut server, mut other) = (0u64, 0u64);
    for t in tasks.flatten() {
        let ns = std::fs::read_to_string(t.path().join("schedstat"))
            .ok()
            .and_then(|s| s.split_whitespace().next()?.parse::<u64>().ok())
            .unwrap_or(0);
        let comm = std::fs::read_to_string(t.path().join("comm")).unwrap_or_default();
        if comm.starts_with(SERVER_THREADS) {
            server += ns;
        } else {
            other += ns;
        }
    }
    (Duration::from_nanos(server), Duration::from_nanos(other))
}

/// Phase 6: where a run's time goes. The reference server runs on a tokio runtime of its own
/// (threads named [`SERVER_THREADS`]) and the runner reaches it with `--target`, so each side's
/// CPU time can be read per thread; the runner's schema validation is timed by the runner itself
/// (`steps::notifications::validation_totals`). Threads of a dead runtime are gone from
/// `/proc`, so each figure is a difference taken while both runtimes live.
async fn phase6_split(ctx: &Ctx, summary: &mut Summary) -> Result<(), BenchError> {
    use gws_conformance::run::steps::notifications::validation_totals;
    let c = ctx.default_c;
    say!(
        "## 6. Where the time goes: runner, schema validation, server (CPU time of each side's threads; default concurrency {c})"
    );
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name(SERVER_THREADS)
        .enable_all()
        .build()?;
    let server = rt
        .spawn(gws_reference_server::start(
            gws_reference_server::ServerConfig::default(),
            std::net::SocketAddr::from(([127, 0, 0, 1], 0)),
        ))
        .await??;
    let target = server.base_url();
    let dir = ctx.tmp.path().join("split-1000");
    write_copies(&dir, &ctx.accept, 1000, "bench", None)?;
    let dir = dir.display().to_string();
    let dir_10k = ctx.tmp.path().join("split-10000");
    write_copies(&dir_10k, &ctx.accept, 10_000, "bench", None)?;
    let dir_10k = dir_10k.display().to_string();
    let seed_flags = seed_flags();
    let mut seed: Vec<&str> = vec!["--target", &target];
    seed.extend(seed_flags.iter().map(String::as_str));
    let copies: Vec<&str> = vec!["--target", &target, "--features", &dir, "--tags", "@bench"];
    let copies_10k: Vec<&str> = vec![
        "--target",
        &target,
        "--features",
        &dir_10k,
        "--tags",
        "@bench",
    ];
    say!(
        "| workload | wall (median) | runner CPU, without validation | schema validation | server CPU | validations per scenario | split runner / validation / server |"
    );
    say!("|---|---|---|---|---|---|---|");
    let workloads = [
        ("whole built-in suite", seed, ctx.seed_scenarios, 5usize),
        ("1,000 Accept copies", copies, 1000, 3),
        ("10,000 Accept copies", copies_10k, 10_000, 1),
    ];
    for (label, flags, n, reps) in workloads {
        let mut rows: Vec<(Duration, Duration, Duration, Duration, u64)> = Vec::new();
        for _ in 0..reps {
            let (s0, r0) = cpu_split();
            let (v0, vt0) = validation_totals();
            let (wall, _) = timed_run(run_args(&ctx.junit, c, &flags)?, n).await?;
            let (s1, r1) = cpu_split();
            let (v1, vt1) = validation_totals();
            let validation = vt1.saturating_sub(vt0);
            let runner = r1.saturating_sub(r0).saturating_sub(validation);
            rows.push((wall, runner, validation, s1.saturating_sub(s0), v1 - v0));
        }
        // The repetition of median wall time stands for the workload.
        rows.sort_by_key(|r| r.0);
        let (wall, runner, validation, server_cpu, count) = rows[rows.len() / 2];
        let total = (runner + validation + server_cpu).as_secs_f64().max(1e-9);
        let pct = |d: Duration| 100.0 * d.as_secs_f64() / total;
        let per = |d: Duration| us(d / n as u32);
        let split = format!(
            "{:.0} % / {:.1} % / {:.0} %",
            pct(runner),
            pct(validation),
            pct(server_cpu)
        );
        say!(
            "| {label} ({n}) | {} | {} ({} per scenario) | {} ({} per scenario) | {} ({} per scenario) | {:.1} | {split} |",
            ms(wall),
            ms(runner),
            per(runner),
            ms(validation),
            per(validation),
            ms(server_cpu),
            per(server_cpu),
            count as f64 / n as f64
        );
        summary.row(
            format!("CPU split runner / schema validation / server, {label}"),
            split,
            "",
            None,
        );
    }
    say!(
        "(runner CPU: every thread but the server's, the benchmark's own idle threads included, minus the time inside `gws_contract::validate`; wall time is not the CPU sum: both sides share the 2 cores)"
    );
    rt.spawn(server.shutdown()).await?;
    rt.shutdown_background();
    say!("");
    Ok(())
}

/// The scenario measured per exchange.
const HAPPY_CHAT: &str = "agent accepts chat -> receives Chatting status";
/// Its number of steps.
const HAPPY_CHAT_STEPS: usize = 7;

/// CPU time (user + system) of every live thread of this process, from
/// `/proc/self/task/*/schedstat` (nanoseconds on CPU); zero where unreadable.
fn cpu_time() -> Duration {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return Duration::ZERO;
    };
    let mut ns: u64 = 0;
    for t in tasks.flatten() {
        if let Ok(s) = std::fs::read_to_string(t.path().join("schedstat")) {
            ns += s
                .split_whitespace()
                .next()
                .and_then(|v| v.parse::<u64>().ok())
                .unwrap_or(0);
        }
    }
    Duration::from_nanos(ns)
}

/// Mean time of one `validate` call, over at least 20 ms of calls.
fn time_validate(schema: &str, value: &serde_json::Value, mode: gws_contract::Mode) -> Duration {
    let _ = std::hint::black_box(gws_contract::validate(schema, value, mode));
    let mut n: u32 = 0;
    let t = Instant::now();
    while t.elapsed() < Duration::from_millis(20) || n < 100 {
        let _ = std::hint::black_box(gws_contract::validate(
            schema,
            std::hint::black_box(value),
            mode,
        ));
        n += 1;
    }
    t.elapsed() / n
}

/// Writes `count` copies of the scenarios of `features` (cycled in order; only those named
/// `only` when given) into `dir`, one file per source feature, tagged `@{tag}`. Every copy gets a
/// distinct customer nickname, so each creates and judges its own interaction.
fn write_copies(
    dir: &Path,
    features: &[features::Loaded],
    count: usize,
    tag: &str,
    only: Option<&str>,
) -> Result<(), BenchError> {
    let mut pool = Vec::new();
    for (fi, l) in features.iter().enumerate() {
        for sc in &l.feature.scenarios {
            if only.is_none_or(|n| sc.name == n) {
                pool.push((fi, sc));
            }
        }
    }
    if pool.is_empty() {
        return Err(BenchError("no scenario to copy".into()));
    }
    let mut texts: Vec<String> = features
        .iter()
        .map(|l| {
            let tags: Vec<String> = l.feature.tags.iter().map(|t| format!("@{t}")).collect();
            format!(
                "{} @{tag}\nFeature: {} (benchmark copies)\n\n",
                tags.join(" "),
                l.feature.name
            )
        })
        .collect();
    for k in 0..count {
        let (fi, sc) = pool[k % pool.len()];
        let customer = sc.steps.iter().find_map(|s| {
            let rest = s.value.split("from customer \"").nth(1)?;
            rest.split('"').next().map(str::to_string)
        });
        let fresh = format!("Bench{k:05}");
        let text = &mut texts[fi];
        if !sc.tags.is_empty() {
            let tags: Vec<String> = sc.tags.iter().map(|t| format!("@{t}")).collect();
            text.push_str(&format!("  {}\n", tags.join(" ")));
        }
        text.push_str(&format!("  Scenario: {} [copy {k}]\n", sc.name));
        for s in &sc.steps {
            let mut value = s.value.clone();
            if let Some(c) = &customer {
                value = value.replace(&format!("\"{c}\""), &format!("\"{fresh}\""));
            }
            text.push_str(&format!("    {} {value}\n", s.keyword.trim()));
            // A step's data table (e.g. `with:` parameters) is copied too.
            for row in s.table.iter().flat_map(|t| t.rows.iter()) {
                text.push_str(&format!("      | {} |\n", row.join(" | ")));
            }
        }
        text.push('\n');
    }
    std::fs::create_dir_all(dir)?;
    for (l, text) in features.iter().zip(texts) {
        if !text.contains("Scenario:") {
            continue;
        }
        let name = l.source.classname.replace('.', "-");
        std::fs::write(dir.join(format!("{name}.feature")), text)?;
    }
    Ok(())
}

/// One `gws-conformance run` process (the seed suite, narrowed or replaced by `extra`): wall
/// time and peak RSS (KiB, through `/usr/bin/time` when installed).
fn run_cli(
    cli: &str,
    tmp: &Path,
    concurrency: usize,
    extra: &[String],
) -> Result<(Duration, Option<u64>), BenchError> {
    let junit = tmp.join("cli-junit.xml");
    let rss_file = tmp.join("cli-rss.txt");
    let time = PathBuf::from("/usr/bin/time");
    let run_args: Vec<String> = [
        "run".to_string(),
        "--color".into(),
        "never".into(),
        "--junit".into(),
        junit.display().to_string(),
        "--concurrency".into(),
        concurrency.to_string(),
    ]
    .into_iter()
    .chain(extra.iter().cloned())
    .collect::<Vec<_>>();
    let mut cmd = if time.exists() {
        let mut c = Command::new(&time);
        c.arg("-f").arg("%M").arg("-o").arg(&rss_file).arg(cli);
        c
    } else {
        Command::new(cli)
    };
    cmd.args(&run_args)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let t = Instant::now();
    let status = cmd.status()?;
    let wall = t.elapsed();
    if !status.success() {
        return Err(BenchError(format!(
            "`gws-conformance run --concurrency {concurrency}` exited with {status}"
        )));
    }
    let peak = std::fs::read_to_string(&rss_file)
        .ok()
        .and_then(|s| s.lines().last().and_then(|l| l.trim().parse().ok()));
    Ok((wall, peak))
}

/// `/proc/loadavg`'s 1, 5 and 15 minute averages (other work on the machine skews the numbers).
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|| "unknown".into())
}

fn cores() -> usize {
    std::thread::available_parallelism().map_or(0, |n| n.get())
}

fn mem_total() -> String {
    std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines()
                .find_map(|l| l.strip_prefix("MemTotal:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        })
        .map_or("memory unknown".into(), |k| {
            format!("{:.1} GiB RAM", k as f64 / 1024.0 / 1024.0)
        })
}

fn rustc_version() -> String {
    Command::new("rustc")
        .arg("-V")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map_or("rustc unknown".into(), |s| s.trim().to_string())
}
