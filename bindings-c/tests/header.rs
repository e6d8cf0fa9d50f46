//! `include/cashi.h` (and the PHP package's copy of it) must be exactly what cbindgen
//! generates from the current source. Regenerate both with:
//!     CASHI_UPDATE_HEADER=1 cargo test -p cashi-ffi --test header

use std::path::Path;

fn generate() -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = cbindgen::Config::from_file(dir.join("cbindgen.toml")).expect("cbindgen.toml");
    let bindings = cbindgen::Builder::new()
        .with_crate(dir)
        .with_config(config)
        .generate()
        .expect("cbindgen could not generate the header");
    let mut out = Vec::new();
    bindings.write(&mut out);
    String::from_utf8(out).expect("the header is UTF-8")
}

#[test]
fn committed_headers_match_a_fresh_generation() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let fresh = generate();
    let targets = [
        dir.join("include/cashi.h"),
        dir.join("../bindings-php/resources/cashi.h"),
    ];
    if std::env::var_os("CASHI_UPDATE_HEADER").is_some() {
        for path in &targets {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, &fresh).unwrap();
        }
    }
    for path in &targets {
        let committed =
            std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(
            committed == fresh,
            "{} differs from what cbindgen generates now; regenerate it with \
             CASHI_UPDATE_HEADER=1 cargo test -p cashi-ffi --test header",
            path.display()
        );
    }
}

#[test]
fn header_is_plain_enough_for_php_ffi() {
    // PHP's FFI::cdef takes plain declarations only; the PHP package drops the include
    // guard, the #include lines and the __cplusplus block. Anything else would break it.
    let fresh = generate();
    let mut in_cplusplus = false;
    for line in fresh.lines() {
        let t = line.trim();
        if t.starts_with("#ifdef __cplusplus") {
            in_cplusplus = true;
            continue;
        }
        if in_cplusplus {
            if t.starts_with("#endif") {
                in_cplusplus = false;
            }
            continue;
        }
        if t.starts_with('#') {
            assert!(
                t.starts_with("#include <")
                    || t == "#ifndef CASHI_H"
                    || t == "#define CASHI_H"
                    || t.starts_with("#endif"),
                "a preprocessor line PHP's loader does not expect: {t}"
            );
        }
        assert!(!t.contains("#define") || t == "#define CASHI_H", "{t}");
    }
}
