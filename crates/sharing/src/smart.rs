//! Signing in to a care team's server with SMART on FHIR (standalone launch): discovery
//! (`.well-known/smart-configuration`), the authorization code flow with PKCE (S256) in the
//! patient's own browser with a loopback redirect (RFC 8252: `http://127.0.0.1:<port>/callback`,
//! a port chosen for each sign-in), and token refresh. The saved sign-in ([`SavedSignIn`]) lives
//! only in the encrypted journal, as the care team's secret.
//!
//! The pieces that only compute (PKCE, the authorization address, reading the server's
//! answers) are separate from the ones that talk to the network or the browser, so they are
//! tested on their own.

use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use zeroize::Zeroizing;

use crate::address::Address;
use crate::client::{Answer, FhirClient};

/// What Vitalog asks to do: write the patient's Observations, MedicationStatements and
/// Devices, know who the patient is, and keep working without a new sign-in (a refresh token).
pub const SCOPE: &str = "openid fhirUser launch/patient offline_access patient/Observation.write \
    patient/MedicationStatement.write patient/Device.write";

/// How long a sign-in may take in the browser.
pub const SIGN_IN_TIMEOUT: Duration = Duration::from_secs(300);

/// A token is refreshed this long before it expires.
const REFRESH_MARGIN: chrono::TimeDelta = chrono::TimeDelta::seconds(60);

/// Why a sign-in or a refresh failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SmartError {
    /// The server does not publish a SMART configuration.
    #[error(
        "this server does not offer SMART on FHIR sign-in ({0}); ask the clinic for a token instead"
    )]
    NotSmart(String),
    /// The server's SMART configuration or token answer is not usable.
    #[error("the server's sign-in answer is not usable: {0}")]
    Malformed(String),
    /// The server refused the sign-in or the refresh; the patient must sign in again.
    #[error("the care team's server ended the sign-in ({0}): sign in again")]
    SignInAgain(String),
    /// The server could not be reached.
    #[error("{0}")]
    Unreachable(String),
    /// The browser step did not finish.
    #[error("{0}")]
    Browser(String),
    /// An address the server gave is not one Vitalog sends to.
    #[error("{0}")]
    Address(#[from] crate::address::AddressError),
}

/// The endpoints a SMART server publishes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Configuration {
    /// Where the browser signs in.
    pub authorization_endpoint: Address,
    /// Where codes and refresh tokens become access tokens.
    pub token_endpoint: Address,
}

#[derive(Deserialize)]
struct ConfigurationJson {
    authorization_endpoint: Option<String>,
    token_endpoint: Option<String>,
    #[serde(default)]
    code_challenge_methods_supported: Vec<String>,
}

/// Reads `.well-known/smart-configuration`.
pub fn parse_configuration(body: &[u8]) -> Result<Configuration, SmartError> {
    let json: ConfigurationJson = serde_json::from_slice(body)
        .map_err(|_| SmartError::Malformed("the SMART configuration is not JSON".into()))?;
    let (Some(authorize), Some(token)) = (json.authorization_endpoint, json.token_endpoint) else {
        return Err(SmartError::Malformed(
            "the SMART configuration names no sign-in or token address".into(),
        ));
    };
    if !json.code_challenge_methods_supported.is_empty()
        && !json
            .code_challenge_methods_supported
            .iter()
            .any(|m| m == "S256")
    {
        return Err(SmartError::Malformed(
            "the server does not support PKCE with S256, which Vitalog requires".into(),
        ));
    }
    Ok(Configuration {
        authorization_endpoint: Address::parse(&authorize)?,
        token_endpoint: Address::parse(&token)?,
    })
}

/// A PKCE pair: the verifier stays here, the challenge goes to the browser.
pub struct Pkce {
    /// The secret the token request proves knowledge of.
    pub verifier: Zeroizing<String>,
    /// Its SHA-256, base64url, for the authorization address.
    pub challenge: String,
}

fn random_text(bytes: usize) -> Result<String, SmartError> {
    use ring::rand::SecureRandom;
    let mut buffer = vec![0u8; bytes];
    ring::rand::SystemRandom::new()
        .fill(&mut buffer)
        .map_err(|_| SmartError::Browser("the system random generator failed".into()))?;
    Ok(URL_SAFE_NO_PAD.encode(buffer))
}

