//! `gws-conformance serve`: the reference server, standalone. Binds 127.0.0.1 unless `--bind`
//! says otherwise, prints the URL it listens on, logs one line per request to stderr (method,
//! path, status, milliseconds; never the Authorization header), and stops on Ctrl-C.

use std::net::{IpAddr, SocketAddr};

use gws_reference_server::{Dialect, ServerConfig, faults};

/// Flags of `serve`.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// Address to bind.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: IpAddr,
    /// Documented spellings to use: 2019 (newest) or 2015 (older Facebook names).
    #[arg(long, default_value = "2019", value_parser = ["2015", "2019"])]
    pub dialect: String,
    /// Turn CSRF protection off (on by default, as documented).
    #[arg(long)]
    pub no_csrf: bool,
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
    let config = ServerConfig {
        dialect: if args.dialect == "2015" {
            Dialect::V2015
        } else {
            Dialect::V2019
        },
        csrf: !args.no_csrf,
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
            if args.no_csrf { "off" } else { "on" }
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
    fn an_unknown_fault_exits_2_without_serving() {
        let args = Wrapper::try_parse_from(["serve", "--port", "0", "--fault", "no-such-fault"])
            .unwrap()
            .serve;
        assert_eq!(main(args), 2);
    }
}
