//! Replays every fuzzing seed and every input that once crashed a fuzz target
//! (`fuzz/corpus/`, `fuzz/regressions/`) through the same checks the fuzzer runs. The
//! C library's targets are replayed by `bindings-c/tests/fuzz_regressions.rs`.

include!("../../fuzz/src/checks.rs");

/// One test per target built on `fuzz/src/checks.rs` (named after it), each with the least
/// number of inputs its corpus and regressions hold.
macro_rules! replays {
    ($($target:ident: $least:expr,)+) => {
        const TARGETS: &[&str] = &[$(stringify!($target)),+];
        mod replay {
            $(
                #[test]
                fn $target() {
                    let count = super::replay(stringify!($target), super::$target);
                    assert!(count >= $least, "only {count} inputs");
                }
            )+
        }
    };
}

replays! {
    webhook_verify: 10,
    response_decode: 10,
    data_uri: 2,
    retry_after: 10,
}

fn fuzz_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz")
}

fn replay(target: &str, check: fn(&[u8])) -> usize {
    let mut count = 0;
    for folder in ["corpus", "regressions"] {
        let dir = fuzz_dir().join(folder).join(target);
        for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.unwrap().path();
            if path
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'))
            {
                continue;
            }
            let data = std::fs::read(&path).unwrap();
            let result = std::panic::catch_unwind(|| check(&data));
            assert!(result.is_ok(), "{} fails its check", path.display());
            count += 1;
        }
    }
    count
}

/// A new target on `checks.rs` is replayed here as soon as it exists.
#[test]
fn every_target_on_these_checks_is_replayed() {
    let targets = fuzz_dir().join("fuzz_targets");
    for entry in std::fs::read_dir(&targets).unwrap() {
        let path = entry.unwrap().path();
        let source = std::fs::read_to_string(&path).unwrap();
        if source.contains("src/checks.rs") {
            let name = path.file_stem().unwrap().to_string_lossy();
            assert!(TARGETS.contains(&&*name), "{name} is not in TARGETS");
        }
    }
}
