//! The key file (`journal.key`): the journal id and the wrapped copies of the data key.
//!
//! Layout (little-endian), parsed strictly — any extra, missing or unknown byte is "damaged":
//!
//! ```text
//! magic "VTLGKEYS" | format u16 = 2 | journal id [16] | page layout u8 | wrap count u8 (1..=3)
//! per wrap: slot u8 | kdf u8 | memory KiB u32 | iterations u32 | lanes u32 | salt [16]
//!           | nonce [12] | sealed data key [48]
//! ```
//!
//! Format 1 (journals made before the database's page layout was recorded) has no layout
//! byte and means [`PageLayout::Small`]; it is read and rewritten as it is, since its wraps are
//! sealed over its own header. A new data key brings a journal to the current format.
//!
//! Every wrap's associated data is the file's header up to the wrap count (magic, format,
//! journal id, page layout) and that wrap's own header (slot, kdf, parameters, salt), so
//! changing any of them — a downgrade of the Argon2 cost, a swapped salt, a wrap moved from
//! another journal, another page layout — makes the unwrap fail. Parameters below the OWASP
//! floor are refused before any key derivation runs.

use std::path::Path;

use super::kdf::{self, KdfParams};
use super::recovery::RecoveryKey;
use super::wrap::{self, NONCE_LEN, SEALED_LEN};
use super::{DATA_KEY_LEN, DataKey, random_array};
use crate::disk::write_atomically;
use crate::error::{Error, Result};
use crate::store::cipher::PageLayout;

const MAGIC: &[u8; 8] = b"VTLGKEYS";
/// The format new key files are written in.
const FORMAT: u16 = 2;
/// The first format, without the page layout byte.
const FORMAT_WITHOUT_LAYOUT: u16 = 1;
const SALT_LEN: usize = 16;
/// The header of the current format, wrap count included.
const HEADER_LEN: usize = 8 + 2 + 16 + 1 + 1;
const WRAP_HEADER_LEN: usize = 1 + 1 + 12 + SALT_LEN;
const WRAP_LEN: usize = WRAP_HEADER_LEN + NONCE_LEN + SEALED_LEN;

/// Which secret a wrap opens with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    /// The user's passphrase through Argon2id.
    Passphrase,
    /// The recovery key through HKDF-SHA256.
    Recovery,
    /// A random key held by the OS keychain ("remember on this device").
    Device,
}

impl Slot {
    fn code(self) -> u8 {
        match self {
            Slot::Passphrase => 1,
            Slot::Recovery => 2,
            Slot::Device => 3,
        }
    }
    fn from_code(code: u8) -> Option<Self> {
        match code {
            1 => Some(Slot::Passphrase),
            2 => Some(Slot::Recovery),
            3 => Some(Slot::Device),
            _ => None,
        }
    }
    /// The only key-derivation id allowed for each slot: 1 = Argon2id v0x13, 2 = HKDF-SHA256,
    /// 3 = none (the keychain holds a full-entropy key).
    fn kdf_code(self) -> u8 {
        self.code()
    }
}

#[derive(Clone)]
struct Wrap {
    slot: Slot,
    params: KdfParams,
    salt: [u8; SALT_LEN],
    nonce: [u8; NONCE_LEN],
    sealed: [u8; SEALED_LEN],
}

/// The parsed key file.
#[derive(Clone)]
pub struct KeyFile {
    format: u16,
    journal_id: [u8; 16],
    layout: PageLayout,
    wraps: Vec<Wrap>,
}

impl std::fmt::Debug for KeyFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyFile")
            .field("format", &self.format)
            .field("journal_id", &self.journal_id_hex())
            .field("layout", &self.layout)
            .field(
                "slots",
                &self.wraps.iter().map(|w| w.slot).collect::<Vec<_>>(),
            )
            .finish()
    }
}

