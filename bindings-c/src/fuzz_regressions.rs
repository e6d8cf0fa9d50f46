//! Replays every fuzzing seed and every input that once crashed a fuzz target of the C
//! library (`fuzz/corpus/`, `fuzz/regressions/`) through the same checks the fuzzer runs,
//! calling the exported functions as the fuzz targets do. A unit test rather than a file of
//! `tests/`: there the name `cashi` would mean both this library and the core it wraps.

use crate as cashi_ffi;

include!("../../fuzz/src/ffi_checks.rs");
include!("../../fuzz/src/replay.rs");

replays! {
    "ffi_checks.rs":
    header_lines: 10,
    c_abi: 10,
}
