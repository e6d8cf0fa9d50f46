#![no_main]

include!("../src/checks.rs");

libfuzzer_sys::fuzz_target!(|data: &[u8]| amount(data));
