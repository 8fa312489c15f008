//! Little-endian field reading and writing shared by every codec.
//!
//! [`Reader`] walks a value front to back and turns every shortfall into a
//! [`DecodeErrorKind::Truncated`] that names the field; it never panics and never allocates.
//! The `put_*` functions append fields to an output buffer for the encoders.

use crate::characteristic::Characteristic;
use crate::date_time::DateTime;
use crate::error::{DecodeError, DecodeErrorKind};
use crate::medfloat::{Float, Sfloat};

/// A cursor over one characteristic value.
pub(crate) struct Reader<'a> {
    characteristic: Characteristic,
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    pub(crate) fn new(characteristic: Characteristic, bytes: &'a [u8]) -> Self {
        Reader {
            characteristic,
            rest: bytes,
        }
    }

    /// An error about this reader's characteristic.
    pub(crate) fn error(&self, kind: DecodeErrorKind) -> DecodeError {
        DecodeError {
            characteristic: self.characteristic,
            kind,
        }
    }

    /// The octets not read yet.
    pub(crate) fn rest(&self) -> &'a [u8] {
        self.rest
    }

    pub(crate) fn array<const N: usize>(
        &mut self,
        field: &'static str,
    ) -> Result<[u8; N], DecodeError> {
        match self.rest.split_first_chunk::<N>() {
            Some((head, tail)) => {
                self.rest = tail;
                Ok(*head)
            }
            None => Err(self.error(DecodeErrorKind::Truncated {
                field,
                needed: N,
                available: self.rest.len(),
            })),
        }
    }

    /// The next `len` octets as a slice.
    pub(crate) fn slice(
        &mut self,
        field: &'static str,
        len: usize,
    ) -> Result<&'a [u8], DecodeError> {
        if self.rest.len() < len {
            return Err(self.error(DecodeErrorKind::Truncated {
                field,
                needed: len,
                available: self.rest.len(),
            }));
        }
        let (head, tail) = self.rest.split_at(len);
        self.rest = tail;
        Ok(head)
    }

    pub(crate) fn u8(&mut self, field: &'static str) -> Result<u8, DecodeError> {
        self.array::<1>(field).map(|[octet]| octet)
    }

    pub(crate) fn i8(&mut self, field: &'static str) -> Result<i8, DecodeError> {
        self.array::<1>(field).map(i8::from_le_bytes)
    }

    pub(crate) fn u16(&mut self, field: &'static str) -> Result<u16, DecodeError> {
        self.array(field).map(u16::from_le_bytes)
    }

    pub(crate) fn i16(&mut self, field: &'static str) -> Result<i16, DecodeError> {
        self.array(field).map(i16::from_le_bytes)
    }

    pub(crate) fn u24(&mut self, field: &'static str) -> Result<u32, DecodeError> {
        self.array::<3>(field)
            .map(|[a, b, c]| u32::from_le_bytes([a, b, c, 0]))
    }

    pub(crate) fn u32(&mut self, field: &'static str) -> Result<u32, DecodeError> {
        self.array(field).map(u32::from_le_bytes)
    }

    pub(crate) fn sfloat(&mut self, field: &'static str) -> Result<Sfloat, DecodeError> {
        self.u16(field).map(Sfloat::from_bits)
    }

    pub(crate) fn float(&mut self, field: &'static str) -> Result<Float, DecodeError> {
        self.u32(field).map(Float::from_bits)
    }

    pub(crate) fn date_time(&mut self, field: &'static str) -> Result<DateTime, DecodeError> {
        let octets = self.array::<7>(field)?;
        DateTime::from_octets(octets).map_err(|invalid| {
            self.error(DecodeErrorKind::InvalidDateTime {
                field,
                part: invalid.part,
                value: invalid.value,
            })
        })
    }
}

/// Checks the length of a fixed-size value (decoding policy 2).
pub(crate) fn expect_length(
    characteristic: Characteristic,
    bytes: &[u8],
    allowed: &'static [usize],
) -> Result<(), DecodeError> {
    if allowed.contains(&bytes.len()) {
        Ok(())
    } else {
        Err(DecodeError {
            characteristic,
            kind: DecodeErrorKind::WrongLength {
                allowed,
                actual: bytes.len(),
            },
        })
    }
}

pub(crate) fn put_u16(out: &mut Vec<u8>, value: u16) {
    out.extend_from_slice(&value.to_le_bytes());
}

pub(crate) fn put_u24(out: &mut Vec<u8>, value: u32) {
    out.extend_from_slice(&value.to_le_bytes()[..3]);
}

pub(crate) fn put_u32(out: &mut Vec<u8>, value: u32) {
    out.extend_from_slice(&value.to_le_bytes());
}

pub(crate) fn put_sfloat(out: &mut Vec<u8>, value: Sfloat) {
    put_u16(out, value.to_bits());
}

pub(crate) fn put_float(out: &mut Vec<u8>, value: Float) {
    put_u32(out, value.to_bits());
}

pub(crate) fn put_date_time(out: &mut Vec<u8>, value: DateTime) {
    out.extend_from_slice(&value.to_octets());
}
