//! The certificates a client trusts: the Mozilla roots compiled in (`webpki-roots`), plus
//! the CA certificates of a PEM bundle when one is named, by the `ca_bundle` option, else
//! `CASHI_CA_BUNDLE`, else `SSL_CERT_FILE` (as curl and OpenSSL read it).
//!
//! Why the compiled-in roots and not the operating system's store by default: the SDK
//! then trusts the same authorities on every platform and in every container (a
//! distroless or `scratch` image has no store at all), a process pays nothing to load them
//! (they are compiled in, already parsed: no file to read and parse in each PHP-FPM or
//! gunicorn worker), and cashi.id's certificate chains to one of them. What the OS store
//! would add, a TLS-inspecting proxy's or a private CA, is what the bundle is for;
//! `SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt` adds the whole OS store.
//!
//! A bundle's certificates are added to the compiled-in roots, never in place of them.
//! The TLS settings of a bundle are built once per process and reused by every client
//! naming it, until the file changes (another size, modification time or inode).

use std::ffi::OsString;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::time::SystemTime;

use rustls::client::Resumption;
use rustls::pki_types::pem::{self, PemObject};
use rustls::pki_types::CertificateDer;

use crate::error::{Error, Result};
use crate::process_local::PerProcess;
use crate::tls_sessions::SessionStore;

/// The largest bundle read: an OS store's whole bundle is a few hundred KB.
const MAX_BUNDLE_BYTES: u64 = 8 << 20;

/// Bundles kept built at once; a process naming more (a test suite minting a CA per test)
/// rebuilds the oldest again when it comes back to it.
const MAX_CACHED: usize = 16;

/// Where the bundle's path came from: its name starts every error about it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Source {
    Option,
    CashiEnv,
    SslCertFile,
}

impl Source {
    fn name(self) -> &'static str {
        match self {
            Source::Option => "ca_bundle",
            Source::CashiEnv => "CASHI_CA_BUNDLE",
            Source::SslCertFile => "SSL_CERT_FILE",
        }
    }

    /// What to do about a bad bundle.
    fn advice(self) -> &'static str {
        match self {
            Source::Option => "give the path of a PEM file of CA certificates",
            Source::CashiEnv | Source::SslCertFile => {
                "point it at a PEM file of CA certificates, or unset it"
            }
        }
    }
}

/// The TLS settings of a client. Two are equal when they are the same settings (one per
/// bundle per process), so clients naming the same bundle share connection pools.
#[derive(Clone)]
pub(crate) struct Tls {
    pub(crate) config: Arc<rustls::ClientConfig>,
}

impl PartialEq for Tls {
    fn eq(&self, other: &Tls) -> bool {
        Arc::ptr_eq(&self.config, &other.config)
    }
}

impl Eq for Tls {}

/// The TLS settings for `option` (the `ca_bundle` option), or the environment's bundle, or
/// the compiled-in roots alone. A bundle that cannot be used is an `invalid_argument`
/// naming the option or variable and the path (never the file's contents).
pub(crate) fn resolve(option: Option<&Path>) -> Result<Tls> {
    let named = match option {
        Some(path) => Some((path.to_path_buf(), Source::Option)),
        None => from_env(),
    };
    let config = match named {
        None => default_config(),
        Some((path, source)) => bundle_config(&path, source)?,
    };
    Ok(Tls { config })
}

/// `CASHI_CA_BUNDLE`, else `SSL_CERT_FILE`; an empty variable counts as unset.
fn from_env() -> Option<(PathBuf, Source)> {
    [
        ("CASHI_CA_BUNDLE", Source::CashiEnv),
        ("SSL_CERT_FILE", Source::SslCertFile),
    ]
    .into_iter()
    .find_map(|(var, source)| {
        std::env::var_os(var)
            .filter(|v| !v.is_empty())
            .map(|v| (PathBuf::from(v), source))
    })
}

/// The compiled-in roots alone, built once per process.
fn default_config() -> Arc<rustls::ClientConfig> {
    static CONFIG: OnceLock<Arc<rustls::ClientConfig>> = OnceLock::new();
    CONFIG.get_or_init(|| config_with(Vec::new())).clone()
}

/// The compiled-in roots and `extra`.
fn roots_with(extra: Vec<CertificateDer<'static>>) -> rustls::RootCertStore {
    let mut roots = rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    for cert in extra {
        // Each was checked by `read_bundle`.
        let _ = roots.add(cert);
    }
    roots
}

