//! TLS targets. Certificates are made here (rcgen): a test authority and a server certificate
//! it signs for 127.0.0.1, and the authority's own certificate used as a server's (self-signed).
//! A TLS-terminating proxy on loopback (tokio-rustls) passes the bytes to the reference server.
//! Untrusted certificates fail as one plain sentence with what to do; `--ca-cert` trusts the
//! authority; `--insecure` runs, warned on the console and recorded in the report; `https://`
//! against a plain-HTTP server says so; a `--ca-cert` that is not PEM is refused before the run.

use std::{net::SocketAddr, process::Command, sync::Arc};

use gws_reference_server::{RunningServer, ServerConfig, start};
use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, IsCa, KeyPair};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio::net::{TcpListener, TcpStream};

/// A test authority and a server certificate it signed for 127.0.0.1.
struct Pki {
    ca_pem: String,
    ca_der: CertificateDer<'static>,
    ca_key: Vec<u8>,
    leaf_der: CertificateDer<'static>,
    leaf_key: Vec<u8>,
}

fn pki() -> Pki {
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "gws-conformance test CA");
    let ca_key = KeyPair::generate().unwrap();
    let ca_key_der = ca_key.serialize_der();
    let ca = CertifiedIssuer::self_signed(ca_params, ca_key).unwrap();
    let leaf_key = KeyPair::generate().unwrap();
    let leaf = CertificateParams::new(vec!["127.0.0.1".to_string()])
        .unwrap()
        .signed_by(&leaf_key, &ca)
        .unwrap();
    Pki {
        ca_pem: ca.pem(),
        ca_der: ca.der().clone(),
        ca_key: ca_key_der,
        leaf_der: leaf.der().clone(),
        leaf_key: leaf_key.serialize_der(),
    }
}

/// A TLS server on 127.0.0.1 presenting `cert`, passing the plain bytes to `upstream`.
async fn tls_proxy(
    cert: CertificateDer<'static>,
    key: Vec<u8>,
    upstream: SocketAddr,
) -> (SocketAddr, tokio::task::JoinHandle<()>) {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let config = rustls::ServerConfig::builder()
        .with_no_client_auth()
        .with_single_cert(
            vec![cert],
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key)),
        )
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let task = tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(tcp).await else {
                    return;
                };
                let Ok(mut up) = TcpStream::connect(upstream).await else {
                    return;
                };
                let _ = tokio::io::copy_bidirectional(&mut tls, &mut up).await;
            });
        }
    });
    (addr, task)
}

async fn reference() -> (RunningServer, SocketAddr) {
    let server = start(
        ServerConfig::default(),
        SocketAddr::from(([127, 0, 0, 1], 0)),
    )
    .await
    .unwrap();
    let addr = url::Url::parse(&server.base_url())
        .unwrap()
        .socket_addrs(|| None)
        .unwrap()[0];
    (server, addr)
}

struct Out {
    code: Option<i32>,
    stdout: String,
    xml: String,
}

async fn run(dir: &std::path::Path, args: Vec<String>) -> Out {
    let junit = dir.join("junit.xml");
    let mut full: Vec<String> = [
        "run",
        "--color",
        "never",
        "--tags",
        "@chat and @accept and not @inferred",
        "--request-timeout",
        "5s",
        "--junit",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    full.push(junit.display().to_string());
    full.extend(args);
    let out = tokio::task::spawn_blocking(move || {
        Command::new(env!("CARGO_BIN_EXE_gws-conformance"))
            .args(&full)
            .env_remove("GWS_TARGET")
            .env_remove("GWS_STATE_URL")
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    Out {
        code: out.status.code(),
        stdout: format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
        xml: std::fs::read_to_string(&junit).unwrap_or_default(),
    }
}

/// The login error line: one sentence, with a hint, without rustls' Debug names.
fn assert_plain_tls_error(out: &Out, wanted: &str) {
    assert_eq!(out.code, Some(2), "{}", out.stdout);
    let line = out
        .stdout
        .lines()
        .find(|l| l.starts_with("error: login failed"))
        .unwrap_or_else(|| panic!("no login error:\n{}", out.stdout));
    assert!(line.contains(wanted), "{line}");
    for raw in [
        "OtherError",
        "CaUsedAsEndEntity",
        "UnknownIssuer",
        "InvalidCertificate",
    ] {
        assert!(!line.contains(raw), "{line}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn certificates_of_an_unknown_authority_fail_plainly_and_ca_cert_trusts_it() {
    let (server, upstream) = reference().await;
    let pki = pki();
    let (addr, task) = tls_proxy(pki.leaf_der.clone(), pki.leaf_key.clone(), upstream).await;
    let target = format!("https://{addr}");
    let dir = tempfile::tempdir().unwrap();

    let out = run(dir.path(), vec!["--target".into(), target.clone()]).await;
    assert_plain_tls_error(
        &out,
        &format!("the certificate of {addr} is not signed by a trusted authority"),
    );
    assert!(out.stdout.contains("--ca-cert"), "{}", out.stdout);

    let ca = dir.path().join("ca.pem");
    std::fs::write(&ca, &pki.ca_pem).unwrap();
    let out = run(
        dir.path(),
        vec![
            "--target".into(),
            target,
            "--ca-cert".into(),
            ca.display().to_string(),
        ],
    )
    .await;
    assert_eq!(out.code, Some(0), "{}", out.stdout);
    assert!(
        out.xml.contains(r#"name="tls.insecure" value="false""#),
        "{}",
        out.xml
    );
    task.abort();
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_self_signed_certificate_fails_plainly_and_insecure_runs_warned_and_recorded() {
    let (server, upstream) = reference().await;
    let pki = pki();
    let (addr, task) = tls_proxy(pki.ca_der.clone(), pki.ca_key.clone(), upstream).await;
    let target = format!("https://{addr}");
    let dir = tempfile::tempdir().unwrap();

    let out = run(dir.path(), vec!["--target".into(), target.clone()]).await;
    assert_plain_tls_error(&out, &format!("the certificate of {addr} is self-signed"));

    let out = run(
        dir.path(),
        vec!["--target".into(), target, "--insecure".into()],
    )
    .await;
    assert_eq!(out.code, Some(0), "{}", out.stdout);
    assert!(
        out.stdout
            .lines()
            .any(|l| l.starts_with("warning: --insecure")),
        "{}",
        out.stdout
    );
    assert!(
        out.xml.contains(r#"name="tls.insecure" value="true""#),
        "{}",
        out.xml
    );
    task.abort();
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn https_against_a_plain_http_server_says_so() {
    let (server, upstream) = reference().await;
    let dir = tempfile::tempdir().unwrap();
    let out = run(
        dir.path(),
        vec!["--target".into(), format!("https://{upstream}")],
    )
    .await;
    assert_plain_tls_error(&out, &format!("{upstream} does not speak TLS"));
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ca_cert_that_is_not_pem_is_refused_before_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("not.pem");
    std::fs::write(&bad, "hello").unwrap();
    let out = run(
        dir.path(),
        vec!["--ca-cert".into(), bad.display().to_string()],
    )
    .await;
    assert_eq!(out.code, Some(2), "{}", out.stdout);
    assert!(
        out.stdout
            .starts_with(&format!("error: --ca-cert {}", bad.display())),
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains("passed"), "{}", out.stdout);
}
