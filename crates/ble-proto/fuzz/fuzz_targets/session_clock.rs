//! Drives the clock check with arbitrary link events; a write happens only when allowed and
//! always carries a valid Current Time with adjust reason "external reference time update".

#![no_main]

use libfuzzer_sys::fuzz_target;

mod sessions;

fuzz_target!(|data: &[u8]| sessions::clock(data));
