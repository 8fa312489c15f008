//! Monitors as the rest of Vitalog names them: what kind each is, and the id it is addressed
//! by, which says whether it is a simulated demo monitor (`demo:<kind>`). The Bluetooth service
//! behind each kind is the link's business.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The kinds of health monitor Vitalog works with, one per Bluetooth SIG health service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "kebab-case")]
pub enum MonitorKind {
    /// Glucose meter.
    Glucose,
    /// Blood pressure cuff.
    BloodPressure,
    /// Continuous glucose monitor.
    #[serde(rename = "cgm")]
    ContinuousGlucose,
    /// Thermometer.
    Thermometer,
    /// Weight scale.
    #[serde(rename = "weight")]
    WeightScale,
    /// Body composition scale.
    BodyComposition,
    /// Pulse oximeter.
    PulseOximeter,
    /// Heart rate strap.
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

impl fmt::Display for MonitorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The id a monitor is addressed by: the platform's id for a real one (on Linux its Bluetooth
/// address), `demo:<kind>` for a demo monitor. The journal knows monitors by the same id.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(transparent)]
pub struct MonitorId(String);

/// What every demo monitor's id starts with.
const DEMO_PREFIX: &str = "demo:";

impl MonitorId {
    /// The id of a real monitor, as its platform names it.
    pub fn new(id: impl Into<String>) -> Self {
        Self(id.into())
    }

    /// The id of the demo monitor of `kind`.
    pub fn demo(kind: MonitorKind) -> Self {
        Self(format!("{DEMO_PREFIX}{}", kind.as_str()))
    }

    /// The kind of demo monitor this id names, if it names one.
    pub fn demo_kind(&self) -> Option<MonitorKind> {
        self.0
            .strip_prefix(DEMO_PREFIX)
            .and_then(MonitorKind::parse)
    }

    /// Whether this is a demo monitor's id (also one of a kind this version does not know).
    pub fn is_demo(&self) -> bool {
        self.0.starts_with(DEMO_PREFIX)
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for MonitorId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for MonitorId {
    fn from(id: &str) -> Self {
        Self::new(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_ids_name_their_kind() {
        for kind in MonitorKind::ALL {
            let id = MonitorId::demo(kind);
            assert!(id.is_demo());
            assert_eq!(id.demo_kind(), Some(kind));
            assert_eq!(MonitorKind::parse(kind.as_str()), Some(kind));
            assert_eq!(
                serde_json::to_string(&kind).unwrap(),
                format!("\"{}\"", kind.as_str())
            );
        }
        let real = MonitorId::new("C0:26:DA:01:02:03");
        assert!(!real.is_demo());
        assert_eq!(real.demo_kind(), None);
    }
}