impl Pkce {
    /// A fresh pair (32 random bytes, RFC 7636 §4.1).
    pub fn new() -> Result<Self, SmartError> {
        let verifier = Zeroizing::new(random_text(32)?);
        Ok(Self::from_verifier(verifier))
    }

    fn from_verifier(verifier: Zeroizing<String>) -> Self {
        let digest = ring::digest::digest(&ring::digest::SHA256, verifier.as_bytes());
        Self {
            challenge: URL_SAFE_NO_PAD.encode(digest.as_ref()),
            verifier,
        }
    }
}

/// What one sign-in needs to remember between the browser and the token request.
pub struct Request {
    /// The address to open in the browser.
    pub url: url::Url,
    /// The state the redirect must carry back.
    pub state: String,
    /// The PKCE pair.
    pub pkce: Pkce,
    /// The loopback redirect address.
    pub redirect_uri: String,
}

/// The authorization address for a standalone launch against `fhir_base`.
pub fn authorization_request(
    configuration: &Configuration,
    client_id: &str,
    fhir_base: &Address,
    redirect_uri: &str,
) -> Result<Request, SmartError> {
    let pkce = Pkce::new()?;
    let state = random_text(16)?;
    let mut url = url::Url::parse(configuration.authorization_endpoint.as_str())
        .map_err(|_| SmartError::Malformed("the sign-in address is not an address".into()))?;
    url.query_pairs_mut()
        .append_pair("response_type", "code")
        .append_pair("client_id", client_id)
        .append_pair("redirect_uri", redirect_uri)
        .append_pair("scope", SCOPE)
        .append_pair("state", &state)
        .append_pair("aud", fhir_base.as_str().trim_end_matches('/'))
        .append_pair("code_challenge", &pkce.challenge)
        .append_pair("code_challenge_method", "S256");
    Ok(Request {
        url,
        state,
        pkce,
        redirect_uri: redirect_uri.to_owned(),
    })
}

/// A sign-in as the journal keeps it (JSON, inside the encrypted journal only).
#[derive(Clone, Serialize, Deserialize)]
pub struct SavedSignIn {
    /// The app's client id on that server.
    pub client_id: String,
    /// Where tokens are refreshed.
    pub token_endpoint: String,
    /// The current access token.
    pub access_token: String,
    /// The refresh token, when the server gave one.
    pub refresh_token: Option<String>,
    /// When the access token expires.
    pub expires_at: DateTime<Utc>,
}

impl std::fmt::Debug for SavedSignIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SavedSignIn")
            .field("client_id", &self.client_id)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

impl Drop for SavedSignIn {
    fn drop(&mut self) {
        use zeroize::Zeroize;
        self.access_token.zeroize();
        if let Some(refresh) = self.refresh_token.as_mut() {
            refresh.zeroize();
        }
    }
}

impl SavedSignIn {
    /// Reads the journal's secret of a SMART care team.
    pub fn from_secret(secret: &str) -> Result<Self, SmartError> {
        serde_json::from_str(secret)
            .map_err(|_| SmartError::SignInAgain("the saved sign-in is unreadable".into()))
    }

    /// The journal's secret for this sign-in.
    pub fn to_secret(&self) -> Zeroizing<String> {
        Zeroizing::new(serde_json::to_string(self).unwrap_or_default())
    }

    /// Whether the access token must be refreshed before use at `now`.
    pub fn needs_refresh(&self, now: DateTime<Utc>) -> bool {
        self.expires_at - REFRESH_MARGIN <= now
    }
}

#[derive(Deserialize)]
struct TokenJson {
    access_token: Option<String>,
    token_type: Option<String>,
    expires_in: Option<i64>,
    refresh_token: Option<String>,
    patient: Option<String>,
    error: Option<String>,
    error_description: Option<String>,
}

/// What a token request gave.
pub struct Tokens {
    /// The sign-in to save.
    pub saved: SavedSignIn,
    /// The patient the sign-in chose (`Patient/<id>`), when the server said.
    pub patient: Option<String>,
}

