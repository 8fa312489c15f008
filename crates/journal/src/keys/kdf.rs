//! Passphrase key derivation with Argon2id and the limits a key file's parameters must respect.
//!
//! The floor is OWASP's Password Storage Cheat Sheet (any of its equivalent Argon2id rows); the
//! ceiling bounds the memory and time an altered key file can make an unlock spend.

use argon2::{Algorithm, Argon2, Params, Version};
use zeroize::Zeroizing;

use crate::error::{Error, Result};

/// Argon2id cost parameters as stored in the key file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KdfParams {
    /// Memory in KiB.
    pub memory_kib: u32,
    /// Number of passes.
    pub iterations: u32,
    /// Lanes.
    pub parallelism: u32,
}

/// The longest passphrase accepted, in bytes; bounds unlock time for absurd inputs.
pub const MAX_PASSPHRASE_BYTES: usize = 1024;

/// The shortest new passphrase accepted, in characters.
pub const MIN_PASSPHRASE_CHARS: usize = 8;

/// OWASP's equivalent Argon2id minimums as (memory KiB, iterations), all with one lane.
const OWASP_ROWS: [(u32, u32); 5] = [
    (47_104, 1),
    (19_456, 2),
    (12_288, 3),
    (9_216, 4),
    (7_168, 5),
];

impl KdfParams {
    /// What new journals use: RFC 9106's second recommendation in memory (64 MiB), three passes,
    /// one lane; about half a second on a laptop in a release build.
    pub const DEFAULT: KdfParams = KdfParams {
        memory_kib: 64 * 1024,
        iterations: 3,
        parallelism: 1,
    };

    /// OWASP's floor (19 MiB, two passes, one lane). Valid for real journals; tests use it
    /// because it unlocks in tens of milliseconds.
    pub const OWASP_FLOOR: KdfParams = KdfParams {
        memory_kib: 19_456,
        iterations: 2,
        parallelism: 1,
    };

    /// Whether these parameters are at or above one of OWASP's equivalent minimums.
    pub fn meets_floor(&self) -> bool {
        self.parallelism >= 1
            && OWASP_ROWS
                .iter()
                .any(|&(m, t)| self.memory_kib >= m && self.iterations >= t)
    }

    /// Whether these parameters stay within what an unlock may cost (2 GiB, 64 passes, 16 lanes).
    pub fn within_ceiling(&self) -> bool {
        self.memory_kib <= 2 * 1024 * 1024 && self.iterations <= 64 && self.parallelism <= 16
    }

    /// Checks both bounds; parameters outside them are refused before any work is done.
    pub fn check(&self) -> Result<()> {
        if !self.meets_floor() {
            return Err(Error::KdfTooWeak);
        }
        if !self.within_ceiling() {
            return Err(Error::Invalid(
                "the key file asks for an unreasonably expensive key derivation".into(),
            ));
        }
        Ok(())
    }
}

/// Checks the length of a passphrase offered for unlocking.
pub fn check_passphrase_length(passphrase: &str) -> Result<()> {
    if passphrase.len() > MAX_PASSPHRASE_BYTES {
        return Err(Error::PassphraseTooLong {
            maximum: MAX_PASSPHRASE_BYTES,
        });
    }
    Ok(())
}

/// Checks a new passphrase before it is used to wrap the key.
pub fn check_new_passphrase(passphrase: &str) -> Result<()> {
    check_passphrase_length(passphrase)?;
    if passphrase.chars().count() < MIN_PASSPHRASE_CHARS {
        return Err(Error::PassphraseTooShort {
            minimum: MIN_PASSPHRASE_CHARS,
        });
    }
    Ok(())
}

/// Derives a 256-bit wrapping key from a passphrase with Argon2id (version 0x13).
pub(crate) fn derive(
    passphrase: &[u8],
    salt: &[u8],
    params: KdfParams,
) -> Result<Zeroizing<[u8; 32]>> {
    params.check()?;
    let argon_params = Params::new(
        params.memory_kib,
        params.iterations,
        params.parallelism,
        Some(32),
    )
    .map_err(|_| Error::KdfTooWeak)?;
    let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, argon_params);
    let mut out = Zeroizing::new([0u8; 32]);
    argon
        .hash_password_into(passphrase, salt, out.as_mut_slice())
        .map_err(|_| Error::Invalid("the key derivation failed".into()))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floor_accepts_every_owasp_row_and_rejects_just_below() {
        for (m, t) in OWASP_ROWS {
            let ok = KdfParams {
                memory_kib: m,
                iterations: t,
                parallelism: 1,
            };
            assert!(ok.meets_floor());
            let weaker = KdfParams {
                memory_kib: m - 1,
                ..ok
            };
            // One KiB less is still fine only if a cheaper row covers it.
            let covered = OWASP_ROWS.iter().any(|&(mm, tt)| m > mm && t >= tt);
            assert_eq!(weaker.meets_floor(), covered);
        }
        assert!(KdfParams::DEFAULT.meets_floor());
        assert!(
            !KdfParams {
                memory_kib: 19_456,
                iterations: 1,
                parallelism: 1
            }
            .meets_floor()
        );
    }

    #[test]
    fn passphrase_length_limits() {
        assert!(check_new_passphrase("short").is_err());
        assert!(check_new_passphrase("long enough").is_ok());
        assert!(check_passphrase_length(&"x".repeat(MAX_PASSPHRASE_BYTES + 1)).is_err());
    }
}
