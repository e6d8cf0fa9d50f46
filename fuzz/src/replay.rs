// Replays fuzz inputs through their checks, for the `fuzz_regressions` tests of core and of
// libcashi: each includes its checks and this file, then lists its targets with `replays!`.

/// The fuzz crate's folder, from a crate next to it.
fn fuzz_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz")
}

/// Runs every input of `target`'s seed corpus and regressions through `check`; returns how
/// many there were.
fn replay(target: &str, check: fn(&[u8])) -> usize {
    let mut count = 0;
    for folder in ["corpus", "regressions"] {
        let dir = fuzz_dir().join(folder).join(target);
        let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        for entry in entries {
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

/// One test per target (named after it), each with the least number of inputs its corpus
/// and regressions hold, and a test that every target whose source includes `$checks` is
/// listed.
macro_rules! replays {
    ($checks:literal: $($target:ident: $least:expr,)+) => {
        mod replay {
            $(
                #[test]
                fn $target() {
                    let count = super::replay(stringify!($target), super::$target);
                    assert!(count >= $least, "only {count} inputs");
                }
            )+

            #[test]
            fn every_target_on_these_checks_is_replayed() {
                let listed = [$(stringify!($target)),+];
                let dir = super::fuzz_dir().join("fuzz_targets");
                for entry in std::fs::read_dir(&dir).unwrap() {
                    let path = entry.unwrap().path();
                    let source = std::fs::read_to_string(&path).unwrap();
                    let name = path.file_stem().unwrap().to_string_lossy().into_owned();
                    if source.contains(concat!("\"../src/", $checks, "\"")) {
                        assert!(listed.contains(&name.as_str()), "{name} is not replayed");
                    }
                }
            }
        }
    };
}
