//! A throwaway certificate authority and a certificate for every region's login and API
//! host, made with rcgen for one run: the TLS simulator serves the certificate, and gcdoctor
//! trusts the CA only through the test-only TLS seam (`GCDOCTOR_CONNECT_TO_TLS` with
//! `GCDOCTOR_TEST_CA`). Shared by the benchmark and `tests/tls_seam.rs`.

use gcdoctor::region::REGIONS;
use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair, KeyUsagePurpose,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

/// The CA (PEM, for `GCDOCTOR_TEST_CA` and in-process clients) and the server's TLS settings.
pub struct TestCa {
    pub ca_pem: String,
    pub ca_der: CertificateDer<'static>,
    pub server: rustls::ServerConfig,
}

/// A new CA and a certificate naming `login.` and `api.` of every region.
pub fn make() -> anyhow::Result<TestCa> {
    let mut ca_params = CertificateParams::new(Vec::<String>::new())?;
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "gcdoctor test CA (throwaway)");
    ca_params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    let ca = CertifiedIssuer::self_signed(ca_params, KeyPair::generate()?)?;
    let hosts: Vec<String> = REGIONS
        .iter()
        .flat_map(|r| [r.login_host(), r.api_host()])
        .map(|h| h.to_string())
        .collect();
    let mut leaf_params = CertificateParams::new(hosts)?;
    leaf_params
        .distinguished_name
        .push(DnType::CommonName, "gcdoctor simulator");
    let leaf_key = KeyPair::generate()?;
    let leaf = leaf_params.signed_by(&leaf_key, &ca)?;
    gcdoctor::install_crypto_provider();
    let server = rustls::ServerConfig::builder()
        .with_no_client_auth()
        .with_single_cert(
            vec![leaf.der().clone(), ca.der().clone()],
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf_key.serialize_der())),
        )?;
    Ok(TestCa {
        ca_pem: ca.pem(),
        ca_der: ca.der().clone(),
        server,
    })
}
