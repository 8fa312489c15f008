//! One entry point for every characteristic: [`decode`] picks the decoder by
//! [`Characteristic`], and [`CharacteristicValue::encode`] writes any decoded value back.

use crate::blood_pressure::{
    BloodPressureFeatures, BloodPressureMeasurement, IntermediateCuffPressure,
};
use crate::cgm::{CgmFeature, CgmMeasurement, CgmSessionRunTime, CgmSessionStartTime, CgmStatus};
use crate::characteristic::Characteristic;
use crate::current_time::{self, CurrentTime};
use crate::date_time::DateTime;
use crate::device_information::{self, SystemId};
use crate::error::DecodeError;
use crate::glucose::{GlucoseFeatures, GlucoseMeasurement, GlucoseMeasurementContext};
use crate::heart_rate::HeartRateMeasurement;
use crate::pulse_oximeter::{PlxContinuousMeasurement, PlxFeatures, PlxSpotCheckMeasurement};
use crate::racp::RacpResponse;
use crate::thermometer::TemperatureMeasurement;
use crate::weight::{BodyCompositionMeasurement, WeightMeasurement, WeightScaleFeatures};

/// A decoded characteristic value, one variant per characteristic (DIS strings share one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CharacteristicValue {
    /// 0x2A18.
    GlucoseMeasurement(GlucoseMeasurement),
    /// 0x2A34.
    GlucoseMeasurementContext(GlucoseMeasurementContext),
    /// 0x2A51.
    GlucoseFeature(GlucoseFeatures),
    /// 0x2A52, as indicated by the device (responses only).
    RacpResponse(RacpResponse),
    /// 0x2A35.
    BloodPressureMeasurement(BloodPressureMeasurement),
    /// 0x2A36.
    IntermediateCuffPressure(IntermediateCuffPressure),
    /// 0x2A49.
    BloodPressureFeature(BloodPressureFeatures),
    /// 0x2A37.
    HeartRateMeasurement(HeartRateMeasurement),
    /// 0x2A1C.
    TemperatureMeasurement(TemperatureMeasurement),
    /// 0x2A1E.
    IntermediateTemperature(TemperatureMeasurement),
    /// 0x2A9D.
    WeightMeasurement(WeightMeasurement),
    /// 0x2A9E.
    WeightScaleFeature(WeightScaleFeatures),
    /// 0x2A9C.
    BodyCompositionMeasurement(BodyCompositionMeasurement),
    /// 0x2A5E.
    PlxSpotCheckMeasurement(PlxSpotCheckMeasurement),
    /// 0x2A5F.
    PlxContinuousMeasurement(PlxContinuousMeasurement),
    /// 0x2A60.
    PlxFeatures(PlxFeatures),
    /// 0x2AA7.
    CgmMeasurement(CgmMeasurement),
    /// 0x2AA8.
    CgmFeature(CgmFeature),
    /// 0x2AA9.
    CgmStatus(CgmStatus),
    /// 0x2AAA.
    CgmSessionStartTime(CgmSessionStartTime),
    /// 0x2AAB.
    CgmSessionRunTime(CgmSessionRunTime),
    /// 0x2A08.
    DateTime(DateTime),
    /// 0x2A2B.
    CurrentTime(CurrentTime),
    /// 0x2A19, percent.
    BatteryLevel(u8),
    /// 0x2A29, 0x2A24, 0x2A25, 0x2A27, 0x2A26 or 0x2A28.
    DeviceInformationString(Characteristic, String),
    /// 0x2A23.
    SystemId(SystemId),
}

