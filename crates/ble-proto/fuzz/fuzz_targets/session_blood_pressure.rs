//! Drives the blood pressure cuff transfer with arbitrary link events; live cuff pressure is
//! never a record.

#![no_main]

use libfuzzer_sys::fuzz_target;

mod sessions;

fuzz_target!(|data: &[u8]| sessions::blood_pressure(data));
