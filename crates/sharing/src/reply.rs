//! What a FHIR server's answer to a transaction means, sans-IO: the readings are stored (with
//! the resources the server named), should be tried again later (the server is down, busy, or
//! the sign-in needs renewing), or were refused for good (the server's OperationOutcome says
//! why). An answer that claims success but is not the transaction response the request asked
//! for counts as a failure: a captive portal or a misconfigured proxy must not make a reading
//! look delivered.

use std::time::Duration;

use serde::Deserialize;

/// What the answer means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    /// The server holds every resource of the Bundle; their locations, in order.
    Stored {
        /// `Observation/123/_history/1`, one per Bundle entry.
        locations: Vec<String>,
    },
    /// Try again later (at least after `retry_after` when the server said so).
    Retry {
        /// What went wrong, for the patient.
        problem: String,
        /// The server's `Retry-After`.
        retry_after: Option<Duration>,
    },
    /// The server refused the Bundle for what it holds. With more than one reading in it,
    /// send them in smaller Bundles to find the one at fault.
    Refused {
        /// The server's reason.
        problem: String,
    },
    /// The Bundle is too large for this server; send fewer readings at once.
    TooLarge,
    /// The server did not accept the sign-in (401, 403): a SMART sign-in is refreshed before
    /// the next try, a clinic's token needs replacing.
    SignedOut {
        /// What the server said.
        problem: String,
    },
}

#[derive(Deserialize)]
struct Bundle {
    #[serde(rename = "resourceType")]
    resource_type: String,
    #[serde(rename = "type")]
    kind: Option<String>,
    #[serde(default)]
    entry: Vec<BundleEntry>,
}

#[derive(Deserialize)]
struct BundleEntry {
    response: Option<EntryResponse>,
}

#[derive(Deserialize)]
struct EntryResponse {
    status: String,
    location: Option<String>,
}

#[derive(Deserialize)]
struct OperationOutcome {
    #[serde(rename = "resourceType")]
    resource_type: String,
    #[serde(default)]
    issue: Vec<Issue>,
}

#[derive(Deserialize)]
struct Issue {
    severity: Option<String>,
    diagnostics: Option<String>,
    details: Option<Details>,
    #[serde(default)]
    expression: Vec<String>,
}

#[derive(Deserialize)]
struct Details {
    text: Option<String>,
}

/// How much of a server's explanation is kept.
const LONGEST_PROBLEM: usize = 400;

/// The server's explanation in an OperationOutcome, if the body is one.
fn outcome_text(body: &[u8]) -> Option<String> {
    let outcome: OperationOutcome = serde_json::from_slice(body).ok()?;
    if outcome.resource_type != "OperationOutcome" {
        return None;
    }
    let issues: Vec<String> = outcome
        .issue
        .iter()
        .filter(|i| matches!(i.severity.as_deref(), Some("error" | "fatal") | None))
        .filter_map(|issue| {
            let text = issue
                .details
                .as_ref()
                .and_then(|d| d.text.clone())
                .or_else(|| issue.diagnostics.clone())?;
            Some(match issue.expression.first() {
                Some(at) => format!("{at}: {text}"),
                None => text,
            })
        })
        .collect();
    if issues.is_empty() {
        return None;
    }
    let mut text = issues.join("; ");
    if text.len() > LONGEST_PROBLEM {
        let mut cut = LONGEST_PROBLEM;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
        text.push('…');
    }
    Some(text)
}

fn said(status: u16, body: &[u8], otherwise: &str) -> String {
    match outcome_text(body) {
        Some(text) => format!("the server answered {status}: {text}"),
        None => format!("the server answered {status}: {otherwise}"),
    }
}

/// Reads the answer to a transaction of `sent` Bundle entries.
pub fn interpret(status: u16, retry_after: Option<Duration>, body: &[u8], sent: usize) -> Reply {
    match status {
        200..=299 => stored(body, sent),
        300..=399 => Reply::Retry {
            problem: format!(
                "the server answered {status}, sending the readings elsewhere; Vitalog does not follow that: check the care team's FHIR address"
            ),
            retry_after,
        },
        401 | 403 => Reply::SignedOut {
            problem: said(status, body, "the sign-in was refused"),
        },
        408 | 425 | 429 => Reply::Retry {
            problem: said(status, body, "the server is busy"),
            retry_after,
        },
        413 => Reply::TooLarge,
        400..=499 => Reply::Refused {
            problem: said(status, body, "it refused the readings"),
        },
        _ => Reply::Retry {
            problem: said(status, body, "the server has a problem"),
            retry_after,
        },
    }
}

