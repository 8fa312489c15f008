#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| journal::fuzz_checks::run("key_file", data));