impl KeyFile {
    /// A key file for a new journal: the data key wrapped under the passphrase and the recovery key.
    pub(crate) fn create(
        dek: &DataKey,
        passphrase: &str,
        params: KdfParams,
        recovery: &RecoveryKey,
    ) -> Result<Self> {
        kdf::check_new_passphrase(passphrase)?;
        params.check()?;
        let journal_id = *random_array::<16>()?;
        let mut file = KeyFile::current(journal_id);
        file.set_passphrase(dek, passphrase, params)?;
        file.set_recovery(dek, recovery)?;
        Ok(file)
    }

    /// A key file for the same journal (same id, so the same keychain entry) wrapping a
    /// replacement data key under the passphrase and a new recovery key, in the current format
    /// and for the current page layout (the database is copied under the new key anyway).
    pub(crate) fn for_new_data_key(
        &self,
        dek: &DataKey,
        passphrase: &str,
        params: KdfParams,
        recovery: &RecoveryKey,
    ) -> Result<Self> {
        let mut file = KeyFile::current(self.journal_id);
        file.set_passphrase(dek, passphrase, params)?;
        file.set_recovery(dek, recovery)?;
        Ok(file)
    }

    /// An empty key file in the current format for a database in the current page layout.
    fn current(journal_id: [u8; 16]) -> Self {
        KeyFile {
            format: FORMAT,
            journal_id,
            layout: PageLayout::CURRENT,
            wraps: Vec::new(),
        }
    }

    /// How the journal's database file is laid out (SQLCipher must be told before reading it).
    pub fn page_layout(&self) -> PageLayout {
        self.layout
    }

    /// Whether `other` is a key file of the same journal (a rotation keeps the journal's id).
    pub(crate) fn same_journal(&self, other: &KeyFile) -> bool {
        self.journal_id == other.journal_id
    }

    /// The journal's random id as 32 hex digits (names its keychain entry).
    pub fn journal_id_hex(&self) -> String {
        self.journal_id.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// The Argon2id parameters of the passphrase wrap.
    pub fn passphrase_params(&self) -> Option<KdfParams> {
        self.wraps
            .iter()
            .find(|w| w.slot == Slot::Passphrase)
            .map(|w| w.params)
    }

    /// Whether a wrap for this slot exists.
    pub fn has(&self, slot: Slot) -> bool {
        self.wraps.iter().any(|w| w.slot == slot)
    }

    /// The file's header up to the wrap count, as this key file's format writes it.
    fn encode_header(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&self.format.to_le_bytes());
        out.extend_from_slice(&self.journal_id);
        if self.format != FORMAT_WITHOUT_LAYOUT {
            out.push(self.layout.code());
        }
    }

    fn aad(&self, slot: Slot, params: KdfParams, salt: &[u8; SALT_LEN]) -> Vec<u8> {
        let mut aad = Vec::with_capacity(HEADER_LEN + WRAP_HEADER_LEN);
        self.encode_header(&mut aad);
        encode_wrap_header(&mut aad, slot, params, salt);
        aad
    }

    fn put(
        &mut self,
        slot: Slot,
        params: KdfParams,
        salt: [u8; SALT_LEN],
        key: &[u8; 32],
        dek: &DataKey,
    ) -> Result<()> {
        let aad = self.aad(slot, params, &salt);
        let (nonce, sealed) = wrap::seal(key, dek.as_bytes(), &aad)?;
        self.wraps.retain(|w| w.slot != slot);
        self.wraps.push(Wrap {
            slot,
            params,
            salt,
            nonce,
            sealed,
        });
        self.wraps.sort_by_key(|w| w.slot.code());
        Ok(())
    }

    /// Replaces the passphrase wrap (a passphrase change rewraps only; the database is untouched).
    pub(crate) fn set_passphrase(
        &mut self,
        dek: &DataKey,
        passphrase: &str,
        params: KdfParams,
    ) -> Result<()> {
        kdf::check_new_passphrase(passphrase)?;
        let salt = *random_array::<SALT_LEN>()?;
        let key = kdf::derive(passphrase.as_bytes(), &salt, params)?;
        self.put(Slot::Passphrase, params, salt, &key, dek)
    }