fn stored(body: &[u8], sent: usize) -> Reply {
    let not_fhir = || Reply::Retry {
        problem:
            "the server's answer was not a FHIR transaction response; is the address the FHIR base?"
                .into(),
        retry_after: None,
    };
    let Ok(bundle) = serde_json::from_slice::<Bundle>(body) else {
        return not_fhir();
    };
    if bundle.resource_type != "Bundle"
        || bundle.kind.as_deref() != Some("transaction-response")
        || bundle.entry.len() != sent
    {
        return not_fhir();
    }
    let mut locations = Vec::with_capacity(sent);
    for entry in bundle.entry {
        let Some(response) = entry.response else {
            return not_fhir();
        };
        if !response.status.trim_start().starts_with('2') {
            return not_fhir();
        }
        locations.push(response.location.unwrap_or_default());
    }
    Reply::Stored { locations }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(statuses: &[&str]) -> Vec<u8> {
        let entries: Vec<_> = statuses
            .iter()
            .enumerate()
            .map(|(i, s)| serde_json::json!({"response": {"status": s, "location": format!("Observation/{i}/_history/1")}}))
            .collect();
        serde_json::json!({"resourceType": "Bundle", "type": "transaction-response", "entry": entries})
            .to_string()
            .into_bytes()
    }

    #[test]
    fn a_transaction_response_is_stored_with_its_locations() {
        assert_eq!(
            interpret(200, None, &response(&["201 Created", "200 OK"]), 2),
            Reply::Stored {
                locations: vec![
                    "Observation/0/_history/1".into(),
                    "Observation/1/_history/1".into()
                ]
            }
        );
    }

    #[test]
    fn a_success_that_is_not_the_answer_asked_for_is_not_trusted() {
        for body in [
            b"<html>Welcome to the hotel wifi</html>".to_vec(),
            response(&["201 Created"]),
            br#"{"resourceType":"Bundle","type":"batch-response","entry":[{"response":{"status":"201"}}]}"#.to_vec(),
            response(&["201 Created", "400 Bad Request"]),
        ] {
            assert!(matches!(interpret(200, None, &body, 2), Reply::Retry { .. }));
        }
    }

    #[test]
    fn refusals_carry_the_servers_reason() {
        let outcome = br#"{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"invalid","details":{"text":"Missing required property"},"expression":["Bundle.entry[2].resource.code"]},{"severity":"warning","diagnostics":"ignored"}]}"#;
        assert_eq!(
            interpret(400, None, outcome, 3),
            Reply::Refused {
                problem: "the server answered 400: Bundle.entry[2].resource.code: Missing required property".into()
            }
        );
        assert_eq!(
            interpret(422, None, b"nope", 1),
            Reply::Refused {
                problem: "the server answered 422: it refused the readings".into()
            }
        );
        let long = format!(
            r#"{{"resourceType":"OperationOutcome","issue":[{{"severity":"error","diagnostics":"{}"}}]}}"#,
            "é".repeat(1000)
        );
        let Reply::Refused { problem } = interpret(400, None, long.as_bytes(), 1) else {
            panic!("refused")
        };
        assert!(problem.len() < 500 && problem.ends_with('…'));
    }

    #[test]
    fn busy_down_and_signed_out_servers_are_tried_again() {
        let later = Some(Duration::from_secs(30));
        for status in [401, 403] {
            assert!(
                matches!(interpret(status, later, b"", 1), Reply::SignedOut { .. }),
                "{status}"
            );
        }
        for status in [408, 429, 500, 502, 503, 504] {
            assert!(
                matches!(interpret(status, later, b"", 1), Reply::Retry { retry_after, .. } if retry_after == later),
                "{status}"
            );
        }
        assert_eq!(interpret(413, None, b"", 100), Reply::TooLarge);
    }
}