/// Reads a token endpoint's answer. `previous_refresh` is kept when a refresh answer carries
/// no new refresh token.
pub fn parse_tokens(
    status: u16,
    body: &[u8],
    now: DateTime<Utc>,
    client_id: &str,
    token_endpoint: &str,
    previous_refresh: Option<&str>,
) -> Result<Tokens, SmartError> {
    let json: TokenJson = serde_json::from_slice(body)
        .map_err(|_| SmartError::Malformed(format!("the token answer ({status}) is not JSON")))?;
    if let Some(error) = json.error {
        let text = match json.error_description {
            Some(description) => format!("{error}: {description}"),
            None => error,
        };
        return Err(SmartError::SignInAgain(text));
    }
    if !(200..300).contains(&status) {
        return Err(SmartError::SignInAgain(format!(
            "the token request was answered {status}"
        )));
    }
    let access_token = json
        .access_token
        .filter(|t| !t.is_empty())
        .ok_or_else(|| SmartError::Malformed("no access token".into()))?;
    if !json
        .token_type
        .as_deref()
        .is_some_and(|t| t.eq_ignore_ascii_case("bearer"))
    {
        return Err(SmartError::Malformed(
            "the token is not a bearer token".into(),
        ));
    }
    let patient = match json.patient {
        Some(id) => Some(crate::address::patient_reference(&format!("Patient/{id}"))?),
        None => None,
    };
    Ok(Tokens {
        saved: SavedSignIn {
            client_id: client_id.to_owned(),
            token_endpoint: token_endpoint.to_owned(),
            access_token,
            refresh_token: json
                .refresh_token
                .or_else(|| previous_refresh.map(str::to_owned)),
            // A server that says nothing gets five minutes: refreshed early rather than late.
            expires_at: now
                + chrono::TimeDelta::seconds(json.expires_in.unwrap_or(300).clamp(0, 86_400 * 30)),
        },
        patient,
    })
}

/// The server's SMART configuration.
pub async fn discover(
    client: &FhirClient,
    fhir_base: &Address,
) -> Result<Configuration, SmartError> {
    match client
        .get(&fhir_base.join(".well-known/smart-configuration"))
        .await
    {
        Answer::Http {
            status: 200, body, ..
        } => parse_configuration(&body),
        Answer::Http { status, .. } => Err(SmartError::NotSmart(format!("it answered {status}"))),
        Answer::Unreachable(problem) => Err(SmartError::Unreachable(problem)),
    }
}

/// A loopback listener for the browser's redirect (RFC 8252 §7.3).
pub struct Redirect {
    listener: TcpListener,
    /// The redirect address to register in the request.
    pub uri: String,
}

impl Redirect {
    /// Listens on a free loopback port.
    pub async fn listen() -> Result<Self, SmartError> {
        let listener = TcpListener::bind("127.0.0.1:0").await.map_err(|e| {
            SmartError::Browser(format!("cannot listen for the sign-in's answer: {e}"))
        })?;
        let port = listener
            .local_addr()
            .map_err(|e| {
                SmartError::Browser(format!("cannot listen for the sign-in's answer: {e}"))
            })?
            .port();
        Ok(Self {
            listener,
            uri: format!("http://127.0.0.1:{port}/callback"),
        })
    }

    /// Waits for the browser to come back with a code for `state`; requests that do not carry
    /// it (a favicon, a stray visit) are answered and ignored.
    pub async fn code(&self, state: &str) -> Result<Zeroizing<String>, SmartError> {
        tokio::time::timeout(SIGN_IN_TIMEOUT, self.wait(state))
            .await
            .map_err(|_| {
                SmartError::Browser(
                    "the sign-in was not finished in the browser within 5 minutes".into(),
                )
            })?
    }

    async fn wait(&self, state: &str) -> Result<Zeroizing<String>, SmartError> {
        loop {
            let (mut stream, _) =
                self.listener.accept().await.map_err(|e| {
                    SmartError::Browser(format!("the sign-in's answer was lost: {e}"))
                })?;
            let mut buffer = vec![0u8; 8192];
            let n = stream.read(&mut buffer).await.unwrap_or(0);
            let request = String::from_utf8_lossy(&buffer[..n]);
            let target = request
                .lines()
                .next()
                .and_then(|line| line.split_whitespace().nth(1))
                .unwrap_or("");
            let outcome = callback(target, state);
            let page = match &outcome {
                Some(Ok(_)) => "Signed in. You can close this window and return to Vitalog.",
                Some(Err(_)) => "The sign-in did not succeed. Return to Vitalog to see why.",
                None => "Waiting for the sign-in.",
            };
            let answer = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nCache-Control: no-store\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{page}",
                page.len()
            );
            let _ = stream.write_all(answer.as_bytes()).await;
            let _ = stream.shutdown().await;
            if let Some(outcome) = outcome {
                return outcome;
            }
        }
    }
}