    pub(crate) fn set_recovery(&mut self, dek: &DataKey, recovery: &RecoveryKey) -> Result<()> {
        let salt = *random_array::<SALT_LEN>()?;
        let key = recovery.wrapping_key(&salt);
        self.put(Slot::Recovery, NO_PARAMS, salt, &key, dek)
    }

    pub(crate) fn set_device(&mut self, dek: &DataKey, device_key: &[u8; 32]) -> Result<()> {
        let salt = *random_array::<SALT_LEN>()?;
        self.put(Slot::Device, NO_PARAMS, salt, device_key, dek)
    }

    pub(crate) fn remove(&mut self, slot: Slot) {
        self.wraps.retain(|w| w.slot != slot);
    }

    fn wrap(&self, slot: Slot) -> Option<&Wrap> {
        self.wraps.iter().find(|w| w.slot == slot)
    }

    /// Unwraps the data key with the passphrase.
    pub(crate) fn unlock_with_passphrase(&self, passphrase: &str) -> Result<DataKey> {
        kdf::check_passphrase_length(passphrase)?;
        let w = self.wrap(Slot::Passphrase).ok_or(Error::WrongPassphrase)?;
        let key = kdf::derive(passphrase.as_bytes(), &w.salt, w.params)?;
        self.open(w, &key).ok_or(Error::WrongPassphrase)
    }

    /// Unwraps the data key with the recovery key.
    pub(crate) fn unlock_with_recovery(&self, recovery: &RecoveryKey) -> Result<DataKey> {
        let w = self.wrap(Slot::Recovery).ok_or(Error::WrongRecoveryKey)?;
        let key = recovery.wrapping_key(&w.salt);
        self.open(w, &key).ok_or(Error::WrongRecoveryKey)
    }

    /// Unwraps the data key with the keychain-held device key.
    pub(crate) fn unlock_with_device_key(&self, device_key: &[u8; 32]) -> Result<DataKey> {
        let w = self.wrap(Slot::Device).ok_or(Error::NotRemembered)?;
        self.open(w, device_key).ok_or(Error::NotRemembered)
    }

    fn open(&self, w: &Wrap, key: &[u8; 32]) -> Option<DataKey> {
        let aad = self.aad(w.slot, w.params, &w.salt);
        wrap::open(key, &w.nonce, &w.sealed, &aad).map(DataKey::from_bytes)
    }