fn config_with(extra: Vec<CertificateDer<'static>>) -> Arc<rustls::ClientConfig> {
    let roots = roots_with(extra);
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("ring supports the default TLS versions")
        .with_root_certificates(roots)
        .with_no_client_auth();
    config.resumption = Resumption::store(Arc::new(SessionStore::default()));
    Arc::new(config)
}

/// What a bundle file was when it was read: a change makes it another bundle. The inode
/// tells a file replaced by a rename (as tools write them) even within the modification
/// time's resolution.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified: Option<SystemTime>,
    inode: (u64, u64),
}

impl Stamp {
    fn of(meta: &std::fs::Metadata) -> Stamp {
        #[cfg(unix)]
        let inode = {
            use std::os::unix::fs::MetadataExt;
            (meta.dev(), meta.ino())
        };
        #[cfg(not(unix))]
        let inode = (0, 0);
        Stamp {
            len: meta.len(),
            modified: meta.modified().ok(),
            inode,
        }
    }
}

struct Cached {
    path: OsString,
    stamp: Stamp,
    config: Arc<rustls::ClientConfig>,
}

/// Built bundles, most recently built last; locked only to look up or insert, never while
/// a file is read. A forked child starts with none (see `PerProcess`).
static BUNDLES: PerProcess<Vec<Cached>> = PerProcess::new();

fn bundle_config(path: &Path, source: Source) -> Result<Arc<rustls::ClientConfig>> {
    let fail = |what: String| {
        Error::invalid(format!(
            "{}: {} {what}; {}",
            source.name(),
            path.display(),
            source.advice()
        ))
    };
    if path.as_os_str().is_empty() {
        return Err(Error::invalid(format!(
            "{}: is empty; {}",
            source.name(),
            source.advice()
        )));
    }
    let meta = std::fs::metadata(path).map_err(|e| fail(format!("cannot be read ({e})")))?;
    if !meta.is_file() {
        return Err(fail("is not a file".into()));
    }
    let stamp = Stamp::of(&meta);
    {
        let cache = BUNDLES.lock();
        if let Some(hit) = cache
            .iter()
            .find(|c| c.path == path.as_os_str() && c.stamp == stamp)
        {
            return Ok(hit.config.clone());
        }
    }
    let certs = read_bundle(path).map_err(fail)?;
    let config = config_with(certs);
    let mut cache = BUNDLES.lock();
    cache.retain(|c| c.path != path.as_os_str());
    if cache.len() >= MAX_CACHED {
        cache.remove(0);
    }
    cache.push(Cached {
        path: path.as_os_str().to_owned(),
        stamp,
        config: config.clone(),
    });
    Ok(config)
}

/// The certificates of a PEM file, each checked to be one a root store can hold. The
/// errors say what is wrong in words of their own, never quoting the file.
fn read_bundle(path: &Path) -> std::result::Result<Vec<CertificateDer<'static>>, String> {
    let mut bytes = Vec::new();
    File::open(path)
        .and_then(|f| f.take(MAX_BUNDLE_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|e| format!("cannot be read ({e})"))?;
    if bytes.len() as u64 > MAX_BUNDLE_BYTES {
        return Err(format!(
            "is larger than {} MiB, which no bundle of CA certificates is",
            MAX_BUNDLE_BYTES >> 20
        ));
    }
    let certs = CertificateDer::pem_slice_iter(&bytes)
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(|e| {
            let what = match e {
                pem::Error::MissingSectionEnd { .. } => "a PEM section has no END line",
                pem::Error::IllegalSectionStart { .. } => "a PEM BEGIN line is malformed",
                pem::Error::Base64Decode(_) => "a PEM section is not valid base64",
                pem::Error::SectionTooLarge => "a PEM section is too large",
                _ => "is not valid PEM",
            };
            format!("is not a valid PEM file: {what}")
        })?;
    if certs.is_empty() {
        return Err(
            "holds no PEM certificate (a block starting -----BEGIN CERTIFICATE-----)".into(),
        );
    }
    let mut store = rustls::RootCertStore::empty();
    for (i, cert) in certs.iter().enumerate() {
        store.add(cert.clone()).map_err(|e| {
            format!(
                "certificate {} of {}: is not a CA certificate a client can trust ({e})",
                i + 1,
                certs.len()
            )
        })?;
    }
    Ok(certs)
}

