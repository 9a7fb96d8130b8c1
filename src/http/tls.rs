//! TLS settings of the direct connections, and the TLS variant of the test seam.
//!
//! Towards real hosts gcdoctor trusts what the machine trusts: the platform verifier (the
//! system's roots; on Linux `SSL_CERT_FILE` can name a bundle), exactly as reqwest does.
//!
//! # The TLS seam (test-only)
//!
//! `GCDOCTOR_CONNECT_TO_TLS=HOST:PORT` together with `GCDOCTOR_TEST_CA=FILE` sends every
//! request, whatever its URL, over TLS to HOST:PORT, with the original host name as TLS server
//! name and `Host`/`:authority`, and trusts for those connections the certificate authority in
//! FILE (PEM) **and nothing else**. It is how the benchmark measures what a user waits for
//! (TCP and TLS set-up included) against the simulator. Why it cannot weaken TLS towards a
//! real host:
//! * it is accepted only with both values, and not together with the plain seam;
//! * in this mode every connection goes to HOST:PORT; no connection to any other address is
//!   ever made, so the test CA never vouches for a real Genesys host;
//! * the CA is the only root of that client: it is not added to the system's roots, and the
//!   system's roots are not loaded at all;
//! * certificate and host-name checks stay on (a certificate of the test CA must name the
//!   Genesys host asked for);
//! * the run is marked as a seam run like the plain seam (`Transport::uses_seam`), so its
//!   report cannot pass for one against the real service.

use rustls::ClientConfig;
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;
use std::sync::Arc;

/// The TLS variant of the test seam: where every request goes, and the only CA trusted there.
#[derive(Clone, PartialEq, Eq)]
pub struct TlsSeam {
    /// `HOST:PORT`.
    pub addr: String,
    /// The test certificate authority, PEM.
    pub ca_pem: Vec<u8>,
}

impl std::fmt::Debug for TlsSeam {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TlsSeam")
            .field("addr", &self.addr)
            .field("ca_pem", &format_args!("<{} bytes>", self.ca_pem.len()))
            .finish()
    }
}

/// ALPN: HTTP/2 where the server offers it, else HTTP/1.1.
fn with_alpn(mut c: ClientConfig) -> Arc<ClientConfig> {
    c.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Arc::new(c)
}

fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    crate::install_crypto_provider();
    rustls::crypto::CryptoProvider::get_default()
        .cloned()
        .unwrap_or_else(|| Arc::new(rustls::crypto::ring::default_provider()))
}

/// Towards real hosts: the machine's trust (platform verifier).
pub(super) fn system() -> Result<Arc<ClientConfig>, String> {
    let p = provider();
    let verifier = rustls_platform_verifier::Verifier::new(p.clone())
        .map_err(|e| format!("could not load this machine's trusted certificates: {e}"))?;
    let c = ClientConfig::builder_with_provider(p)
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("could not set up TLS: {e}"))?
        .dangerous() // the platform verifier: rustls calls every custom verifier "dangerous"
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    Ok(with_alpn(c))
}

/// The TLS seam: the test CA as the one and only root.
pub(super) fn test_ca(seam: &TlsSeam) -> Result<Arc<ClientConfig>, String> {
    let mut roots = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_slice_iter(&seam.ca_pem) {
        let cert = cert.map_err(|e| format!("the test CA file is not PEM: {e}"))?;
        roots
            .add(cert)
            .map_err(|e| format!("the test CA file holds an unusable certificate: {e}"))?;
    }
    if roots.is_empty() {
        return Err("the test CA file holds no certificate".into());
    }
    let c = ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("could not set up TLS: {e}"))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(with_alpn(c))
}