    /// The file's bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(HEADER_LEN + self.wraps.len() * WRAP_LEN);
        self.encode_header(&mut out);
        out.push(self.wraps.len() as u8);
        for w in &self.wraps {
            encode_wrap_header(&mut out, w.slot, w.params, &w.salt);
            out.extend_from_slice(&w.nonce);
            out.extend_from_slice(&w.sealed);
        }
        out
    }

    /// Parses key-file bytes; `path` only names the file in errors.
    pub fn from_bytes(bytes: &[u8], path: &Path) -> Result<Self> {
        let damaged = || Error::KeyFileDamaged {
            path: path.to_path_buf(),
        };
        if bytes.len() < 10 || &bytes[..8] != MAGIC {
            return Err(damaged());
        }
        let format = u16::from_le_bytes([bytes[8], bytes[9]]);
        let header_len = match format {
            FORMAT => HEADER_LEN,
            FORMAT_WITHOUT_LAYOUT => HEADER_LEN - 1,
            newer if newer > FORMAT => return Err(Error::UnsupportedFormat { found: format }),
            _ => return Err(damaged()),
        };
        if bytes.len() < header_len {
            return Err(damaged());
        }
        let mut journal_id = [0u8; 16];
        journal_id.copy_from_slice(&bytes[10..26]);
        let layout = if format == FORMAT_WITHOUT_LAYOUT {
            PageLayout::Small
        } else {
            // A layout this version does not know comes from a newer one (the byte is
            // authenticated, so damage shows when a wrap is opened).
            PageLayout::from_code(bytes[26]).ok_or(Error::UnsupportedFormat { found: format })?
        };
        let count = usize::from(bytes[header_len - 1]);
        if !(1..=3).contains(&count) || bytes.len() != header_len + count * WRAP_LEN {
            return Err(damaged());
        }
        let mut wraps: Vec<Wrap> = Vec::with_capacity(count);
        for chunk in bytes[header_len..].chunks_exact(WRAP_LEN) {
            let slot = Slot::from_code(chunk[0]).ok_or_else(damaged)?;
            if chunk[1] != slot.kdf_code() || wraps.iter().any(|w| w.slot == slot) {
                return Err(damaged());
            }
            let u32_at =
                |i: usize| u32::from_le_bytes([chunk[i], chunk[i + 1], chunk[i + 2], chunk[i + 3]]);
            let params = KdfParams {
                memory_kib: u32_at(2),
                iterations: u32_at(6),
                parallelism: u32_at(10),
            };
            match slot {
                Slot::Passphrase => params.check()?,
                _ if params != NO_PARAMS => return Err(damaged()),
                _ => {}
            }
            let mut salt = [0u8; SALT_LEN];
            salt.copy_from_slice(&chunk[14..30]);
            let mut nonce = [0u8; NONCE_LEN];
            nonce.copy_from_slice(&chunk[30..42]);
            let mut sealed = [0u8; SEALED_LEN];
            sealed.copy_from_slice(&chunk[42..42 + SEALED_LEN]);
            wraps.push(Wrap {
                slot,
                params,
                salt,
                nonce,
                sealed,
            });
        }
        if !wraps.iter().any(|w| w.slot == Slot::Passphrase) {
            return Err(damaged());
        }
        Ok(KeyFile {
            format,
            journal_id,
            layout,
            wraps,
        })
    }

    /// Reads and parses the key file at `path`.
    pub fn read(path: &Path) -> Result<Self> {
        let bytes = std::fs::read(path)
            .map_err(|e| Error::io(format!("cannot read {}", path.display()), e))?;
        Self::from_bytes(&bytes, path)
    }

    /// Writes the key file atomically: a temporary file, fsync, rename, fsync of the folder.
    pub fn write(&self, path: &Path) -> Result<()> {
        write_atomically(path, &self.to_bytes())
    }
}

const NO_PARAMS: KdfParams = KdfParams {
    memory_kib: 0,
    iterations: 0,
    parallelism: 0,
};

fn encode_wrap_header(out: &mut Vec<u8>, slot: Slot, params: KdfParams, salt: &[u8; SALT_LEN]) {
    out.push(slot.code());
    out.push(slot.kdf_code());
    out.extend_from_slice(&params.memory_kib.to_le_bytes());
    out.extend_from_slice(&params.iterations.to_le_bytes());
    out.extend_from_slice(&params.parallelism.to_le_bytes());
    out.extend_from_slice(salt);
}

// Unused-constant guard: the data key length is part of the sealed size.
const _: () = assert!(SEALED_LEN == DATA_KEY_LEN + 16);

#[cfg(test)]
mod tests {
    use super::*;
    use zeroize::Zeroizing;

    fn sample() -> (KeyFile, DataKey, RecoveryKey) {
        let dek = DataKey::generate().unwrap();
        let recovery = RecoveryKey::generate().unwrap();
        let file =
            KeyFile::create(&dek, "correct horse", KdfParams::OWASP_FLOOR, &recovery).unwrap();
        (file, dek, recovery)
    }

