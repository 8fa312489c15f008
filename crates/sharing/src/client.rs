//! The HTTPS client for care teams' FHIR servers: rustls on ring with the operating system's
//! trusted certificates (certificate checks are always on), no redirects followed (a FHIR
//! server that redirects an upload is misconfigured, and a redirect could lead off HTTPS),
//! bounded waits and a bounded answer size. The token goes in the `Authorization` header
//! only; nothing here logs.

use std::sync::Arc;
use std::time::Duration;

use rustls::pki_types::CertificateDer;

use crate::SharingError;
use crate::address::Address;

/// How long connecting may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a whole request may take (a 100-reading transaction on a slow server included).
const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);
/// The largest answer read; a transaction response for 100 readings is far smaller.
const LONGEST_ANSWER: usize = 8 * 1024 * 1024;

/// What came back from a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// The server answered.
    Http {
        /// Its status code.
        status: u16,
        /// Its `Retry-After` header.
        retry_after: Option<String>,
        /// Its body (cut at 8 MiB).
        body: Vec<u8>,
    },
    /// No answer: the server could not be reached, the connection broke, it was too slow,
    /// or its certificate is not trusted.
    Unreachable(String),
}

/// An HTTPS client for FHIR servers.
#[derive(Debug, Clone)]
pub struct FhirClient {
    http: reqwest::Client,
    /// A request limit other than [`REQUEST_TIMEOUT`].
    timeout: Option<Duration>,
}

impl FhirClient {
    /// A client that trusts the operating system's certificates.
    pub fn new() -> Result<Self, SharingError> {
        Self::build(Vec::new())
    }

    /// A client that also trusts `roots` (a clinic's private certificate authority; tests).
    pub fn with_extra_roots(roots: Vec<CertificateDer<'static>>) -> Result<Self, SharingError> {
        Self::build(roots)
    }

    /// The same client with a different limit on how long a request may take.
    pub fn with_request_timeout(self, timeout: Duration) -> Self {
        Self {
            timeout: Some(timeout),
            ..self
        }
    }

    fn build(roots: Vec<CertificateDer<'static>>) -> Result<Self, SharingError> {
        // ring is Vitalog's one crypto library (the journal's keys use it too). rustls marks
        // its ring provider deprecated because ring has no post-quantum key exchange; that
        // would take aws-lc-rs, a second crypto library with a C and assembly build.
        #[allow(deprecated)]
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let verifier = if roots.is_empty() {
            rustls_platform_verifier::Verifier::new(provider.clone())
        } else {
            rustls_platform_verifier::Verifier::new_with_extra_roots(roots, provider.clone())
        }
        .map_err(|e| SharingError::Tls(e.to_string()))?;
        let tls = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| SharingError::Tls(e.to_string()))?
            .dangerous()
            // The platform verifier is the safe one: it is "dangerous" only in that rustls
            // cannot see what it checks.
            .with_custom_certificate_verifier(Arc::new(verifier))
            .with_no_client_auth();
        let http = reqwest::Client::builder()
            .tls_backend_preconfigured(tls)
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(CONNECT_TIMEOUT)
            .timeout(REQUEST_TIMEOUT)
            .user_agent(concat!("Vitalog/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| SharingError::Tls(e.to_string()))?;
        Ok(Self {
            http,
            timeout: None,
        })
    }

    /// Reads `url` (a SMART configuration).
    pub async fn get(&self, url: &url::Url) -> Answer {
        let request = self
            .http
            .get(url.clone())
            .header("Accept", "application/json");
        read(self.limit(request)).await
    }

    /// Posts a form to `url` (a token endpoint, which the caller checked with the address
    /// rules).
    pub async fn post_form(&self, url: &str, fields: &[(&str, &str)]) -> Answer {
        let body = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields)
            .finish();
        let request = self
            .http
            .post(url)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Accept", "application/json")
            .body(body);
        read(self.limit(request)).await
    }

    fn limit(&self, request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        match self.timeout {
            Some(timeout) => request.timeout(timeout),
            None => request,
        }
    }

    /// Posts a transaction Bundle to the server's base address.
    pub async fn transaction(&self, base: &Address, token: &str, bundle: String) -> Answer {
        let request = self
            .http
            .post(base.join(""))
            .bearer_auth(token)
            .header("Content-Type", "application/fhir+json")
            .header("Accept", "application/fhir+json")
            .body(bundle);
        read(self.limit(request)).await
    }
}

/// Sends a request and reads its answer (at most [`LONGEST_ANSWER`] bytes of it).
async fn read(request: reqwest::RequestBuilder) -> Answer {
    let mut response = match request.send().await {
        Ok(response) => response,
        Err(error) => return Answer::Unreachable(unreachable(&error)),
    };
    let status = response.status().as_u16();
    let retry_after = response
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let mut body = Vec::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                let room = LONGEST_ANSWER.saturating_sub(body.len());
                body.extend_from_slice(&chunk[..chunk.len().min(room)]);
                if room < chunk.len() {
                    break;
                }
            }
            Ok(None) => break,
            Err(error) => return Answer::Unreachable(unreachable(&error)),
        }
    }
    Answer::Http {
        status,
        retry_after,
        body,
    }
}

/// Why no answer came, in words (the chain of causes names the TLS or network failure).
fn unreachable(error: &reqwest::Error) -> String {
    let mut causes = Vec::new();
    let mut source: Option<&dyn std::error::Error> = std::error::Error::source(error);
    while let Some(cause) = source {
        causes.push(cause.to_string());
        source = cause.source();
    }
    let detail = causes.last().cloned().unwrap_or_else(|| error.to_string());
    let what = if error.is_timeout() {
        "the server did not answer in time"
    } else if causes.iter().any(|c| c.contains("certificate")) {
        "the server's certificate is not trusted, so nothing was sent"
    } else if error.is_connect() {
        "the server could not be reached"
    } else {
        "the connection to the server broke"
    };
    format!("{what} ({detail})")
}
