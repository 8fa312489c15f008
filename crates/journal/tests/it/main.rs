//! Integration tests of the journal crate, one module per area (SECURITY.md §8 numbers in the
//! module docs).

// Helpers outside #[test] functions unwrap too; a panic is a test failure here.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod alerts;
mod backup;
mod corpus;
mod crash;
mod entries;
mod exchange;
mod kdf;
mod keychain;
mod layout;
mod lifecycle;
mod plaintext;
mod rotation;
mod sharing;
mod store;
mod support;
mod tamper;
