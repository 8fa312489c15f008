//! Certificate checks are always on: a self-signed certificate, an expired one and one for
//! another host are refused before anything is sent, while a valid one from a trusted
//! authority works (so the refusals are the checks', not a broken test server). Each case runs
//! a real TLS server of the test's own on loopback.

// A panic is the failure report in tests.
#![allow(clippy::unwrap_used)]

use std::sync::Arc;

use rcgen::{BasicConstraints, CertificateParams, IsCa, Issuer, KeyPair, date_time_ymd};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use sharing::client::Answer;
use sharing::{Address, FhirClient};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

struct Authority {
    der: CertificateDer<'static>,
    issuer: Issuer<'static, KeyPair>,
}

fn authority() -> Authority {
    let key = KeyPair::generate().unwrap();
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let der = params.self_signed(&key).unwrap().der().clone();
    Authority {
        der,
        issuer: Issuer::new(params, key),
    }
}

/// A server certificate for `names`, valid in `[from, to)` years, signed by `ca` (or by
/// itself).
fn certificate(
    names: &[&str],
    years: (i32, i32),
    ca: Option<&Authority>,
) -> (CertificateDer<'static>, PrivateKeyDer<'static>) {
    let key = KeyPair::generate().unwrap();
    let mut params =
        CertificateParams::new(names.iter().map(|n| (*n).to_owned()).collect::<Vec<_>>()).unwrap();
    params.not_before = date_time_ymd(years.0, 1, 1);
    params.not_after = date_time_ymd(years.1, 1, 1);
    let cert = match ca {
        Some(ca) => params.signed_by(&key, &ca.issuer).unwrap(),
        None => params.self_signed(&key).unwrap(),
    };
    (
        cert.der().clone(),
        PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())),
    )
}

/// Serves one HTTPS request with a transaction response on loopback; returns the port.
async fn serve(cert: CertificateDer<'static>, key: PrivateKeyDer<'static>) -> u16 {
    #[allow(deprecated)]
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![cert], key)
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        let Ok((tcp, _)) = listener.accept().await else {
            return;
        };
        // A refused handshake ends here: the client never sends its request.
        let Ok(mut tls) = acceptor.accept(tcp).await else {
            return;
        };
        let mut buffer = vec![0u8; 64 * 1024];
        let _ = tls.read(&mut buffer).await;
        let body = r#"{"resourceType":"Bundle","type":"transaction-response","entry":[]}"#;
        let answer = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/fhir+json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        let _ = tls.write_all(answer.as_bytes()).await;
        let _ = tls.shutdown().await;
    });
    port
}

async fn send(client: &FhirClient, host: &str, port: u16) -> Answer {
    let base = Address::parse(&format!("https://{host}:{port}/fhir")).unwrap();
    client.transaction(&base, "token", "{}".into()).await
}

fn refused_for_its_certificate(answer: &Answer) {
    match answer {
        Answer::Unreachable(problem) => {
            assert!(problem.contains("certificate"), "{problem}");
        }
        other => panic!("sent despite a bad certificate: {other:?}"),
    }
}

#[tokio::test]
async fn a_valid_certificate_from_a_trusted_authority_works() {
    let ca = authority();
    let (cert, key) = certificate(&["localhost"], (2020, 2090), Some(&ca));
    let port = serve(cert, key).await;
    let client = FhirClient::with_extra_roots(vec![ca.der.clone()]).unwrap();
    let answer = send(&client, "localhost", port).await;
    assert!(
        matches!(answer, Answer::Http { status: 200, .. }),
        "{answer:?}"
    );
}

#[tokio::test]
async fn a_self_signed_certificate_is_refused() {
    let (cert, key) = certificate(&["localhost"], (2020, 2090), None);
    let port = serve(cert, key).await;
    refused_for_its_certificate(&send(&FhirClient::new().unwrap(), "localhost", port).await);
}

#[tokio::test]
async fn an_expired_certificate_is_refused() {
    let ca = authority();
    let (cert, key) = certificate(&["localhost"], (2020, 2022), Some(&ca));
    let port = serve(cert, key).await;
    let client = FhirClient::with_extra_roots(vec![ca.der.clone()]).unwrap();
    refused_for_its_certificate(&send(&client, "localhost", port).await);
}

#[tokio::test]
async fn a_certificate_for_another_host_is_refused() {
    let ca = authority();
    let (cert, key) = certificate(&["fhir.example.org"], (2020, 2090), Some(&ca));
    let port = serve(cert, key).await;
    let client = FhirClient::with_extra_roots(vec![ca.der.clone()]).unwrap();
    refused_for_its_certificate(&send(&client, "localhost", port).await);
}
