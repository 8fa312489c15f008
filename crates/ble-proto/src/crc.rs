//! The E2E-CRC of the CGM service: CRC-16/MCRF4XX (CRC-CCITT polynomial x¹⁶+x¹²+x⁵+1,
//! reflected as 0x8408, seed 0xFFFF, no final XOR).

/// The E2E-CRC over `octets`.
pub fn e2e_crc(octets: &[u8]) -> u16 {
    let mut crc: u16 = 0xFFFF;
    for &octet in octets {
        crc ^= u16::from(octet);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0x8408
            } else {
                crc >> 1
            };
        }
    }
    crc
}
