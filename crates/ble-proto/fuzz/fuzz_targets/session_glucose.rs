//! Drives the glucose RACP sync with arbitrary link events; each sequence number is delivered
//! at most once per numbering.

#![no_main]

use libfuzzer_sys::fuzz_target;

mod sessions;

fuzz_target!(|data: &[u8]| sessions::glucose(data));
