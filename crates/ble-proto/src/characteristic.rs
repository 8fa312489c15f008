//! Which characteristic a value came from: the 16-bit UUIDs of the characteristics and services
//! Vitalog reads, and their expansion to 128-bit UUIDs over the Bluetooth Base UUID.

use std::fmt;

/// The Bluetooth Base UUID `00000000-0000-1000-8000-00805F9B34FB` as a 128-bit number.
///
/// A 16-bit UUID `xxxx` stands for `0000xxxx-0000-1000-8000-00805F9B34FB`.
pub const BLUETOOTH_BASE_UUID: u128 = 0x0000_0000_0000_1000_8000_0080_5F9B_34FB;

/// Expands a 16-bit SIG-assigned UUID to its full 128-bit form.
pub const fn uuid128(uuid16: u16) -> u128 {
    BLUETOOTH_BASE_UUID | ((uuid16 as u128) << 96)
}

/// The 16-bit UUIDs of the services whose characteristics this crate decodes.
pub mod service {
    /// Current Time Service (CTS).
    pub const CURRENT_TIME: u16 = 0x1805;
    /// Glucose Service (GLS).
    pub const GLUCOSE: u16 = 0x1808;
    /// Health Thermometer Service (HTS).
    pub const HEALTH_THERMOMETER: u16 = 0x1809;
    /// Device Information Service (DIS).
    pub const DEVICE_INFORMATION: u16 = 0x180A;
    /// Heart Rate Service (HRS).
    pub const HEART_RATE: u16 = 0x180D;
    /// Battery Service (BAS).
    pub const BATTERY: u16 = 0x180F;
    /// Blood Pressure Service (BLS).
    pub const BLOOD_PRESSURE: u16 = 0x1810;
    /// Body Composition Service (BCS).
    pub const BODY_COMPOSITION: u16 = 0x181B;
    /// Weight Scale Service (WSS).
    pub const WEIGHT_SCALE: u16 = 0x181D;
    /// Continuous Glucose Monitoring Service (CGMS).
    pub const CONTINUOUS_GLUCOSE_MONITORING: u16 = 0x181F;
    /// Pulse Oximeter Service (PLXS).
    pub const PULSE_OXIMETER: u16 = 0x1822;
}

macro_rules! characteristics {
    ($($(#[$doc:meta])* $variant:ident = $uuid:literal, $name:literal;)*) => {
        /// A GATT characteristic this crate can decode, named as in the GATT Specification
        /// Supplement.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Characteristic {
            $($(#[$doc])* $variant,)*
        }

        impl Characteristic {
            /// Every characteristic, in UUID-table order.
            pub const ALL: &'static [Characteristic] = &[$(Characteristic::$variant,)*];

            /// The 16-bit SIG-assigned UUID.
            pub const fn uuid16(self) -> u16 {
                match self {
                    $(Characteristic::$variant => $uuid,)*
                }
            }

            /// The characteristic with this 16-bit UUID, if this crate knows it.
            pub const fn from_uuid16(uuid16: u16) -> Option<Self> {
                match uuid16 {
                    $($uuid => Some(Characteristic::$variant),)*
                    _ => None,
                }
            }

            /// The name the Bluetooth SIG gives this characteristic.
            pub const fn name(self) -> &'static str {
                match self {
                    $(Characteristic::$variant => $name,)*
                }
            }
        }
    };
}

characteristics! {
    /// Date Time (fixed 7 octets).
    DateTime = 0x2A08, "Date Time";
    /// Glucose Measurement.
    GlucoseMeasurement = 0x2A18, "Glucose Measurement";
    /// Battery Level (percent).
    BatteryLevel = 0x2A19, "Battery Level";
    /// Temperature Measurement (stored or final readings).
    TemperatureMeasurement = 0x2A1C, "Temperature Measurement";
    /// Intermediate Temperature (live readings, same layout as Temperature Measurement).
    IntermediateTemperature = 0x2A1E, "Intermediate Temperature";
    /// System ID (EUI-64, least significant octet first).
    SystemId = 0x2A23, "System ID";
    /// Model Number String.
    ModelNumber = 0x2A24, "Model Number String";
    /// Serial Number String.
    SerialNumber = 0x2A25, "Serial Number String";
    /// Firmware Revision String.
    FirmwareRevision = 0x2A26, "Firmware Revision String";
    /// Hardware Revision String.
    HardwareRevision = 0x2A27, "Hardware Revision String";
    /// Software Revision String.
    SoftwareRevision = 0x2A28, "Software Revision String";
    /// Manufacturer Name String.
    ManufacturerName = 0x2A29, "Manufacturer Name String";
    /// Current Time (fixed 10 octets).
    CurrentTime = 0x2A2B, "Current Time";
    /// Glucose Measurement Context.
    GlucoseMeasurementContext = 0x2A34, "Glucose Measurement Context";
    /// Blood Pressure Measurement.
    BloodPressureMeasurement = 0x2A35, "Blood Pressure Measurement";
    /// Intermediate Cuff Pressure (live cuff pressure while inflating).
    IntermediateCuffPressure = 0x2A36, "Intermediate Cuff Pressure";
    /// Heart Rate Measurement.
    HeartRateMeasurement = 0x2A37, "Heart Rate Measurement";
    /// Blood Pressure Feature.
    BloodPressureFeature = 0x2A49, "Blood Pressure Feature";
    /// Glucose Feature.
    GlucoseFeature = 0x2A51, "Glucose Feature";
    /// Record Access Control Point (RACP).
    RecordAccessControlPoint = 0x2A52, "Record Access Control Point";
    /// PLX Spot-Check Measurement.
    PlxSpotCheckMeasurement = 0x2A5E, "PLX Spot-Check Measurement";
    /// PLX Continuous Measurement.
    PlxContinuousMeasurement = 0x2A5F, "PLX Continuous Measurement";
    /// PLX Features.
    PlxFeatures = 0x2A60, "PLX Features";
    /// Body Composition Measurement.
    BodyCompositionMeasurement = 0x2A9C, "Body Composition Measurement";
    /// Weight Measurement.
    WeightMeasurement = 0x2A9D, "Weight Measurement";
    /// Weight Scale Feature.
    WeightScaleFeature = 0x2A9E, "Weight Scale Feature";
    /// CGM Measurement (one or more records per value).
    CgmMeasurement = 0x2AA7, "CGM Measurement";
    /// CGM Feature.
    CgmFeature = 0x2AA8, "CGM Feature";
    /// CGM Status.
    CgmStatus = 0x2AA9, "CGM Status";
    /// CGM Session Start Time.
    CgmSessionStartTime = 0x2AAA, "CGM Session Start Time";
    /// CGM Session Run Time.
    CgmSessionRunTime = 0x2AAB, "CGM Session Run Time";
}

impl Characteristic {
    /// The full 128-bit UUID.
    pub const fn uuid128(self) -> u128 {
        uuid128(self.uuid16())
    }
}

impl fmt::Display for Characteristic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (0x{:04X})", self.name(), self.uuid16())
    }
}
