//! The checks behind the fuzz targets, shared with the corpus replay test of `ble-proto`
//! (`tests/it/corpus.rs` includes this file), so CI runs the committed corpus on stable.
//!
//! Targets:
//! * `decode` covers every decoder: the first octet picks the characteristic
//!   (`Characteristic::ALL[octet % ALL.len()]`), the rest is the value; it also feeds the
//!   value to the RACP request decoder. Adding a characteristic shifts what a selector octet
//!   means; the corpus files stay valid inputs, only their meaning changes.
//! * `glucose_measurement`, `glucose_context`, `racp_response`, `racp_request`,
//!   `blood_pressure_measurement` and `cgm_measurement` give the decoders that parse the most
//!   untrusted data during a sync a target of their own, with the whole input as the value.
//!
//! Every check: decoding never panics, and a value that decodes re-encodes to octets that
//! decode again and re-encode to the same octets (the first re-encoding drops RFU bits).

use ble_proto::Characteristic;
use ble_proto::racp::RacpRequest;

/// Every target, by name; the corpus of each lives in `corpus/<name>/`.
pub const TARGETS: &[&str] = &[
    "decode",
    "glucose_measurement",
    "glucose_context",
    "racp_response",
    "racp_request",
    "blood_pressure_measurement",
    "cgm_measurement",
];

/// Runs the target called `name` on one input; unknown names panic.
pub fn run(name: &str, data: &[u8]) {
    match name {
        "decode" => decode_any(data),
        "glucose_measurement" => decode_as(Characteristic::GlucoseMeasurement, data),
        "glucose_context" => decode_as(Characteristic::GlucoseMeasurementContext, data),
        "racp_response" => decode_as(Characteristic::RecordAccessControlPoint, data),
        "racp_request" => racp_request(data),
        "blood_pressure_measurement" => decode_as(Characteristic::BloodPressureMeasurement, data),
        "cgm_measurement" => decode_as(Characteristic::CgmMeasurement, data),
        other => panic!("no fuzz target {other}"),
    }
}

/// The `decode` target: the first octet picks the characteristic.
pub fn decode_any(data: &[u8]) {
    let Some((&selector, value)) = data.split_first() else {
        return;
    };
    let all = Characteristic::ALL;
    decode_as(all[usize::from(selector) % all.len()], value);
    racp_request(value);
}

/// Decodes `data` as `characteristic` and checks that re-encoding is stable.
pub fn decode_as(characteristic: Characteristic, data: &[u8]) {
    if let Ok(decoded) = ble_proto::decode(characteristic, data) {
        assert_eq!(decoded.characteristic(), characteristic);
        let encoded = decoded.encode();
        let again = ble_proto::decode(characteristic, &encoded)
            .unwrap_or_else(|error| panic!("{decoded:?} re-encoded as {encoded:02X?}: {error}"));
        assert_eq!(again.encode(), encoded, "{decoded:?}");
    }
}

/// Decodes `data` as a RACP request and checks that it re-encodes to the same octets
/// (requests are checked exactly, so there is nothing to drop).
pub fn racp_request(data: &[u8]) {
    if let Ok(request) = RacpRequest::decode(data) {
        assert_eq!(request.encode(), data, "{request:?}");
    }
}
