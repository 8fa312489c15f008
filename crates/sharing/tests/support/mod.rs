//! A journal that shares glucose in real time with a test server, for the sharing crate's
//! tests and its benchmark (which includes this file).

use std::sync::Arc;

use journal::sharing::{GrantTerms, NewRecipient, SignIn};
use journal::{CreateOptions, Journal, KdfParams};
use readings::Kind;
use sharing::sender::SharedJournal;
use zeroize::Zeroizing;

/// A new journal in `dir` (the cheapest key derivation allowed).
pub fn new_journal(dir: &std::path::Path) -> Journal {
    let options = CreateOptions {
        kdf: KdfParams::OWASP_FLOOR,
    };
    Journal::create(dir, "a passphrase for tests", &options)
        .expect("journal")
        .0
}

/// A new journal in `dir` sharing glucose, from its whole history and in real time, with
/// "Clinic" at `fhir_base` as patient p1.
pub fn sharing_glucose(dir: &std::path::Path, fhir_base: &str, token: &str) -> SharedJournal {
    let mut journal = new_journal(dir);
    let id = journal
        .add_recipient(
            &NewRecipient {
                name: "Clinic".into(),
                fhir_base: fhir_base.into(),
                patient: Some("Patient/p1".into()),
                sign_in: SignIn::Token,
                secret: Zeroizing::new(token.into()),
            },
            "tests",
        )
        .expect("recipient");
    journal
        .grant(
            id,
            &GrantTerms {
                kinds: [Kind::Glucose].into(),
                notes: false,
                since: None,
                realtime: true,
                until: None,
            },
            "tests",
        )
        .expect("grant");
    Arc::new(tokio::sync::Mutex::new(journal))
}