/// Decodes the value of `characteristic`.
///
/// Never panics, whatever the octets; allocates only in proportion to `bytes` itself (CGM
/// records, RR intervals, strings), never to a length field.
pub fn decode(
    characteristic: Characteristic,
    bytes: &[u8],
) -> Result<CharacteristicValue, DecodeError> {
    use CharacteristicValue as V;
    Ok(match characteristic {
        Characteristic::GlucoseMeasurement => {
            V::GlucoseMeasurement(GlucoseMeasurement::decode(bytes)?)
        }
        Characteristic::GlucoseMeasurementContext => {
            V::GlucoseMeasurementContext(GlucoseMeasurementContext::decode(bytes)?)
        }
        Characteristic::GlucoseFeature => V::GlucoseFeature(GlucoseFeatures::decode(bytes)?),
        Characteristic::RecordAccessControlPoint => V::RacpResponse(RacpResponse::decode(bytes)?),
        Characteristic::BloodPressureMeasurement => {
            V::BloodPressureMeasurement(BloodPressureMeasurement::decode(bytes)?)
        }
        Characteristic::IntermediateCuffPressure => {
            V::IntermediateCuffPressure(IntermediateCuffPressure::decode(bytes)?)
        }
        Characteristic::BloodPressureFeature => {
            V::BloodPressureFeature(BloodPressureFeatures::decode(bytes)?)
        }
        Characteristic::HeartRateMeasurement => {
            V::HeartRateMeasurement(HeartRateMeasurement::decode(bytes)?)
        }
        Characteristic::TemperatureMeasurement => {
            V::TemperatureMeasurement(TemperatureMeasurement::decode(bytes)?)
        }
        Characteristic::IntermediateTemperature => {
            V::IntermediateTemperature(TemperatureMeasurement::decode_intermediate(bytes)?)
        }
        Characteristic::WeightMeasurement => {
            V::WeightMeasurement(WeightMeasurement::decode(bytes)?)
        }
        Characteristic::WeightScaleFeature => {
            V::WeightScaleFeature(WeightScaleFeatures::decode(bytes)?)
        }
        Characteristic::BodyCompositionMeasurement => {
            V::BodyCompositionMeasurement(BodyCompositionMeasurement::decode(bytes)?)
        }
        Characteristic::PlxSpotCheckMeasurement => {
            V::PlxSpotCheckMeasurement(PlxSpotCheckMeasurement::decode(bytes)?)
        }
        Characteristic::PlxContinuousMeasurement => {
            V::PlxContinuousMeasurement(PlxContinuousMeasurement::decode(bytes)?)
        }
        Characteristic::PlxFeatures => V::PlxFeatures(PlxFeatures::decode(bytes)?),
        Characteristic::CgmMeasurement => V::CgmMeasurement(CgmMeasurement::decode(bytes)?),
        Characteristic::CgmFeature => V::CgmFeature(CgmFeature::decode(bytes)?),
        Characteristic::CgmStatus => V::CgmStatus(CgmStatus::decode(bytes)?),
        Characteristic::CgmSessionStartTime => {
            V::CgmSessionStartTime(CgmSessionStartTime::decode(bytes)?)
        }
        Characteristic::CgmSessionRunTime => {
            V::CgmSessionRunTime(CgmSessionRunTime::decode(bytes)?)
        }
        Characteristic::DateTime => V::DateTime(current_time::decode_date_time(bytes)?),
        Characteristic::CurrentTime => V::CurrentTime(CurrentTime::decode(bytes)?),
        Characteristic::BatteryLevel => {
            V::BatteryLevel(device_information::decode_battery_level(bytes)?)
        }
        Characteristic::ManufacturerName
        | Characteristic::ModelNumber
        | Characteristic::SerialNumber
        | Characteristic::HardwareRevision
        | Characteristic::FirmwareRevision
        | Characteristic::SoftwareRevision => {
            V::DeviceInformationString(characteristic, device_information::decode_string(bytes))
        }
        Characteristic::SystemId => V::SystemId(SystemId::decode(bytes)?),
    })
}

