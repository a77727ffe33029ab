//! TLS for the relay's PostgreSQL connections (the pool, the set-up
//! connection and the notification listener), with rustls.
//!
//! The URL's `sslmode` decides: `require` connects over TLS and always
//! verifies the server's certificate and host name, against the public
//! web roots or the authorities in a CA file; `disable` and `prefer` (the
//! default) connect without TLS, as before.

use std::path::Path;
use std::sync::Arc;

use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject as _;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio_postgres::config::SslMode;
use tokio_postgres::{AsyncMessage, Client, Config, Connection, NoTls};
use tokio_postgres_rustls::MakeRustlsConnect;

use crate::store::StoreError;

/// How this relay's connections are made: plain, or TLS with a verifier.
#[derive(Clone)]
pub(crate) struct Tls(Option<MakeRustlsConnect>);

impl std::fmt::Debug for Tls {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() {
            "Tls(rustls)"
        } else {
            "Tls(off)"
        })
    }
}

impl Tls {
    /// TLS when `config` says `sslmode=require`, trusting `ca_file`'s
    /// authorities (PEM) or else the public web roots.
    ///
    /// # Errors
    /// [`StoreError::Backend`] when the CA file cannot be read or holds no
    /// certificate.
    pub fn for_config(config: &Config, ca_file: Option<&Path>) -> Result<Self, StoreError> {
        if config.get_ssl_mode() != SslMode::Require {
            return Ok(Self(None));
        }
        let mut roots = rustls::RootCertStore::empty();
        match ca_file {
            Some(path) => {
                let bad = |why: &str| {
                    StoreError::Backend(format!(
                        "the PostgreSQL CA file {} {why}; give a PEM file of CA certificates",
                        path.display()
                    ))
                };
                let certificates = CertificateDer::pem_file_iter(path)
                    .map_err(|_| bad("cannot be read"))?
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|_| bad("is not valid PEM"))?;
                let (added, _) = roots.add_parsable_certificates(certificates);
                if added == 0 {
                    return Err(bad("holds no usable certificate"));
                }
            }
            None => roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned()),
        }
        let client = rustls::ClientConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .map_err(|_| StoreError::Backend("no TLS protocol version is available".into()))?
        .with_root_certificates(roots)
        .with_no_client_auth();
        Ok(Self(Some(MakeRustlsConnect::new(client))))
    }

    /// Whether connections use TLS.
    #[cfg(test)]
    fn is_on(&self) -> bool {
        self.0.is_some()
    }

    /// A pool manager that connects like this.
    pub fn manager(
        &self,
        config: Config,
        manager: deadpool_postgres::ManagerConfig,
    ) -> deadpool_postgres::Manager {
        match &self.0 {
            Some(tls) => deadpool_postgres::Manager::from_config(config, tls.clone(), manager),
            None => deadpool_postgres::Manager::from_config(config, NoTls, manager),
        }
    }

    /// Connects one client and drives its connection in a task that
    /// forwards notifications (`NOTIFY` payloads) to the returned channel;
    /// the task ends when the connection closes.
    pub async fn connect(&self, config: &Config) -> Result<Connected, tokio_postgres::Error> {
        Ok(match &self.0 {
            Some(tls) => drive(config.connect(tls.clone()).await?),
            None => drive(config.connect(NoTls).await?),
        })
    }
}

/// A connected client, its notifications, and the task driving it.
pub(crate) struct Connected {
    pub client: Client,
    pub notifications: mpsc::UnboundedReceiver<String>,
    pub driver: JoinHandle<()>,
}

fn drive<S, T>((client, mut connection): (Client, Connection<S, T>)) -> Connected
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    T: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let (tell, notifications) = mpsc::unbounded_channel();
    // The connection delivers notifications only while polled.
    let driver = tokio::spawn(async move {
        while let Some(message) = std::future::poll_fn(|cx| connection.poll_message(cx)).await {
            match message {
                Ok(AsyncMessage::Notification(notification)) => {
                    // Nobody listening (the set-up connection): drop it.
                    let _ = tell.send(notification.payload().to_owned());
                }
                Ok(_) => {}
                Err(_) => break,
            }
        }
    });
    Connected {
        client,
        notifications,
        driver,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(url: &str) -> Config {
        url.parse().unwrap()
    }

    #[test]
    fn only_sslmode_require_turns_tls_on() {
        let plain = Tls::for_config(&config("postgres://u@db/hearth"), None).unwrap();
        assert!(!plain.is_on());
        let prefer = Tls::for_config(&config("postgres://u@db/hearth?sslmode=prefer"), None);
        assert!(!prefer.unwrap().is_on());
        let require = Tls::for_config(&config("postgres://u@db/hearth?sslmode=require"), None);
        assert!(require.unwrap().is_on());
    }

    #[test]
    fn a_ca_file_must_hold_a_certificate() {
        let dir = tempfile::tempdir().unwrap();
        let require = config("postgres://u@db/hearth?sslmode=require");
        let missing = dir.path().join("missing.pem");
        let error = Tls::for_config(&require, Some(&missing)).unwrap_err();
        assert!(error.to_string().contains("cannot be read"), "{error}");
        let empty = dir.path().join("empty.pem");
        std::fs::write(&empty, "no certificate here\n").unwrap();
        let error = Tls::for_config(&require, Some(&empty)).unwrap_err();
        assert!(
            error.to_string().contains("no usable certificate"),
            "{error}"
        );
    }
}
