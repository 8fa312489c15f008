//! Session records to journal entries: units, flags, and the two times (as the device sent it,
//! and corrected) that every entry keeps.

use ble_proto::blood_pressure::PressureUnit;
use ble_proto::glucose::GlucoseUnit;
use ble_proto::session::blood_pressure::{BloodPressureRecord, CuffUser};
use ble_proto::session::glucose::{DuplicateRule, GlucoseRecord};
use ble_proto::time::{DeviceClock, MeasurementTime, TimeQuality as ProtoQuality};
use ble_proto::{DateTime, MedfloatValue, Sfloat};
use chrono::FixedOffset;
use journal::{DeviceId, NewEntry};
use readings::{Content, Flag, GlucoseMethod, MealContext, Quantity, Source, TimeQuality, Unit};

/// Sample type 10 and sample location 4 both mean "control solution" (GLS 1.0).
const CONTROL_SOLUTION_TYPE: u8 = 10;
const CONTROL_SOLUTION_LOCATION: u8 = 4;
/// Sample type 9 is interstitial fluid (GLS 1.0): a glucose sensor, not a drop of blood.
const INTERSTITIAL_FLUID_TYPE: u8 = 9;

/// Why a record could not become an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Unusable {
    /// The record carries no value (no concentration, or NaN, NRes or ±∞).
    #[error("the record carries no usable value")]
    NoValue,
    /// The value does not follow its layout.
    #[error("the value is malformed")]
    Malformed,
}

/// Where entries come from and when they were received.
#[derive(Debug, Clone, Copy)]
pub struct Provenance {
    /// The device in the journal.
    pub device: DeviceId,
    /// `Device` for a real monitor, `Demo` for a simulated one.
    pub source: Source,
    /// How to read the device's timestamps.
    pub clock: DeviceClock,
    /// When the host received the records (for records without a usable time).
    pub received: chrono::DateTime<FixedOffset>,
}

/// A glucose record as a journal entry.
pub fn glucose_entry(record: &GlucoseRecord, from: &Provenance) -> Result<NewEntry, Unusable> {
    let measurement = &record.measurement;
    let concentration = measurement.concentration.ok_or(Unusable::NoValue)?;
    let (value, unit) = match concentration.unit {
        // kg/L × 100 000 = mg/dL; mol/L × 1 000 = mmol/L.
        GlucoseUnit::KilogramPerLitre => (scaled(concentration.value, 5)?, Unit::MgPerDl),
        GlucoseUnit::MolePerLitre => (scaled(concentration.value, 3)?, Unit::MmolPerL),
    };
    let meal = record
        .context
        .as_ref()
        .and_then(|context| context.meal)
        .and_then(meal_context);
    let method = if concentration.sample_type == INTERSTITIAL_FLUID_TYPE {
        GlucoseMethod::Cgm
    } else {
        GlucoseMethod::Meter
    };
    let time = record.time(from.clock);
    let mut entry = dated(
        Content::Glucose {
            value: Quantity { value, unit },
            meal,
            method,
        },
        &time,
        from,
    );
    entry.sequence_number = match record.duplicate_rule {
        DuplicateRule::BySequenceNumber => Some(i64::from(measurement.sequence_number)),
        // The meter's sequence numbers restarted: the journal matches by content instead.
        DuplicateRule::ByContent => None,
    };
    if concentration.sample_type == CONTROL_SOLUTION_TYPE
        || concentration.sample_location == CONTROL_SOLUTION_LOCATION
    {
        entry.flags.insert(Flag::ControlSolution);
    }
    if let Some(status) = measurement.sensor_status {
        let bits = status.bits();
        for (bit, name) in SENSOR_STATUS.iter().enumerate() {
            if bits & (1 << bit) != 0 {
                entry.flags.insert(Flag::Status((*name).into()));
            }
        }
    }
    Ok(entry)
}

/// Flag names of the Glucose Sensor Status Annunciation bits 0–11.
const SENSOR_STATUS: [&str; 12] = [
    "battery-low",
    "sensor-malfunction",
    "sample-size-insufficient",
    "strip-insertion-error",
    "strip-type-incorrect",
    "result-too-high",
    "result-too-low",
    "temperature-too-high",
    "temperature-too-low",
    "read-interrupted",
    "general-device-fault",
    "time-fault",
];

/// A blood pressure record as a journal entry, for `person` (the cuff user's person, if
/// assigned).
pub fn blood_pressure_entry(
    record: &BloodPressureRecord,
    person: Option<journal::PersonId>,
    from: &Provenance,
) -> Result<NewEntry, Unusable> {
    let measurement = &record.measurement;
    let unit = match measurement.unit {
        PressureUnit::MillimetreOfMercury => Unit::MmHg,
        PressureUnit::Kilopascal => Unit::KPa,
    };
    let content = Content::BloodPressure {
        systolic: scaled(measurement.systolic, 0)?,
        diastolic: scaled(measurement.diastolic, 0)?,
        mean_arterial: scaled(measurement.mean_arterial, 0).ok(),
        unit,
        pulse: measurement
            .pulse_rate
            .and_then(|pulse| scaled(pulse, 0).ok()),
    };
    let mut entry = match record.time(from.clock) {
        Some(time) => dated(content, &time, from),
        None => received_now(content, from),
    };
    entry.person = person;
    if let CuffUser::Unknown = record.user {
        entry.flags.insert(Flag::Status("unknown-user".into()));
    }
    Ok(entry)
}

