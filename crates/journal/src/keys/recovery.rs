//! The one-time recovery key: 160 random bits plus a 20-bit checksum, shown as nine groups of
//! four base32 characters (`ABCD-EFGH-…`). It unlocks the journal when the passphrase is lost.
//!
//! Because it is full-entropy, its wrapping key comes from HKDF-SHA256 rather than a slow KDF.

use ring::{digest, hkdf};
use zeroize::Zeroizing;

use super::random_array;
use crate::error::{Error, RecoveryKeyProblem, Result};

/// Random bytes in a recovery key.
const SECRET_LEN: usize = 20;
/// Characters of the displayed key: (160 + 20) bits / 5 bits per character.
const CHARS: usize = 36;
const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// A recovery key. Its text is shown once at creation; only wrapped copies of the data key are
/// stored. Wiped from memory when dropped, and never printed by `Debug`.
pub struct RecoveryKey(Zeroizing<[u8; SECRET_LEN]>);

impl RecoveryKey {
    pub(crate) fn generate() -> Result<Self> {
        Ok(Self(random_array()?))
    }

    /// Parses the displayed form; case, spaces and dashes do not matter, and the easily confused
    /// `0`, `1` and `8` are read as `O`, `I` and `B`.
    pub fn parse(text: &str) -> Result<Self> {
        let malformed = Error::MalformedRecoveryKey;
        let mut values = Zeroizing::new(Vec::with_capacity(CHARS));
        for c in text.chars() {
            if c == '-' || c.is_whitespace() {
                continue;
            }
            let c = match c.to_ascii_uppercase() {
                '0' => 'O',
                '1' => 'I',
                '8' => 'B',
                other => other,
            };
            let value = ALPHABET
                .iter()
                .position(|&a| char::from(a) == c)
                .ok_or(malformed(RecoveryKeyProblem::NotInAlphabet))?;
            values.push(value as u8);
        }
        let typed = values.len();
        if typed < CHARS {
            return Err(malformed(RecoveryKeyProblem::TooShort {
                typed,
                expected: CHARS,
            }));
        }
        if typed > CHARS {
            return Err(malformed(RecoveryKeyProblem::TooLong {
                typed,
                expected: CHARS,
            }));
        }
        // 180 bits: secret (160) then checksum (20).
        let mut all = Zeroizing::new([0u8; 23]); // 184 bits, last 4 unused
        for (i, v) in values.iter().enumerate() {
            for b in 0..5 {
                let bit = (v >> (4 - b)) & 1;
                let pos = i * 5 + b;
                all[pos / 8] |= bit << (7 - pos % 8);
            }
        }
        let mut secret = Zeroizing::new([0u8; SECRET_LEN]);
        secret.copy_from_slice(&all[..SECRET_LEN]);
        let checksum = checksum20(secret.as_slice());
        let stored =
            (u32::from(all[20]) << 12) | (u32::from(all[21]) << 4) | u32::from(all[22] >> 4);
        if stored != checksum {
            return Err(malformed(RecoveryKeyProblem::Typo));
        }
        Ok(Self(secret))
    }

    /// The displayed form, e.g. `ABCD-EFGH-IJKL-MNOP-QRST-UVWX-YZ23-4567-ABCD`.
    pub fn display(&self) -> Zeroizing<String> {
        let checksum = checksum20(self.0.as_slice());
        let mut all = Zeroizing::new([0u8; 23]);
        all[..SECRET_LEN].copy_from_slice(self.0.as_slice());
        all[20] = (checksum >> 12) as u8;
        all[21] = (checksum >> 4) as u8;
        all[22] = ((checksum & 0x0f) << 4) as u8;
        let mut out = Zeroizing::new(String::with_capacity(CHARS + CHARS / 4));
        for i in 0..CHARS {
            let mut v = 0u8;
            for b in 0..5 {
                let pos = i * 5 + b;
                v = (v << 1) | ((all[pos / 8] >> (7 - pos % 8)) & 1);
            }
            if i > 0 && i % 4 == 0 {
                out.push('-');
            }
            out.push(char::from(ALPHABET[usize::from(v)]));
        }
        out
    }

    /// The AES key that wraps the data key for this recovery key and salt.
    pub(crate) fn wrapping_key(&self, salt: &[u8]) -> Zeroizing<[u8; 32]> {
        let prk = hkdf::Salt::new(hkdf::HKDF_SHA256, salt).extract(self.0.as_slice());
        let mut out = Zeroizing::new([0u8; 32]);
        // Expanding 32 bytes from SHA-256 cannot exceed HKDF's limit.
        if let Ok(okm) = prk.expand(&[b"vitalog recovery wrap v1"], hkdf::HKDF_SHA256) {
            let _ = okm.fill(out.as_mut_slice());
        }
        out
    }
}

impl std::fmt::Debug for RecoveryKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RecoveryKey(..)")
    }
}

fn checksum20(secret: &[u8]) -> u32 {
    let d = digest::digest(&digest::SHA256, secret);
    let b = d.as_ref();
    (u32::from(b[0]) << 12) | (u32::from(b[1]) << 4) | u32::from(b[2] >> 4)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_parse_round_trip_and_leniency() {
        let key = RecoveryKey::generate().unwrap();
        let text = key.display();
        assert_eq!(text.len(), 36 + 8);
        let again = RecoveryKey::parse(&text).unwrap();
        assert_eq!(*again.0, *key.0);
        let sloppy = text.to_lowercase().replace('-', " ").replace('o', "0");
        assert_eq!(*RecoveryKey::parse(&sloppy).unwrap().0, *key.0);
    }

    #[test]
    fn typos_are_caught_by_the_checksum() {
        let key = RecoveryKey::generate().unwrap();
        let text = key.display().to_string();
        let mut chars: Vec<char> = text.chars().collect();
        chars[5] = if chars[5] == 'A' { 'B' } else { 'A' };
        let typo: String = chars.into_iter().collect();
        assert!(matches!(
            RecoveryKey::parse(&typo),
            Err(Error::MalformedRecoveryKey(RecoveryKeyProblem::Typo))
        ));
        assert!(format!("{key:?}").contains(".."));
    }

    #[test]
    fn a_short_long_or_foreign_key_says_which() {
        let text = RecoveryKey::generate().unwrap().display().to_string();
        let problem = |typed: &str| match RecoveryKey::parse(typed) {
            Err(Error::MalformedRecoveryKey(problem)) => problem,
            other => panic!("not refused as malformed: {:?}", other.map(|_| ())),
        };
        let last_group_missing = &text[..text.len() - 5];
        assert_eq!(
            problem(last_group_missing),
            RecoveryKeyProblem::TooShort {
                typed: 32,
                expected: 36
            }
        );
        let message = Error::MalformedRecoveryKey(problem(last_group_missing)).to_string();
        assert!(message.contains("too short"), "{message}");
        assert_eq!(
            problem(&format!("{text}-ABCD")),
            RecoveryKeyProblem::TooLong {
                typed: 40,
                expected: 36
            }
        );
        assert_eq!(
            problem(&text.replacen('-', "!", 1)),
            RecoveryKeyProblem::NotInAlphabet
        );
        assert!(
            !message.contains(&text[..4]),
            "the message repeats the key: {message}"
        );
    }
}
