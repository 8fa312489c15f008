//! The one integration-test binary of the CLI: runs the built `vitalog` binary.

// In tests a panic is the failure report, helpers included.
#![allow(clippy::unwrap_used)]

mod bluez;
mod decode;
mod devices;
mod keys;
mod share;
mod trends;
