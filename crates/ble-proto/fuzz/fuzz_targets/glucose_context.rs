#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| ble_proto_fuzz::run("glucose_context", data));
