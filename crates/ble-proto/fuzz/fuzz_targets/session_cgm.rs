//! Drives the CGM sync with arbitrary link events; each Time Offset is delivered at most once
//! and readings are dated only from a settled session start.

#![no_main]

use libfuzzer_sys::fuzz_target;

mod sessions;

fuzz_target!(|data: &[u8]| sessions::cgm(data));
