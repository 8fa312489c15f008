//! AES-256-GCM sealing of a data key under a wrapping key, with caller-supplied associated data.

use ring::aead::{AES_256_GCM, Aad, LessSafeKey, Nonce, UnboundKey};
use zeroize::Zeroizing;

use super::{DATA_KEY_LEN, random_array};
use crate::error::{Error, Result};

/// Nonce length (96 bits, random per wrap).
pub(crate) const NONCE_LEN: usize = 12;
/// Sealed data key: ciphertext plus 16-byte tag.
pub(crate) const SEALED_LEN: usize = DATA_KEY_LEN + 16;

/// Seals `secret` under `key`, binding `aad`; returns the fresh nonce and the sealed bytes.
pub(crate) fn seal(
    key: &[u8; 32],
    secret: &[u8; DATA_KEY_LEN],
    aad: &[u8],
) -> Result<([u8; NONCE_LEN], [u8; SEALED_LEN])> {
    let nonce_bytes = *random_array::<NONCE_LEN>()?;
    let key = LessSafeKey::new(UnboundKey::new(&AES_256_GCM, key).map_err(|_| Error::Random)?);
    let mut in_out = Zeroizing::new(secret.to_vec());
    #[allow(clippy::explicit_auto_deref)] // `Zeroizing<Vec<u8>>` is not `Extend`, the Vec is.
    key.seal_in_place_append_tag(
        Nonce::assume_unique_for_key(nonce_bytes),
        Aad::from(aad),
        &mut *in_out,
    )
    .map_err(|_| Error::Random)?;
    let mut sealed = [0u8; SEALED_LEN];
    sealed.copy_from_slice(&in_out);
    Ok((nonce_bytes, sealed))
}

/// Opens a sealed data key; `None` when the key, nonce, associated data or bytes do not match.
pub(crate) fn open(
    key: &[u8; 32],
    nonce: &[u8; NONCE_LEN],
    sealed: &[u8; SEALED_LEN],
    aad: &[u8],
) -> Option<Zeroizing<[u8; DATA_KEY_LEN]>> {
    let key = LessSafeKey::new(UnboundKey::new(&AES_256_GCM, key).ok()?);
    let mut in_out = Zeroizing::new(sealed.to_vec());
    let plain = key
        .open_in_place(
            Nonce::assume_unique_for_key(*nonce),
            Aad::from(aad),
            &mut in_out,
        )
        .ok()?;
    let mut out = Zeroizing::new([0u8; DATA_KEY_LEN]);
    out.copy_from_slice(plain);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_any_change_fails() {
        let key = [7u8; 32];
        let secret = [9u8; 32];
        let (nonce, sealed) = seal(&key, &secret, b"aad").unwrap();
        assert_eq!(*open(&key, &nonce, &sealed, b"aad").unwrap(), secret);
        assert!(open(&key, &nonce, &sealed, b"aae").is_none());
        let mut other = sealed;
        other[3] ^= 1;
        assert!(open(&key, &nonce, &other, b"aad").is_none());
        assert!(open(&[8u8; 32], &nonce, &sealed, b"aad").is_none());
    }

    #[test]
    fn nonces_differ_between_wraps() {
        let (a, _) = seal(&[1; 32], &[2; 32], b"").unwrap();
        let (b, _) = seal(&[1; 32], &[2; 32], b"").unwrap();
        assert_ne!(a, b);
    }
}