    #[test]
    fn unlocks_with_passphrase_and_recovery_only() {
        let (file, dek, recovery) = sample();
        let parsed = KeyFile::from_bytes(&file.to_bytes(), Path::new("k")).unwrap();
        assert_eq!(
            parsed
                .unlock_with_passphrase("correct horse")
                .unwrap()
                .as_bytes(),
            dek.as_bytes()
        );
        assert_eq!(
            parsed.unlock_with_recovery(&recovery).unwrap().as_bytes(),
            dek.as_bytes()
        );
        assert!(matches!(
            parsed.unlock_with_passphrase("wrong horse"),
            Err(Error::WrongPassphrase)
        ));
        let other = RecoveryKey::generate().unwrap();
        assert!(matches!(
            parsed.unlock_with_recovery(&other),
            Err(Error::WrongRecoveryKey)
        ));
    }

    #[test]
    fn a_new_file_records_the_current_layout() {
        let (file, _, _) = sample();
        let bytes = file.to_bytes();
        assert_eq!(bytes.len(), HEADER_LEN + 2 * WRAP_LEN);
        assert_eq!(&bytes[8..10], &FORMAT.to_le_bytes());
        assert_eq!(bytes[26], PageLayout::CURRENT.code());
        let parsed = KeyFile::from_bytes(&bytes, Path::new("k")).unwrap();
        assert_eq!(parsed.page_layout(), PageLayout::CURRENT);
    }

    /// Format 1 has no layout byte and means the small layout; rewrapping one slot keeps the
    /// format, so the wraps sealed over its header still open.
    #[test]
    fn a_format_1_file_stays_format_1_when_a_slot_is_rewrapped() {
        let dek = DataKey::generate().unwrap();
        let recovery = RecoveryKey::generate().unwrap();
        let mut file = KeyFile {
            format: FORMAT_WITHOUT_LAYOUT,
            journal_id: [7; 16],
            layout: PageLayout::Small,
            wraps: Vec::new(),
        };
        file.set_passphrase(&dek, "correct horse", KdfParams::OWASP_FLOOR)
            .unwrap();
        file.set_recovery(&dek, &recovery).unwrap();
        let bytes = file.to_bytes();
        assert_eq!(bytes.len(), HEADER_LEN - 1 + 2 * WRAP_LEN);
        let mut parsed = KeyFile::from_bytes(&bytes, Path::new("k")).unwrap();
        assert_eq!(parsed.page_layout(), PageLayout::Small);

        parsed
            .set_passphrase(&dek, "battery staple", KdfParams::OWASP_FLOOR)
            .unwrap();
        let rewritten = KeyFile::from_bytes(&parsed.to_bytes(), Path::new("k")).unwrap();
        assert_eq!(&rewritten.to_bytes()[8..10], &1u16.to_le_bytes());
        assert_eq!(
            rewritten
                .unlock_with_recovery(&recovery)
                .unwrap()
                .as_bytes(),
            dek.as_bytes()
        );
        assert!(rewritten.unlock_with_passphrase("battery staple").is_ok());

        // Read as format 2 (a layout byte where the wrap count was), it no longer parses.
        let mut upgraded = bytes.clone();
        upgraded[8..10].copy_from_slice(&FORMAT.to_le_bytes());
        assert!(KeyFile::from_bytes(&upgraded, Path::new("k")).is_err());
    }

    /// A key file with all three wraps, the passphrase's wrapping key derived once, and the
    /// secrets of the other two slots.
    struct Tamper {
        bytes: Vec<u8>,
        passphrase_key: Zeroizing<[u8; 32]>,
        recovery: RecoveryKey,
        device_key: [u8; 32],
    }

