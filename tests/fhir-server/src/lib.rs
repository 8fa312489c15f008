//! Starts the FHIR R4 test server of this folder (`server.mjs`: Medplum's FHIR engine in
//! memory, with validation, atomic transactions and fault injection) on a free loopback
//! port, and talks to its test endpoints. The server stops when the handle drops.
//!
//! Its npm packages must be installed (`make test` does it: `npm ci` in `tests/fhir-server`).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use serde_json::Value;

/// A running test server.
pub struct FhirServer {
    child: Child,
    port: u16,
    /// The bearer token it requires.
    pub token: String,
}

/// This folder.
fn folder() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

impl FhirServer {
    /// Starts a server requiring `token`. Panics with what to do when Node or the npm
    /// packages are missing (a test harness: a panic is the failure report).
    pub fn start(token: &str) -> Self {
        Self::start_with(token, &[])
    }

    /// Starts a server that also signs patients in with SMART on FHIR (its authorization
    /// server under `/oauth`, patient `p1`), access tokens living `access_ttl_s` seconds.
    pub fn start_smart(token: &str, access_ttl_s: u32) -> Self {
        Self::start_with(
            token,
            &["--smart", "--access-ttl", &access_ttl_s.to_string()],
        )
    }

    fn start_with(token: &str, options: &[&str]) -> Self {
        let folder = folder();
        assert!(
            folder.join("node_modules/@medplum/fhir-router").is_dir(),
            "the FHIR test server's packages are missing: run `npm ci` in {} (make test does)",
            folder.display()
        );
        let mut child = Command::new("node")
            .arg(folder.join("server.mjs"))
            .args(["--port", "0", "--token", token])
            .args(options)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start node for the FHIR test server: {e}"));
        let stdout = child.stdout.take().unwrap_or_else(|| panic!("no stdout"));
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .unwrap_or_else(|e| panic!("the FHIR test server said nothing: {e}"));
        let port = line
            .trim()
            .strip_prefix("listening ")
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("the FHIR test server did not start: {line:?}"));
        Self {
            child,
            port,
            token: token.to_owned(),
        }
    }

    /// The FHIR base address.
    pub fn base(&self) -> String {
        format!("http://127.0.0.1:{}/fhir", self.port)
    }

    /// How many resources of `kind` it holds.
    pub fn count(&self, kind: &str) -> u64 {
        self.get(&format!("/__test/count/{kind}"))["count"]
            .as_u64()
            .unwrap_or_else(|| panic!("no count of {kind}"))
    }

    /// Every identifier value of every resource of `kind`.
    pub fn identifiers(&self, kind: &str) -> Vec<String> {
        self.get(&format!("/__test/identifiers/{kind}"))
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Every FHIR request it received.
    pub fn requests(&self) -> Vec<Value> {
        self.get("/__test/requests")
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    /// Sets the faults it injects (`{}` for none); see server.mjs.
    pub fn faults(&self, faults: &Value) {
        self.request("POST", "/__test/faults", Some(&faults.to_string()), None);
    }

    /// The SMART server's counts: `authorizations`, `token_requests`, `refreshes`.
    pub fn smart_stats(&self) -> Value {
        self.get("/__test/smart/stats")
    }

    /// Revokes every refresh token, so the next refresh fails and the patient must sign in
    /// again.
    pub fn revoke_refresh_tokens(&self) {
        self.request("POST", "/__test/smart/revoke-refresh", Some("{}"), None);
    }

    /// A FHIR read or search, with the token.
    pub fn fhir_get(&self, path_and_query: &str) -> Value {
        let (_, body) = self.request(
            "GET",
            &format!("/fhir/{path_and_query}"),
            None,
            Some(&self.token),
        );
        serde_json::from_slice(&body).unwrap_or(Value::Null)
    }

    fn get(&self, path: &str) -> Value {
        let (_, body) = self.request("GET", path, None, None);
        serde_json::from_slice(&body).unwrap_or(Value::Null)
    }

    /// One HTTP/1.0 exchange on loopback: status and body.
    fn request(
        &self,
        method: &str,
        path: &str,
        body: Option<&str>,
        token: Option<&str>,
    ) -> (u16, Vec<u8>) {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port))
            .unwrap_or_else(|e| panic!("cannot reach the FHIR test server: {e}"));
        let body = body.unwrap_or("");
        let auth = token.map_or(String::new(), |t| format!("Authorization: Bearer {t}\r\n"));
        let head = format!(
            "{method} {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n{auth}Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        );
        stream
            .write_all(head.as_bytes())
            .and_then(|()| stream.write_all(body.as_bytes()))
            .unwrap_or_else(|e| panic!("cannot write to the FHIR test server: {e}"));
        let mut answer = Vec::new();
        stream
            .read_to_end(&mut answer)
            .unwrap_or_else(|e| panic!("cannot read from the FHIR test server: {e}"));
        let split = answer
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .unwrap_or(answer.len());
        let status = String::from_utf8_lossy(&answer[..split])
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        (status, answer[(split + 4).min(answer.len())..].to_vec())
    }
}

impl Drop for FhirServer {
    fn drop(&mut self) {
        // Already gone is fine: the test is over either way.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
