//! `gws-conformance serve`: the reference server, standalone. Binds 127.0.0.1 unless `--bind`
//! says otherwise, prints the URL it listens on, logs one line per request to stderr (method,
//! path, status, milliseconds; never the Authorization header), and stops on Ctrl-C.

use std::net::{IpAddr, SocketAddr};

use gws_reference_server::{Dialect, ServerConfig, faults};

/// Flags of `serve`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
The reference server is for test setups. Besides the documented API it serves the provider-state \
endpoint POST /conformance/states, which creates interactions on request (it plays the customer \
and the routing); on 127.0.0.1 (the default) it needs no credentials. A --bind address other than \
a loopback one is refused unless --allow-remote is given, which then requires an agent's Basic \
auth on that endpoint too.")]
pub struct ServeArgs {
    /// Port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// Address to bind (a non-loopback address needs --allow-remote).
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: IpAddr,
    /// Allow a non-loopback --bind; the provider-state endpoint then requires an agent's Basic
    /// auth.
    #[arg(long)]
    pub allow_remote: bool,
    /// Documented spellings to use: 2019 (newest) or 2015 (older Facebook names).
    #[arg(long, default_value = "2019", value_parser = ["2015", "2019"])]
    pub dialect: String,
    /// Turn CSRF protection off (on by default, as documented).
    #[arg(long)]
    pub no_csrf: bool,
    /// Also require the CSRF token on the CometD endpoint (by default it needs Basic auth only,
    /// as plain Bayeux clients send).
    #[arg(long, conflicts_with = "no_csrf")]
    pub csrf_cometd: bool,
    /// Break one documented rule on purpose (see --list-faults).
    #[arg(long, value_name = "NAME")]
    pub fault: Option<String>,
    /// Print the fault names with what they break, then exit.
    #[arg(long)]
    pub list_faults: bool,
    /// Don't log requests.
    #[arg(long)]
    pub quiet: bool,
}

fn print_faults(to_stderr: bool) {
    use std::io::Write as _;
    let mut out: Box<dyn std::io::Write> = if to_stderr {
        Box::new(std::io::stderr().lock())
    } else {
        Box::new(std::io::stdout().lock())
    };
    for f in faults() {
        // A closed pipe (`| head`) is not an error worth a panic.
        if writeln!(out, "  {:40} {}", f.name, f.description).is_err() {
            return;
        }
    }
}

/// Runs the server until interrupted; returns the process exit code (0 after Ctrl-C, 2 when it
/// cannot start).
pub fn main(args: ServeArgs) -> u8 {
    if args.list_faults {
        print_faults(false);
        return 0;
    }
    if !args.bind.is_loopback() && !args.allow_remote {
        eprintln!(
            "error: --bind {} is reachable from other hosts, and the provider-state endpoint (/conformance/states) creates interactions for anyone who reaches it; pass --allow-remote to serve there with Basic auth required on that endpoint",
            args.bind
        );
        return 2;
    }
    let config = ServerConfig {
        dialect: if args.dialect == "2015" {
            Dialect::V2015
        } else {
            Dialect::V2019
        },
        csrf: !args.no_csrf,
        csrf_cometd: args.csrf_cometd,
        provider_state_auth: args.allow_remote,
        fault: args.fault.clone(),
        log_requests: !args.quiet,
        ..ServerConfig::default()
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return 2;
        }
    };
    runtime.block_on(async move {
        let addr = SocketAddr::new(args.bind, args.port);
        let server = match gws_reference_server::start(config, addr).await {
            Ok(s) => s,
            Err(e @ gws_reference_server::StartError::UnknownFault(_)) => {
                eprintln!("error: {e}; known faults:");
                print_faults(true);
                return 2;
            }
            Err(e) => {
                eprintln!("error: {e}");
                return 2;
            }
        };
        let fault = args
            .fault
            .map(|f| format!(", fault {f}"))
            .unwrap_or_default();
        println!(
            "reference server listening on {} (dialect {}, CSRF {}{fault}); Ctrl-C stops it",
            server.base_url(),
            args.dialect,
            if args.no_csrf {
                "off"
            } else if args.csrf_cometd {
                "on, CometD too"
            } else {
                "on, CometD by Basic auth only"
            }
        );
        if let Err(e) = tokio::signal::ctrl_c().await {
            eprintln!("error: cannot wait for Ctrl-C: {e}");
        }
        server.shutdown().await;
        0
    })
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    #[derive(Debug, Parser)]
    struct Wrapper {
        #[command(flatten)]
        serve: ServeArgs,
    }

    #[test]
    fn defaults_and_validation() {
        let args = Wrapper::try_parse_from(["serve"]).unwrap().serve;
        assert_eq!(
            (args.port, args.bind.to_string(), args.dialect.as_str()),
            (8080, "127.0.0.1".into(), "2019")
        );
        assert!(!args.no_csrf && args.fault.is_none());
        let args = Wrapper::try_parse_from([
            "serve",
            "--dialect",
            "2015",
            "--no-csrf",
            "--fault",
            "accept-wrong-state",
        ])
        .unwrap()
        .serve;
        assert_eq!(
            (args.dialect.as_str(), args.no_csrf, args.fault.as_deref()),
            ("2015", true, Some("accept-wrong-state"))
        );
        assert!(Wrapper::try_parse_from(["serve", "--dialect", "2016"]).is_err());
        assert!(Wrapper::try_parse_from(["serve", "--bind", "not-an-ip"]).is_err());
    }

    #[test]
    fn a_non_loopback_bind_without_allow_remote_exits_2_without_serving() {
        for bind in ["0.0.0.0", "::", "192.0.2.1"] {
            let args = Wrapper::try_parse_from(["serve", "--port", "0", "--bind", bind])
                .unwrap()
                .serve;
            assert!(!args.allow_remote);
            // Refused before binding (192.0.2.1 is not ours: binding it would fail otherwise).
            assert_eq!(main(args), 2, "{bind}");
        }
        let args = Wrapper::try_parse_from(["serve", "--bind", "0.0.0.0", "--allow-remote"])
            .unwrap()
            .serve;
        assert!(args.allow_remote);
    }

    #[test]
    fn an_unknown_fault_exits_2_without_serving() {
        let args = Wrapper::try_parse_from(["serve", "--port", "0", "--fault", "no-such-fault"])
            .unwrap()
            .serve;
        assert_eq!(main(args), 2);
    }
}