/// What a request to the redirect address says: `None` when it is not the callback.
fn callback(target: &str, state: &str) -> Option<Result<Zeroizing<String>, SmartError>> {
    let url = url::Url::parse(&format!("http://127.0.0.1{target}")).ok()?;
    if url.path() != "/callback" {
        return None;
    }
    let mut code = None;
    let mut returned_state = None;
    let mut error = None;
    for (key, value) in url.query_pairs() {
        match key.as_ref() {
            "code" => code = Some(Zeroizing::new(value.into_owned())),
            "state" => returned_state = Some(value.into_owned()),
            "error" => error = Some(value.into_owned()),
            _ => {}
        }
    }
    if returned_state.as_deref() != Some(state) {
        // Not this sign-in's answer (or forged): ignore it and keep waiting.
        return None;
    }
    Some(match (error, code) {
        (Some(error), _) => Err(SmartError::SignInAgain(format!(
            "the sign-in was refused: {error}"
        ))),
        (None, Some(code)) => Ok(code),
        (None, None) => Err(SmartError::Malformed(
            "the sign-in came back without a code".into(),
        )),
    })
}

/// Exchanges an authorization code for tokens.
pub async fn exchange(
    client: &FhirClient,
    configuration: &Configuration,
    client_id: &str,
    request: &Request,
    code: &str,
) -> Result<Tokens, SmartError> {
    let token_endpoint = configuration.token_endpoint.as_str();
    let answer = client
        .post_form(
            token_endpoint,
            &[
                ("grant_type", "authorization_code"),
                ("code", code),
                ("redirect_uri", &request.redirect_uri),
                ("client_id", client_id),
                ("code_verifier", request.pkce.verifier.as_str()),
            ],
        )
        .await;
    match answer {
        Answer::Http { status, body, .. } => {
            parse_tokens(status, &body, Utc::now(), client_id, token_endpoint, None)
        }
        Answer::Unreachable(problem) => Err(SmartError::Unreachable(problem)),
    }
}

/// Refreshes a saved sign-in.
pub async fn refresh(client: &FhirClient, saved: &SavedSignIn) -> Result<SavedSignIn, SmartError> {
    let Some(refresh_token) = saved.refresh_token.as_deref() else {
        return Err(SmartError::SignInAgain("the sign-in has expired".into()));
    };
    Address::parse(&saved.token_endpoint)?;
    let answer = client
        .post_form(
            &saved.token_endpoint,
            &[
                ("grant_type", "refresh_token"),
                ("refresh_token", refresh_token),
                ("client_id", &saved.client_id),
            ],
        )
        .await;
    match answer {
        Answer::Http { status, body, .. } => parse_tokens(
            status,
            &body,
            Utc::now(),
            &saved.client_id,
            &saved.token_endpoint,
            Some(refresh_token),
        )
        .map(|tokens| tokens.saved),
        Answer::Unreachable(problem) => Err(SmartError::Unreachable(problem)),
    }
}

/// Environment variables through which scripts hand Vitalog a passphrase: a browser started
/// from here must not inherit them (the CLI reads them; it cannot unset them safely).
const SECRET_VARIABLES: [&str; 2] = ["VITALOG_PASSPHRASE", "VITALOG_NEW_PASSPHRASE"];