    fn tamper_fixture() -> &'static Tamper {
        static FIXTURE: std::sync::OnceLock<Tamper> = std::sync::OnceLock::new();
        FIXTURE.get_or_init(|| {
            let (mut file, dek, recovery) = sample();
            let device_key = *random_array::<32>().unwrap();
            file.set_device(&dek, &device_key).unwrap();
            let w = file.wrap(Slot::Passphrase).unwrap();
            let passphrase_key = kdf::derive(b"correct horse", &w.salt, w.params).unwrap();
            Tamper {
                bytes: file.to_bytes(),
                passphrase_key,
                recovery,
                device_key,
            }
        })
    }

    /// Opens every wrap of `bytes` the way an attacker who altered the file would hope:
    /// with the keys that opened the original. `None` when the file does not parse.
    fn opened_slots(bytes: &[u8], t: &Tamper) -> Option<[bool; 3]> {
        let file = KeyFile::from_bytes(bytes, Path::new("k")).ok()?;
        let passphrase = file
            .wrap(Slot::Passphrase)
            .and_then(|w| file.open(w, &t.passphrase_key))
            .is_some();
        let recovery = file.unlock_with_recovery(&t.recovery).is_ok();
        let device = file.unlock_with_device_key(&t.device_key).is_ok();
        Some([passphrase, recovery, device])
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: 10_000,
            ..proptest::prelude::ProptestConfig::default()
        })]

        /// SECURITY.md §8 goal 8: any changed byte — format, journal id, slot, KDF id, cost,
        /// salt, nonce, sealed key or tag — closes the wrap it belongs to (and a header byte
        /// closes every wrap), even for someone holding the original wrapping keys.
        #[test]
        fn every_altered_byte_closes_its_wrap(index in 0usize..HEADER_LEN + 3 * WRAP_LEN, mask in 1u8..=255) {
            let t = tamper_fixture();
            proptest::prop_assert_eq!(opened_slots(&t.bytes, t), Some([true, true, true]));
            let mut bytes = t.bytes.clone();
            bytes[index] ^= mask;
            if let Some(opened) = opened_slots(&bytes, t) {
                let wrap_index = index.checked_sub(HEADER_LEN).map(|i| i / WRAP_LEN);
                for (slot, open) in opened.iter().enumerate() {
                    let altered = wrap_index.is_none_or(|w| w == slot);
                    proptest::prop_assert!(!(altered && *open), "byte {index} ^ {mask:#04x} left wrap {slot} open");
                }
            }
        }

        /// A truncated or extended file never parses.
        #[test]
        fn a_file_of_another_length_is_damaged(len in 0usize..HEADER_LEN + 4 * WRAP_LEN) {
            let t = tamper_fixture();
            let mut bytes = t.bytes.clone();
            bytes.resize(len, 0);
            if len != t.bytes.len() {
                proptest::prop_assert!(KeyFile::from_bytes(&bytes, Path::new("k")).is_err());
            }
        }
    }

    #[test]
    fn a_downgraded_cost_is_refused_before_deriving() {
        let (file, _, _) = sample();
        let mut bytes = file.to_bytes();
        // Passphrase wrap iterations (first wrap, offset 6 in the wrap) set to 1.
        bytes[HEADER_LEN + 6..HEADER_LEN + 10].copy_from_slice(&1u32.to_le_bytes());
        assert!(matches!(
            KeyFile::from_bytes(&bytes, Path::new("k")),
            Err(Error::KdfTooWeak)
        ));
    }

    /// An over-long passphrase is refused before any key derivation. The passphrase wrap is
    /// given a cost the derivation refuses, so whatever reaches the derivation ends in
    /// `KdfTooWeak`: a passphrase at the length limit does, one byte more never gets there.
    #[test]
    fn an_over_long_passphrase_is_refused_before_deriving() {
        let (mut file, _, _) = sample();
        let refused = KdfParams {
            memory_kib: 8,
            iterations: 1,
            parallelism: 1,
        };
        for w in file.wraps.iter_mut().filter(|w| w.slot == Slot::Passphrase) {
            w.params = refused;
        }
        let at_limit = "x".repeat(kdf::MAX_PASSPHRASE_BYTES);
        assert!(matches!(
            file.unlock_with_passphrase(&at_limit),
            Err(Error::KdfTooWeak)
        ));
        let over = "x".repeat(kdf::MAX_PASSPHRASE_BYTES + 1);
        assert!(matches!(
            file.unlock_with_passphrase(&over),
            Err(Error::PassphraseTooLong {
                maximum: kdf::MAX_PASSPHRASE_BYTES
            })
        ));
    }
}