impl CharacteristicValue {
    /// The characteristic this value belongs to.
    pub fn characteristic(&self) -> Characteristic {
        use CharacteristicValue as V;
        match self {
            V::GlucoseMeasurement(_) => Characteristic::GlucoseMeasurement,
            V::GlucoseMeasurementContext(_) => Characteristic::GlucoseMeasurementContext,
            V::GlucoseFeature(_) => Characteristic::GlucoseFeature,
            V::RacpResponse(_) => Characteristic::RecordAccessControlPoint,
            V::BloodPressureMeasurement(_) => Characteristic::BloodPressureMeasurement,
            V::IntermediateCuffPressure(_) => Characteristic::IntermediateCuffPressure,
            V::BloodPressureFeature(_) => Characteristic::BloodPressureFeature,
            V::HeartRateMeasurement(_) => Characteristic::HeartRateMeasurement,
            V::TemperatureMeasurement(_) => Characteristic::TemperatureMeasurement,
            V::IntermediateTemperature(_) => Characteristic::IntermediateTemperature,
            V::WeightMeasurement(_) => Characteristic::WeightMeasurement,
            V::WeightScaleFeature(_) => Characteristic::WeightScaleFeature,
            V::BodyCompositionMeasurement(_) => Characteristic::BodyCompositionMeasurement,
            V::PlxSpotCheckMeasurement(_) => Characteristic::PlxSpotCheckMeasurement,
            V::PlxContinuousMeasurement(_) => Characteristic::PlxContinuousMeasurement,
            V::PlxFeatures(_) => Characteristic::PlxFeatures,
            V::CgmMeasurement(_) => Characteristic::CgmMeasurement,
            V::CgmFeature(_) => Characteristic::CgmFeature,
            V::CgmStatus(_) => Characteristic::CgmStatus,
            V::CgmSessionStartTime(_) => Characteristic::CgmSessionStartTime,
            V::CgmSessionRunTime(_) => Characteristic::CgmSessionRunTime,
            V::DateTime(_) => Characteristic::DateTime,
            V::CurrentTime(_) => Characteristic::CurrentTime,
            V::BatteryLevel(_) => Characteristic::BatteryLevel,
            V::DeviceInformationString(characteristic, _) => *characteristic,
            V::SystemId(_) => Characteristic::SystemId,
        }
    }

    /// Encodes this value; decoding the result gives this value back.
    pub fn encode(&self) -> Vec<u8> {
        use CharacteristicValue as V;
        match self {
            V::GlucoseMeasurement(value) => value.encode(),
            V::GlucoseMeasurementContext(value) => value.encode(),
            V::GlucoseFeature(value) => value.encode(),
            V::RacpResponse(value) => value.encode(),
            V::BloodPressureMeasurement(value) => value.encode(),
            V::IntermediateCuffPressure(value) => value.encode(),
            V::BloodPressureFeature(value) => value.encode(),
            V::HeartRateMeasurement(value) => value.encode(),
            V::TemperatureMeasurement(value) | V::IntermediateTemperature(value) => value.encode(),
            V::WeightMeasurement(value) => value.encode(),
            V::WeightScaleFeature(value) => value.encode(),
            V::BodyCompositionMeasurement(value) => value.encode(),
            V::PlxSpotCheckMeasurement(value) => value.encode(),
            V::PlxContinuousMeasurement(value) => value.encode(),
            V::PlxFeatures(value) => value.encode(),
            V::CgmMeasurement(value) => value.encode(),
            V::CgmFeature(value) => value.encode(),
            V::CgmStatus(value) => value.encode(),
            V::CgmSessionStartTime(value) => value.encode(),
            V::CgmSessionRunTime(value) => value.encode(),
            V::DateTime(value) => current_time::encode_date_time(*value),
            V::CurrentTime(value) => value.encode(),
            V::BatteryLevel(percent) => device_information::encode_battery_level(*percent),
            V::DeviceInformationString(_, text) => device_information::encode_string(text),
            V::SystemId(value) => value.encode(),
        }
    }
}