/// Opens `url` in the patient's browser (`$BROWSER` when set), without handing it the
/// passphrase variables.
pub fn open_browser(url: &url::Url) -> Result<(), SmartError> {
    let failed = |e: &dyn std::fmt::Display| {
        SmartError::Browser(format!(
            "the browser could not be opened ({e}); open this address yourself: {url}"
        ))
    };
    #[cfg(all(unix, not(target_os = "macos"), not(target_os = "android")))]
    {
        // As the freedesktop convention has it: the first of `$BROWSER`'s commands, else the
        // desktop's handler for web addresses.
        let program = std::env::var("BROWSER")
            .ok()
            .and_then(|list| list.split(':').next().map(str::to_owned))
            .filter(|first| !first.trim().is_empty())
            .unwrap_or_else(|| "xdg-open".to_owned());
        let mut command = std::process::Command::new(program);
        command
            .arg(url.as_str())
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
        for variable in SECRET_VARIABLES {
            command.env_remove(variable);
        }
        let mut child = command.spawn().map_err(|e| failed(&e))?;
        // Reaped when it ends, so no finished browser launcher lingers as a zombie.
        std::thread::spawn(move || child.wait());
        Ok(())
    }
    #[cfg(not(all(unix, not(target_os = "macos"), not(target_os = "android"))))]
    {
        let _ = SECRET_VARIABLES;
        webbrowser::open(url.as_str()).map_err(|e| failed(&e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pkce_challenge_is_the_verifiers_sha256() {
        // RFC 7636 Appendix B.
        let pkce = Pkce::from_verifier(Zeroizing::new(
            "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk".into(),
        ));
        assert_eq!(
            pkce.challenge,
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
        let fresh = Pkce::new().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(fresh.verifier.len(), 43);
    }

    #[test]
    fn the_authorization_address_carries_pkce_state_and_audience() {
        let configuration = parse_configuration(
            br#"{"authorization_endpoint":"https://auth.example.org/authorize","token_endpoint":"https://auth.example.org/token","code_challenge_methods_supported":["S256"]}"#,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let base = Address::parse("https://fhir.example.org/r4").unwrap_or_else(|e| panic!("{e}"));
        let request = authorization_request(
            &configuration,
            "vitalog",
            &base,
            "http://127.0.0.1:5000/callback",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let pairs: std::collections::BTreeMap<_, _> =
            request.url.query_pairs().into_owned().collect();
        assert_eq!(pairs["response_type"], "code");
        assert_eq!(pairs["code_challenge_method"], "S256");
        assert_eq!(pairs["code_challenge"], request.pkce.challenge);
        assert_eq!(pairs["state"], request.state);
        assert_eq!(pairs["aud"], "https://fhir.example.org/r4");
        assert_eq!(pairs["redirect_uri"], "http://127.0.0.1:5000/callback");
        assert!(pairs["scope"].contains("patient/Observation.write"));
    }

    #[test]
    fn servers_without_s256_or_over_plain_http_are_refused() {
        assert!(matches!(
            parse_configuration(br#"{"authorization_endpoint":"https://a.example/a","token_endpoint":"https://a.example/t","code_challenge_methods_supported":["plain"]}"#),
            Err(SmartError::Malformed(_))
        ));
        assert!(matches!(
            parse_configuration(br#"{"authorization_endpoint":"http://a.example/a","token_endpoint":"https://a.example/t"}"#),
            Err(SmartError::Address(_))
        ));
    }

    #[test]
    fn only_the_callback_with_this_state_counts() {
        assert!(callback("/favicon.ico", "s1").is_none());
        assert!(callback("/callback?code=c&state=other", "s1").is_none());
        assert!(
            matches!(callback("/callback?code=c&state=s1", "s1"), Some(Ok(code)) if code.as_str() == "c")
        );
        assert!(matches!(
            callback("/callback?error=access_denied&state=s1", "s1"),
            Some(Err(SmartError::SignInAgain(_)))
        ));
    }

    #[test]
    fn token_answers_give_a_saved_sign_in_or_a_reason() {
        let now = Utc::now();
        let tokens = parse_tokens(
            200,
            br#"{"access_token":"a","token_type":"Bearer","expires_in":3600,"refresh_token":"r","patient":"p1","scope":"x"}"#,
            now,
            "vitalog",
            "https://a.example/t",
            None,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(tokens.patient.as_deref(), Some("Patient/p1"));
        assert_eq!(tokens.saved.refresh_token.as_deref(), Some("r"));
        assert!(!tokens.saved.needs_refresh(now));
        assert!(
            tokens
                .saved
                .needs_refresh(now + chrono::TimeDelta::seconds(3550))
        );
        let again = parse_tokens(
            400,
            br#"{"error":"invalid_grant","error_description":"grant request is invalid"}"#,
            now,
            "v",
            "t",
            Some("r"),
        );
        assert!(
            matches!(again, Err(SmartError::SignInAgain(text)) if text.contains("invalid_grant"))
        );
        let kept = parse_tokens(
            200,
            br#"{"access_token":"tok-secret","token_type":"bearer","expires_in":60}"#,
            now,
            "v",
            "t",
            Some("r"),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            kept.saved.refresh_token.as_deref(),
            Some("r"),
            "a refresh without a new refresh token keeps the old one"
        );
        assert!(
            !format!("{:?}", kept.saved).contains("tok-secret"),
            "tokens never reach a log line"
        );
        assert!(
            parse_tokens(
                200,
                br#"{"access_token":"a","token_type":"mac"}"#,
                now,
                "v",
                "t",
                None
            )
            .is_err()
        );
    }
}
