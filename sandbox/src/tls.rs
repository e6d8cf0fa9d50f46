//! HTTPS for the sandbox (`--tls`): a CA made at start, its key kept in memory only, signs
//! a certificate for the names the sandbox is reached by; the CA's certificate is written
//! to a file an SDK is given as its CA bundle. Nothing else can be signed by that CA once
//! the sandbox stops, so trusting its file trusts this run of the sandbox only.

use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair,
    KeyUsagePurpose,
};
use tokio_rustls::rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio_rustls::rustls::{self, ServerConfig};
use tokio_rustls::TlsAcceptor;

use crate::error::SandboxError;

/// The server's TLS: what accepts connections, and where the CA's certificate was written.
pub(crate) struct Tls {
    pub acceptor: TlsAcceptor,
    pub ca_file: CaFile,
}

/// The CA certificate's file. One the sandbox chose itself (in a directory of its own
/// under the system's temporary one) is removed when the sandbox stops; one named by
/// `--tls-ca-out` or kept next to `--db` stays.
pub(crate) struct CaFile {
    pub path: PathBuf,
    remove_dir: Option<PathBuf>,
}

impl Drop for CaFile {
    fn drop(&mut self) {
        if let Some(dir) = &self.remove_dir {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// Makes the CA and the server certificate for `names` (host names and IP addresses) and
/// writes the CA's certificate: to `ca_out` if given, else next to the database
/// (`FILE-ca.pem` for `--db FILE`), else into a new directory under the temporary one.
pub(crate) fn setup(
    names: &[String],
    ca_out: Option<&Path>,
    db_path: Option<&Path>,
) -> Result<Tls, SandboxError> {
    let failed = |what: &str, e: rcgen::Error| {
        SandboxError::Config(format!("cannot make the TLS certificate ({what}): {e}"))
    };
    let ca_key = KeyPair::generate().map_err(|e| failed("CA key", e))?;
    let mut ca_params =
        CertificateParams::new(Vec::<String>::new()).map_err(|e| failed("CA", e))?;
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    ca_params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "cashi-sandbox local CA");
    let ca = ca_params
        .self_signed(&ca_key)
        .map_err(|e| failed("CA", e))?;

    let key = KeyPair::generate().map_err(|e| failed("server key", e))?;
    let mut params = CertificateParams::new(names.to_vec()).map_err(|e| failed("names", e))?;
    params
        .distinguished_name
        .push(DnType::CommonName, "cashi-sandbox");
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    let cert = params
        .signed_by(&key, &ca, &ca_key)
        .map_err(|e| failed("server", e))?;

    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| SandboxError::Config(format!("TLS settings: {e}")))?
        .with_no_client_auth()
        .with_single_cert(
            vec![cert.der().clone()],
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())),
        )
        .map_err(|e| SandboxError::Config(format!("TLS settings: {e}")))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];

    let ca_file = write_ca(&ca.pem(), ca_out, db_path)?;
    Ok(Tls {
        acceptor: TlsAcceptor::from(Arc::new(config)),
        ca_file,
    })
}

/// The names the certificate is for: `localhost` and the loopback addresses, the bound
/// address when it is a specific one, and every `--allowed-host` name.
pub(crate) fn names(host: IpAddr, allowed_hosts: &[String]) -> Vec<String> {
    let mut names = vec![
        "localhost".to_string(),
        "127.0.0.1".to_string(),
        "::1".to_string(),
    ];
    if !host.is_unspecified() && !host.is_loopback() {
        names.push(host.to_string());
    }
    for name in allowed_hosts {
        if !names.contains(name) {
            names.push(name.clone());
        }
    }
    names
}

fn write_ca(
    pem: &str,
    ca_out: Option<&Path>,
    db_path: Option<&Path>,
) -> Result<CaFile, SandboxError> {
    let (path, remove_dir, field) = match (ca_out, db_path) {
        (Some(path), _) => (path.to_path_buf(), None, "tls_ca_out (--tls-ca-out)"),
        (None, Some(db)) => {
            let mut name = db.as_os_str().to_owned();
            name.push("-ca.pem");
            (PathBuf::from(name), None, "the CA file next to --db")
        }
        (None, None) => {
            let dir = private_temp_dir()?;
            (dir.join("ca.pem"), Some(dir), "the CA file")
        }
    };
    // Written whole under another name, then renamed: a client reading the path never
    // sees half a file.
    let partial = path.with_extension(format!("partial-{}", std::process::id()));
    std::fs::write(&partial, pem)
        .and_then(|()| std::fs::rename(&partial, &path))
        .map_err(|e| {
            let _ = std::fs::remove_file(&partial);
            SandboxError::Config(format!("{field}: cannot write {}: {e}", path.display()))
        })?;
    Ok(CaFile { path, remove_dir })
}

/// A new directory under the system's temporary one that no other process made.
fn private_temp_dir() -> Result<PathBuf, SandboxError> {
    let base = std::env::temp_dir();
    let mut last = None;
    for _ in 0..16 {
        let dir = base.join(format!(
            "cashi-sandbox-{}-{:08x}",
            std::process::id(),
            fastrand::u32(..)
        ));
        match std::fs::create_dir(&dir) {
            Ok(()) => return Ok(dir),
            Err(e) => last = Some(e),
        }
    }
    Err(SandboxError::Config(format!(
        "cannot make a directory for the CA file under {}: {}",
        base.display(),
        last.map_or_else(String::new, |e| e.to_string())
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_certificate_names_loopback_the_bound_address_and_allowed_hosts() {
        let loopback = names("127.0.0.1".parse().unwrap(), &[]);
        assert_eq!(loopback, ["localhost", "127.0.0.1", "::1"]);
        let lan = names(
            "192.168.1.5".parse().unwrap(),
            &["sandbox".to_string(), "localhost".to_string()],
        );
        assert_eq!(
            lan,
            ["localhost", "127.0.0.1", "::1", "192.168.1.5", "sandbox"]
        );
        assert_eq!(names("0.0.0.0".parse().unwrap(), &[]).len(), 3);
    }

    #[test]
    fn a_ca_file_of_its_own_is_removed_when_dropped_one_asked_for_is_kept() {
        let tls = setup(&names("127.0.0.1".parse().unwrap(), &[]), None, None).unwrap();
        let path = tls.ca_file.path.clone();
        let pem = std::fs::read_to_string(&path).unwrap();
        assert!(pem.starts_with("-----BEGIN CERTIFICATE-----"), "{pem}");
        assert!(!pem.contains("PRIVATE KEY"));
        drop(tls);
        assert!(!path.exists() && !path.parent().unwrap().exists());

        let dir = private_temp_dir().unwrap();
        let out = dir.join("given.pem");
        let tls = setup(&["localhost".to_string()], Some(&out), None).unwrap();
        drop(tls);
        assert!(out.exists());
        let db = dir.join("orders.db");
        let tls = setup(&["localhost".to_string()], None, Some(&db)).unwrap();
        assert_eq!(tls.ca_file.path, dir.join("orders.db-ca.pem"));
        drop(tls);
        assert!(dir.join("orders.db-ca.pem").exists());
        let mut names: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        assert_eq!(
            names,
            ["given.pem", "orders.db-ca.pem"],
            "no partial file left"
        );

        let e = setup(
            &["localhost".to_string()],
            Some(&dir.join("no/such/dir/ca.pem")),
            None,
        )
        .err()
        .unwrap();
        assert!(
            e.to_string()
                .contains("tls_ca_out (--tls-ca-out): cannot write"),
            "{e}"
        );
        std::fs::remove_dir_all(dir).unwrap();
    }
}