/// The journal decimal of an SFLOAT times 10^`shift`.
fn scaled(value: Sfloat, shift: i8) -> Result<readings::Decimal, Unusable> {
    match value.value() {
        MedfloatValue::Number(number) => {
            let exponent = number
                .exponent()
                .checked_add(shift)
                .ok_or(Unusable::NoValue)?;
            Ok(readings::Decimal::new(
                i64::from(number.mantissa()),
                exponent,
            ))
        }
        _ => Err(Unusable::NoValue),
    }
}

/// A CGM reading as a journal entry (mg/dL), dated from the sensor session's start.
pub fn cgm_entry(
    reading: &ble_proto::session::cgm::CgmReading,
    from: &Provenance,
) -> Result<NewEntry, Unusable> {
    let value = scaled(reading.record.glucose_mg_dl, 0)?;
    let content = Content::Glucose {
        value: Quantity {
            value,
            unit: Unit::MgPerDl,
        },
        meal: None,
        method: GlucoseMethod::Cgm,
    };
    Ok(dated(content, &reading.time, from))
}

/// The journal decimal of an SFLOAT.
pub fn sfloat_decimal(value: Sfloat) -> Result<readings::Decimal, Unusable> {
    scaled(value, 0)
}

/// The journal decimal of a FLOAT.
pub fn float_decimal(value: ble_proto::Float) -> Result<readings::Decimal, Unusable> {
    value
        .value()
        .number()
        .map(proto_decimal)
        .ok_or(Unusable::NoValue)
}

/// The journal decimal of a protocol decimal.
pub fn proto_decimal(value: ble_proto::Decimal) -> readings::Decimal {
    readings::Decimal::new(i64::from(value.mantissa()), value.exponent())
}

/// A reading with an optional device timestamp, dated through the time model.
pub fn reading_entry(content: Content, timestamp: Option<DateTime>, from: &Provenance) -> NewEntry {
    match timestamp {
        Some(sent) => dated(
            content,
            &MeasurementTime::from_device(sent, None, from.clock),
            from,
        ),
        None => received_now(content, from),
    }
}

/// GLS Meal field: 1 preprandial, 2 postprandial, 3 fasting, 4 casual, 5 bedtime.
fn meal_context(meal: u8) -> Option<MealContext> {
    match meal {
        1 => Some(MealContext::Before),
        2 => Some(MealContext::After),
        3 => Some(MealContext::Fasting),
        4 => Some(MealContext::Casual),
        5 => Some(MealContext::Bedtime),
        _ => None,
    }
}

/// An entry dated by the time model: the corrected instant when there is one (else the time of
/// reception), and the device's own time as sent.
fn dated(content: Content, time: &MeasurementTime, from: &Provenance) -> NewEntry {
    let quality = match time.quality {
        ProtoQuality::ClockSetByHost | ProtoQuality::DeviceZone | ProtoQuality::DriftCorrected => {
            TimeQuality::DeviceSynced
        }
        ProtoQuality::HostZoneAssumed => TimeQuality::DeviceUnverified,
        ProtoQuality::Estimated | ProtoQuality::Unknown => TimeQuality::Reception,
    };
    let at = match (time.instant, time.utc_offset) {
        (Some(instant), offset) => {
            instant.with_timezone(&offset.unwrap_or_else(|| *from.received.offset()))
        }
        (None, _) => from.received,
    };
    let device_time = time
        .device_local
        .map(|local| local.format("%Y-%m-%dT%H:%M:%S").to_string())
        .or_else(|| time.base_time.map(as_sent));
    let quality = if time.instant.is_some() {
        quality
    } else {
        TimeQuality::Reception
    };
    let mut entry = NewEntry::from_device(content, at, from.device, None, device_time, quality);
    entry.source = from.source;
    entry
}

/// An entry without a device time, dated at reception.
fn received_now(content: Content, from: &Provenance) -> NewEntry {
    let mut entry = NewEntry::from_device(
        content,
        from.received,
        from.device,
        None,
        None,
        TimeQuality::Reception,
    );
    entry.source = from.source;
    entry
}

/// A device date as sent, even when it names no calendar day.
fn as_sent(date: DateTime) -> String {
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        date.year(),
        date.month(),
        date.day(),
        date.hours(),
        date.minutes(),
        date.seconds()
    )
}

/// The host's time of reception, in its local zone.
pub fn received_at() -> chrono::DateTime<FixedOffset> {
    let local = chrono::Local::now();
    local.with_timezone(local.offset())
}
