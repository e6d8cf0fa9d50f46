#![no_main]

include!("../src/ffi_checks.rs");

libfuzzer_sys::fuzz_target!(|data: &[u8]| header_lines(data));
