#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| journal::test_support::fuzz_checks::run("import", data));
