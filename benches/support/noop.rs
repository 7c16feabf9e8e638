//! The cucumber executor alone (issue 6, measurement 3's breakdown): the same generated feature
//! files run through cucumber with the same parser, hooks and concurrency as the runner, but with
//! a world whose steps do nothing. Its per-scenario time is the share of the runner's
//! per-exchange time that the Gherkin executor itself costs (step matching, world creation, hook
//! and event plumbing), independent of HTTP, CometD and judging.

use std::{
    collections::HashMap,
    path::Path,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use cucumber::{Event, World as _, Writer, event, given, parser, then, when};
use futures::FutureExt as _;
use gws_conformance::run::features;

/// A world with no state.
#[derive(Debug, Default, cucumber::World)]
pub struct NoopWorld;

#[given(regex = r"^.*$")]
async fn any_given(_world: &mut NoopWorld) {}

#[when(regex = r"^.*$")]
async fn any_when(_world: &mut NoopWorld) {}

#[then(regex = r"^.*$")]
async fn any_then(_world: &mut NoopWorld) {}

/// Records each scenario's start→finish time, like the runner's report writer does.
struct Timing {
    started: HashMap<(String, usize, usize), Instant>,
    done: Arc<Mutex<Vec<Duration>>>,
    problems: Arc<Mutex<Vec<String>>>,
}

impl Writer<NoopWorld> for Timing {
    type Cli = cucumber::cli::Empty;

    async fn handle_event(
        &mut self,
        event: parser::Result<Event<event::Cucumber<NoopWorld>>>,
        _cli: &Self::Cli,
    ) {
        match event.map(Event::into_inner) {
            Ok(event::Cucumber::Feature(f, event::Feature::Scenario(sc, ev))) => {
                let path = f
                    .path
                    .as_ref()
                    .map(|p| p.display().to_string())
                    .unwrap_or_default();
                let key = (path, sc.position.line, sc.position.col);
                match ev.event {
                    event::Scenario::Started => {
                        self.started.insert(key, Instant::now());
                    }
                    event::Scenario::Finished => {
                        if let Some(t) = self.started.remove(&key)
                            && let Ok(mut d) = self.done.lock()
                        {
                            d.push(t.elapsed());
                        }
                    }
                    event::Scenario::Step(step, event::Step::Failed(..)) => {
                        if let Ok(mut p) = self.problems.lock() {
                            p.push(format!("{}: step `{}` failed", sc.name, step.value));
                        }
                    }
                    _ => {}
                }
            }
            Err(e) => {
                if let Ok(mut p) = self.problems.lock() {
                    p.push(e.to_string());
                }
            }
            Ok(_) => {}
        }
    }
}

impl cucumber::writer::Normalized for Timing {}

/// Runs every scenario of the `.feature` files under `dir` with no-op steps, one at a time.
/// Returns each scenario's duration; an error unless exactly `expected` scenarios finished
/// without a failed step.
pub async fn run(dir: &str, expected: usize) -> Result<Vec<Duration>, String> {
    let loaded = features::from_dir(Path::new(dir))
        .and_then(features::parse_all)
        .map_err(|e| e.to_string())?;
    let parsed: Vec<_> = loaded.into_iter().map(|l| l.feature).collect();
    let done = Arc::new(Mutex::new(Vec::new()));
    let problems = Arc::new(Mutex::new(Vec::new()));
    let writer = Timing {
        started: HashMap::new(),
        done: Arc::clone(&done),
        problems: Arc::clone(&problems),
    };
    NoopWorld::cucumber::<&str>()
        .with_parser(features::Preparsed(parsed))
        .with_writer(writer)
        .fail_on_skipped()
        .max_concurrent_scenarios(1)
        .before(|_, _, _, _| async {}.boxed_local())
        .after(|_, _, _, _, _| async {}.boxed_local())
        .with_default_cli()
        .filter_run((), |_, _, _| true)
        .await;
    let problems = problems.lock().map(|p| p.clone()).unwrap_or_default();
    let done = done.lock().map(|d| d.clone()).unwrap_or_default();
    if !problems.is_empty() || done.len() != expected {
        return Err(format!(
            "no-op cucumber run: {} of {expected} scenarios finished; {}",
            done.len(),
            problems.join(" | ")
        ));
    }
    Ok(done)
}
