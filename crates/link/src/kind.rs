//! What kind of monitor a device is, from the health service it advertises or the
//! characteristics it offers.

use ble_proto::service;
use readings::MonitorKind;

/// The 16-bit UUID of the kind's service.
pub const fn service(kind: MonitorKind) -> u16 {
    match kind {
        MonitorKind::Glucose => service::GLUCOSE,
        MonitorKind::BloodPressure => service::BLOOD_PRESSURE,
        MonitorKind::ContinuousGlucose => service::CONTINUOUS_GLUCOSE_MONITORING,
        MonitorKind::Thermometer => service::HEALTH_THERMOMETER,
        MonitorKind::WeightScale => service::WEIGHT_SCALE,
        MonitorKind::BodyComposition => service::BODY_COMPOSITION,
        MonitorKind::PulseOximeter => service::PULSE_OXIMETER,
        MonitorKind::HeartRate => service::HEART_RATE,
    }
}

/// The kind of a service, if it is a health service Vitalog knows.
pub fn from_service(uuid16: u16) -> Option<MonitorKind> {
    MonitorKind::ALL
        .into_iter()
        .find(|kind| service(*kind) == uuid16)
}

/// The kind of a device advertising these 16-bit service UUIDs.
pub fn classify(services: impl IntoIterator<Item = u16>) -> Option<MonitorKind> {
    let services: Vec<u16> = services.into_iter().collect();
    MonitorKind::ALL
        .into_iter()
        .find(|kind| services.contains(&service(*kind)))
}

/// The kind of a connected monitor, from the characteristics discovered on it.
pub fn of_characteristics(found: &[ble_proto::Characteristic]) -> Option<MonitorKind> {
    use ble_proto::Characteristic as C;
    let kinds = [
        (C::GlucoseMeasurement, MonitorKind::Glucose),
        (C::CgmMeasurement, MonitorKind::ContinuousGlucose),
        (C::BloodPressureMeasurement, MonitorKind::BloodPressure),
        (C::PlxSpotCheckMeasurement, MonitorKind::PulseOximeter),
        (C::PlxContinuousMeasurement, MonitorKind::PulseOximeter),
        (C::TemperatureMeasurement, MonitorKind::Thermometer),
        (C::BodyCompositionMeasurement, MonitorKind::BodyComposition),
        (C::WeightMeasurement, MonitorKind::WeightScale),
        (C::HeartRateMeasurement, MonitorKind::HeartRate),
    ];
    kinds
        .into_iter()
        .find(|(characteristic, _)| found.contains(characteristic))
        .map(|(_, kind)| kind)
}

/// The 16-bit UUID inside a Bluetooth base UUID, if it is one.
pub fn uuid16_of(uuid: u128) -> Option<u16> {
    let base = ble_proto::BLUETOOTH_BASE_UUID;
    let mask: u128 = !(0xFFFF_FFFFu128 << 96);
    if uuid & mask == base & mask && uuid >> 112 == 0 {
        u16::try_from(uuid >> 96).ok()
    } else {
        None
    }
}
