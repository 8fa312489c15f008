//! What kind of monitor a device is, from the health service it advertises.

use ble_proto::service;

/// The kinds of health monitor Vitalog looks for, one per Bluetooth SIG service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MonitorKind {
    /// Glucose meter (GLS 0x1808).
    Glucose,
    /// Blood pressure cuff (BLS 0x1810).
    BloodPressure,
    /// Continuous glucose monitor (CGMS 0x181F).
    ContinuousGlucose,
    /// Thermometer (HTS 0x1809).
    Thermometer,
    /// Weight scale (WSS 0x181D).
    WeightScale,
    /// Body composition scale (BCS 0x181B).
    BodyComposition,
    /// Pulse oximeter (PLXS 0x1822).
    PulseOximeter,
    /// Heart rate strap (HRS 0x180D).
    HeartRate,
}

impl MonitorKind {
    /// Every kind, in the order a device advertising several is classified.
    pub const ALL: [MonitorKind; 8] = [
        MonitorKind::Glucose,
        MonitorKind::ContinuousGlucose,
        MonitorKind::BloodPressure,
        MonitorKind::PulseOximeter,
        MonitorKind::Thermometer,
        MonitorKind::BodyComposition,
        MonitorKind::WeightScale,
        MonitorKind::HeartRate,
    ];

    /// The 16-bit UUID of the kind's service.
    pub const fn service(self) -> u16 {
        match self {
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
            .find(|kind| kind.service() == uuid16)
    }

    /// The kind of a device advertising these 16-bit service UUIDs.
    pub fn classify(services: impl IntoIterator<Item = u16>) -> Option<MonitorKind> {
        let services: Vec<u16> = services.into_iter().collect();
        MonitorKind::ALL
            .into_iter()
            .find(|kind| services.contains(&kind.service()))
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

    /// A stable name for the CLI and the app (`glucose`, `blood-pressure`, …).
    pub const fn as_str(self) -> &'static str {
        match self {
            MonitorKind::Glucose => "glucose",
            MonitorKind::BloodPressure => "blood-pressure",
            MonitorKind::ContinuousGlucose => "cgm",
            MonitorKind::Thermometer => "thermometer",
            MonitorKind::WeightScale => "weight",
            MonitorKind::BodyComposition => "body-composition",
            MonitorKind::PulseOximeter => "pulse-oximeter",
            MonitorKind::HeartRate => "heart-rate",
        }
    }

    /// The kind with this stable name.
    pub fn parse(name: &str) -> Option<MonitorKind> {
        MonitorKind::ALL
            .into_iter()
            .find(|kind| kind.as_str() == name)
    }

    /// Whether the kind's profile requires a bonded, encrypted link before readings are
    /// accepted (GLS and CGMS do).
    pub const fn requires_bonding(self) -> bool {
        matches!(self, MonitorKind::Glucose | MonitorKind::ContinuousGlucose)
    }
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
