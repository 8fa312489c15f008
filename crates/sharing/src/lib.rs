//! Sending readings to a care team's own FHIR R4 server. There is no Vitalog server: the
//! journal keeps who may receive what and queues each reading a grant covers in the same
//! transaction that stores it (`journal::sharing`); this crate takes what is due, sends it as
//! transaction Bundles (`fhir::upload`) over HTTPS, and reports each outcome back, so the
//! server ends up with exactly one copy of each reading however often a send is retried.
//!
//! - [`address`]: which server addresses are allowed (HTTPS, or plain HTTP to this computer).
//! - [`log`]: the transmission log as the patient takes it away.
//! - [`reply`]: what a server's answer means (delivered, try again later, refused), sans-IO.
//! - [`backoff`]: when to try again (capped exponential backoff with jitter, `Retry-After`).
//! - [`client`]: the HTTPS client (rustls on ring, the system's trusted certificates).
//! - [`sender`]: one round of sending what is due, for the app's background task and the CLI.
//! - [`smart`]: signing in with SMART on FHIR (discovery, PKCE in the browser, refresh).
//! - [`terms`]: the patient's choice of days turned into grant terms.

#![warn(missing_docs)]

pub mod address;
pub mod backoff;
pub mod client;
pub mod log;
pub mod reply;
pub mod sender;
pub mod smart;
pub mod terms;

pub use address::Address;
pub use client::FhirClient;
pub use sender::{Round, send_due};

/// What can stop sharing from working at all (a single send's failure is an outcome the
/// journal records, not an error).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SharingError {
    /// The care team's server address is not one Vitalog will send to.
    #[error("{0}")]
    Address(#[from] address::AddressError),

    /// The journal failed.
    #[error(transparent)]
    Journal(#[from] journal::Error),

    /// Signing in with SMART on FHIR failed.
    #[error("{0}")]
    Smart(#[from] smart::SmartError),

    /// A day the patient chose cannot be used.
    #[error("{0}")]
    Terms(#[from] terms::TermsError),

    /// Secure connections could not be set up on this computer.
    #[error("secure connections cannot be set up on this computer: {0}")]
    Tls(String),
}
