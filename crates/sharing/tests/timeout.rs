//! A server that stores a reading but answers too late: the send counts as failed and is
//! tried again, and the server still ends up with one copy.

// A panic is the failure report in tests.
#![allow(clippy::unwrap_used)]

use std::sync::Arc;
use std::time::Duration;

mod support;

use chrono::Utc;
use fhir_test_server::FhirServer;
use journal::NewEntry;
use readings::{Content, Decimal, GlucoseMethod, Quantity, Unit};
use sharing::{FhirClient, send_due};

#[tokio::test(flavor = "current_thread")]
async fn an_answer_that_comes_too_late_is_retried_and_kept_once() {
    let server = FhirServer::start("t");
    let dir = tempfile::tempdir().unwrap();
    let journal = support::sharing_glucose(dir.path(), &server.base(), "t");
    journal
        .lock()
        .await
        .add(&NewEntry::manual(
            Content::Glucose {
                value: Quantity {
                    value: Decimal::new(61, -1),
                    unit: Unit::MmolPerL,
                },
                meal: None,
                method: GlucoseMethod::Meter,
            },
            Utc::now().fixed_offset(),
        ))
        .unwrap();
    let impatient = FhirClient::new()
        .unwrap()
        .with_request_timeout(Duration::from_millis(500));
    server.faults(&serde_json::json!({"delay_ms": 1500}));

    let round = send_due(&Arc::downgrade(&journal), &impatient, "test")
        .await
        .unwrap();
    assert_eq!(round.recipients["Clinic"].retrying, 1);
    let status = journal.lock().await.sharing_status().unwrap();
    assert!(
        status[0].problem.as_deref().unwrap().contains("in time"),
        "{status:?}"
    );
    assert_eq!(
        server.count("Observation"),
        1,
        "stored although the answer was late"
    );

    server.faults(&serde_json::json!({}));
    journal.lock().await.queue_all_covered().unwrap();
    let round = send_due(&Arc::downgrade(&journal), &impatient, "test")
        .await
        .unwrap();
    assert_eq!(round.recipients["Clinic"].delivered, 1);
    assert_eq!(server.count("Observation"), 1, "one copy");
}
