//! Replays every fuzzing seed and every input that once crashed a fuzz target
//! (`fuzz/corpus/`, `fuzz/regressions/`) through the same checks the fuzzer runs.

include!("../../fuzz/src/checks.rs");

fn replay(target: &str, check: fn(&[u8])) -> usize {
    let mut count = 0;
    for folder in ["corpus", "regressions"] {
        let dir = format!("{}/../fuzz/{folder}/{target}", env!("CARGO_MANIFEST_DIR"));
        for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{dir}: {e}")) {
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

#[test]
fn webhook_verify_inputs() {
    assert!(replay("webhook_verify", webhook_verify) > 10);
}

#[test]
fn response_decode_inputs() {
    assert!(replay("response_decode", response_decode) > 10);
}

#[test]
fn data_uri_inputs() {
    assert!(replay("data_uri", data_uri) > 2);
}
