//! Signals that end a run early: SIGINT (Ctrl-C), SIGTERM (what `timeout`, `docker stop`,
//! Kubernetes and CI cancellation send) and SIGHUP (a closed terminal). The runner counts them:
//! the first ends the phase in progress (login, handshake, scenarios, end of session) and the run
//! writes its reports; a further one ends the end of the session at once instead of waiting for
//! a hanging `EndContactCenterSession`.

use tokio::sync::watch;

/// The signals received so far: how many, and the name of the last one.
#[derive(Debug)]
pub struct Interrupts {
    rx: watch::Receiver<(u32, &'static str)>,
    task: tokio::task::JoinHandle<()>,
}

impl Interrupts {
    /// Starts listening for SIGINT, SIGTERM and SIGHUP (on other platforms: Ctrl-C). Must be
    /// called inside a tokio runtime. From now on these signals no longer kill the process: the
    /// runner must end its phases when [`Interrupts::after`] resolves.
    pub fn listen() -> Self {
        let (tx, rx) = watch::channel((0u32, ""));
        let task = tokio::spawn(async move {
            let mut signals = Signals::install();
            let mut received = 0u32;
            while let Some(name) = signals.next().await {
                received += 1;
                if tx.send((received, name)).is_err() {
                    return;
                }
            }
        });
        Self { rx, task }
    }

    /// How many signals arrived so far.
    pub fn count(&self) -> u32 {
        self.rx.borrow().0
    }

    /// Resolves with the signal's name (`SIGTERM`, ...) once more than `seen` signals arrived.
    pub async fn after(&self, seen: u32) -> &'static str {
        let mut rx = self.rx.clone();
        match rx.wait_for(|(n, _)| *n > seen).await {
            Ok(v) => v.1,
            // The listener ended (it never does while `self` lives): never resolve.
            Err(_) => std::future::pending().await,
        }
    }
}

impl Drop for Interrupts {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// The signal streams, installed once per run (a signal between two waits is not lost).
#[cfg(unix)]
struct Signals([Option<tokio::signal::unix::Signal>; 3]);

#[cfg(unix)]
impl Signals {
    const NAMES: [&'static str; 3] = ["SIGINT", "SIGTERM", "SIGHUP"];

    fn install() -> Self {
        use tokio::signal::unix::{SignalKind, signal};
        Self(
            [
                SignalKind::interrupt(),
                SignalKind::terminate(),
                SignalKind::hangup(),
            ]
            .map(|k| signal(k).ok()),
        )
    }

    /// The next signal's name; `None` when no handler could be installed (the default action
    /// then stays in force).
    async fn next(&mut self) -> Option<&'static str> {
        async fn recv(s: &mut Option<tokio::signal::unix::Signal>) -> Option<()> {
            match s {
                Some(s) => s.recv().await,
                None => std::future::pending().await,
            }
        }
        if self.0.iter().all(Option::is_none) {
            return None;
        }
        let [int, term, hup] = &mut self.0;
        let i = tokio::select! {
            Some(()) = recv(int) => 0,
            Some(()) = recv(term) => 1,
            Some(()) = recv(hup) => 2,
            else => return None,
        };
        Some(Self::NAMES[i])
    }
}

/// Ctrl-C only, on platforms without Unix signals.
#[cfg(not(unix))]
struct Signals;

#[cfg(not(unix))]
impl Signals {
    fn install() -> Self {
        Self
    }

    async fn next(&mut self) -> Option<&'static str> {
        tokio::signal::ctrl_c().await.ok().map(|()| "Ctrl-C")
    }
}
