//! Secrets at rest: values sealed with the server's secret key (`--secret-key`,
//! `PARTNER_SECRET_KEY`) with XChaCha20-Poly1305. What a value belongs to (a team's id) is
//! the associated data, so a sealed value moved to another row doesn't open.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};

const NONCE_LEN: usize = 24;

/// The server's key for sealing secrets.
#[derive(Clone)]
pub struct SecretKey(XChaCha20Poly1305);

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(…)")
    }
}

impl SecretKey {
    /// Reads a key: 32 bytes in standard base64 (`openssl rand -base64 32`).
    pub fn parse(text: &str) -> Result<Self, String> {
        let bytes = STANDARD
            .decode(text.trim())
            .map_err(|_| "the secret key must be base64 (openssl rand -base64 32)".to_owned())?;
        let key: [u8; 32] = bytes
            .try_into()
            .map_err(|_| "the secret key must be 32 bytes (openssl rand -base64 32)".to_owned())?;
        Ok(Self::from_bytes(key))
    }

    /// A key from its bytes.
    pub fn from_bytes(key: [u8; 32]) -> Self {
        Self(XChaCha20Poly1305::new(&key.into()))
    }

    /// A fresh random key (tests, and the demo when none is given).
    pub fn random() -> Self {
        let mut key = [0_u8; 32];
        getrandom::fill(&mut key).expect("the OS random source");
        Self::from_bytes(key)
    }

    /// `value` sealed for `owner`: a random nonce, then the ciphertext.
    pub fn seal(&self, value: &[u8], owner: &str) -> Vec<u8> {
        let mut nonce = [0_u8; NONCE_LEN];
        getrandom::fill(&mut nonce).expect("the OS random source");
        let sealed = self
            .0
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: value,
                    aad: owner.as_bytes(),
                },
            )
            .expect("XChaCha20-Poly1305 seals any length this server stores");
        [nonce.as_slice(), &sealed].concat()
    }

    /// The value sealed for `owner`, or `None` when it wasn't sealed by this key for them.
    pub fn open(&self, sealed: &[u8], owner: &str) -> Option<Vec<u8>> {
        if sealed.len() < NONCE_LEN {
            return None;
        }
        let (nonce, ciphertext) = sealed.split_at(NONCE_LEN);
        self.0
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: ciphertext,
                    aad: owner.as_bytes(),
                },
            )
            .ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_secret_opens_only_with_its_key_for_its_owner() {
        let key = SecretKey::random();
        let sealed = key.seal(b"client secret", "team-soylent");
        assert!(!sealed.windows(6).any(|w| w == b"client"));
        assert_eq!(
            key.open(&sealed, "team-soylent").as_deref(),
            Some(&b"client secret"[..])
        );
        assert_eq!(key.open(&sealed, "team-globex"), None);
        assert_eq!(SecretKey::random().open(&sealed, "team-soylent"), None);
        let mut tampered = sealed.clone();
        *tampered.last_mut().unwrap() ^= 1;
        assert_eq!(key.open(&tampered, "team-soylent"), None);
        assert_eq!(key.open(b"short", "team-soylent"), None);
    }

    #[test]
    fn keys_are_32_bytes_of_base64() {
        assert!(SecretKey::parse("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=").is_ok());
        assert!(SecretKey::parse("c2hvcnQ=").is_err());
        assert!(SecretKey::parse("not base64!").is_err());
    }
}
