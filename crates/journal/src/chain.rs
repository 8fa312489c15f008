//! Hash chains for the append-only logs (the audit log, the transmission log): each record's
//! SHA-256 covers the previous record's hash and its own fields, so altering, removing or
//! reordering a record breaks every hash after it.

/// The hash before the first record.
pub(crate) const START: [u8; 32] = [0; 32];

/// One field of a record, hashed unambiguously (text carries its length).
pub(crate) enum Part<'a> {
    /// A number, as 8 little-endian bytes.
    Int(i64),
    /// Text, as its length then its bytes.
    Text(&'a str),
}

/// The hash of a record that follows the record hashed `prev`.
pub(crate) fn link(prev: &[u8], parts: &[Part<'_>]) -> Vec<u8> {
    let mut ctx = ring::digest::Context::new(&ring::digest::SHA256);
    ctx.update(prev);
    for part in parts {
        match part {
            Part::Int(n) => ctx.update(&n.to_le_bytes()),
            Part::Text(text) => {
                ctx.update(&(text.len() as u64).to_le_bytes());
                ctx.update(text.as_bytes());
            }
        }
    }
    ctx.finish().as_ref().to_vec()
}