/// Whether a connection failure's cause is the server's certificate, which a bundle may
/// fix: the transport then says how to give one.
pub(crate) fn is_certificate_error(cause: &str) -> bool {
    cause.contains("invalid peer certificate")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A directory of its own under the temporary one, removed when dropped.
    struct TempDir(PathBuf);

    impl TempDir {
        fn new() -> TempDir {
            let dir = std::env::temp_dir().join(format!(
                "cashi-trust-{}-{}",
                std::process::id(),
                fastrand::u64(..)
            ));
            std::fs::create_dir_all(&dir).unwrap();
            TempDir(dir)
        }

        fn file(&self, name: &str, contents: &[u8]) -> PathBuf {
            let path = self.0.join(name);
            std::fs::write(&path, contents).unwrap();
            path
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    #[test]
    fn bad_bundles_name_the_source_and_path_but_not_the_contents() {
        let tmp = TempDir::new();
        let missing = tmp.0.join("missing.pem");
        let binary = tmp.file("ca.der", b"\x30\x82SECRET-LOOKING\x00\xff bytes");
        let key_only = tmp.file(
            "key.pem",
            b"-----BEGIN PRIVATE KEY-----\nTUlJQ1NFQ1JFVA==\n-----END PRIVATE KEY-----\n",
        );
        let truncated = tmp.file(
            "cut.pem",
            b"-----BEGIN CERTIFICATE-----\nTUlJQ1NFQ1JFVA==\n",
        );
        let not_base64 = tmp.file(
            "b64.pem",
            b"-----BEGIN CERTIFICATE-----\nSECRET*LOOKING!\n-----END CERTIFICATE-----\n",
        );
        let not_a_cert = tmp.file(
            "junk.pem",
            b"-----BEGIN CERTIFICATE-----\nU0VDUkVULUxPT0tJTkc=\n-----END CERTIFICATE-----\n",
        );
        let empty = tmp.file("empty.pem", b"");
        let dir = tmp.0.clone();
        for (path, says) in [
            (&missing, "cannot be read"),
            (&dir, "is not a file"),
            (&empty, "holds no PEM certificate"),
            (&binary, "holds no PEM certificate"),
            (&key_only, "holds no PEM certificate"),
            (&truncated, "has no END line"),
            (&not_base64, "not valid base64"),
            (&not_a_cert, "certificate 1 of 1: is not a CA certificate"),
        ] {
            let e = resolve(Some(path)).err().expect("refused");
            assert_eq!(e.kind(), crate::ErrorKind::InvalidArgument, "{e}");
            let message = e.message();
            assert!(message.starts_with("ca_bundle: "), "{message}");
            assert!(message.contains(&path.display().to_string()), "{message}");
            assert!(message.contains(says), "{message}");
            assert!(!message.contains("SECRET"), "{message}");
            assert!(!message.contains("TUlJQ1NF"), "{message}");
        }
        let e = resolve(Some(Path::new(""))).err().expect("refused");
        assert_eq!(
            e.message(),
            "ca_bundle: is empty; give the path of a PEM file of CA certificates"
        );
    }

    #[test]
    fn a_bundle_is_built_once_until_its_file_changes() {
        let ca = |name: &str| {
            let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
            params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
            params
                .distinguished_name
                .push(rcgen::DnType::CommonName, name);
            let key = rcgen::KeyPair::generate().unwrap();
            params.self_signed(&key).unwrap().pem()
        };
        let tmp = TempDir::new();
        let path = tmp.file("ca.pem", ca("first").as_bytes());
        // Added to the compiled-in roots, not in place of them.
        let certs = read_bundle(&path).unwrap();
        assert_eq!(certs.len(), 1);
        assert_eq!(
            roots_with(certs).len(),
            webpki_roots::TLS_SERVER_ROOTS.len() + 1
        );
        let first = resolve(Some(&path)).unwrap();
        let again = resolve(Some(&path)).unwrap();
        assert!(first == again, "the same settings, not a second build");
        let default = Tls {
            config: default_config(),
        };
        assert!(first != default);
        // Two certificates, another size: read again.
        std::fs::write(&path, ca("second") + &ca("third")).unwrap();
        let changed = resolve(Some(&path)).unwrap();
        assert!(changed != first);
        assert_eq!(
            changed.config.alpn_protocols, first.config.alpn_protocols,
            "same settings otherwise"
        );
    }
}
