//! Integration tests of the link crate, against the simulated monitors.

mod adapter;
mod simulated;
