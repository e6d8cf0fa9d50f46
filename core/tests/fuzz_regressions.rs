//! Replays every fuzzing seed and every input that once crashed a fuzz target
//! (`fuzz/corpus/`, `fuzz/regressions/`) through the same checks the fuzzer runs. The
//! C library's targets are replayed by `bindings-c/src/fuzz_regressions.rs`.

include!("../../fuzz/src/checks.rs");
include!("../../fuzz/src/replay.rs");

replays! {
    "checks.rs":
    webhook_verify: 10,
    response_decode: 10,
    data_uri: 2,
    retry_after: 10,
    signature_header: 10,
    amount: 20,
    validators: 10,
}
