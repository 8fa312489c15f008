//! Monitors without a record access procedure (thermometer, scale, pulse oximeter, heart-rate
//! strap): subscribe to their measurement characteristics and collect what they send until
//! they disconnect or fall quiet, then turn the values into journal entries.

use std::time::Duration;

use ble_proto::heart_rate::HeartRateMeasurement;
use ble_proto::pulse_oximeter::PlxSpotCheckMeasurement;
use ble_proto::session::{Characteristic, Subscription};
use ble_proto::thermometer::{TemperatureMeasurement, TemperatureUnit};
use ble_proto::weight::{BodyCompositionMeasurement, UnitSystem, WeightMeasurement};
use journal::NewEntry;
use readings::{Content, Quantity, Unit};

use crate::entries::{self as records, Provenance, Unusable};
use link::{LinkEvent, Transport};
use readings::MonitorKind;

/// How long a monitor may stay silent, once subscribed, before the transfer ends.
pub const QUIET_PERIOD: Duration = Duration::from_secs(10);

/// The characteristics a kind of monitor sends its readings on, and how.
pub fn measurement_characteristics(kind: MonitorKind) -> &'static [(Characteristic, Subscription)] {
    use Subscription::{Indicate, Notify};
    match kind {
        MonitorKind::Thermometer => &[(Characteristic::TemperatureMeasurement, Indicate)],
        MonitorKind::WeightScale | MonitorKind::BodyComposition => &[
            (Characteristic::WeightMeasurement, Indicate),
            (Characteristic::BodyCompositionMeasurement, Indicate),
        ],
        MonitorKind::PulseOximeter => &[(Characteristic::PlxSpotCheckMeasurement, Indicate)],
        MonitorKind::HeartRate => &[(Characteristic::HeartRateMeasurement, Notify)],
        MonitorKind::Glucose | MonitorKind::BloodPressure | MonitorKind::ContinuousGlucose => &[],
    }
}

/// What a listening transfer collected.
#[derive(Debug, Default)]
pub struct Heard {
    /// The values, in order of arrival.
    pub values: Vec<(Characteristic, Vec<u8>)>,
    /// Why it stopped, when it was not the monitor leaving or falling quiet.
    pub interrupted: Option<String>,
}

/// Subscribes to the kind's measurement characteristics and collects values until the monitor
/// disconnects or is quiet for `quiet`.
pub async fn listen<T: Transport>(transport: &mut T, kind: MonitorKind, quiet: Duration) -> Heard {
    let mut heard = Heard::default();
    for &(characteristic, subscription) in measurement_characteristics(kind) {
        if !transport.has(characteristic) {
            continue;
        }
        if let Err(error) = transport.subscribe(characteristic, subscription).await {
            heard.interrupted = Some(error.to_string());
            return heard;
        }
    }
    loop {
        match tokio::time::timeout(quiet, transport.next_event()).await {
            Ok(LinkEvent::Notification {
                characteristic,
                value,
            }) => heard.values.push((characteristic, value)),
            Ok(LinkEvent::Disconnected) => return heard,
            Err(_) => {
                transport.disconnect().await;
                return heard;
            }
        }
    }
}

/// The journal entries of one value; empty for values the journal has no kind for (body
/// composition beyond weight).
pub fn entries(
    characteristic: Characteristic,
    value: &[u8],
    from: &Provenance,
) -> Result<Vec<NewEntry>, Unusable> {
    let malformed = |_| Unusable::Malformed;
    match characteristic {
        Characteristic::TemperatureMeasurement => {
            let m = TemperatureMeasurement::decode(value).map_err(malformed)?;
            let unit = match m.unit {
                TemperatureUnit::Celsius => Unit::Celsius,
                TemperatureUnit::Fahrenheit => Unit::Fahrenheit,
            };
            let value = records::float_decimal(m.value)?;
            let content = Content::Temperature(Quantity { value, unit });
            Ok(vec![records::reading_entry(content, m.timestamp, from)])
        }
        Characteristic::WeightMeasurement => {
            let m = WeightMeasurement::decode(value).map_err(malformed)?;
            let unit = match m.unit_system {
                UnitSystem::Si => Unit::Kg,
                UnitSystem::Imperial => Unit::Lb,
            };
            let mass = m.weight_value().ok_or(Unusable::NoValue)?;
            let value = records::proto_decimal(mass);
            let content = Content::Weight(Quantity { value, unit });
            Ok(vec![records::reading_entry(content, m.timestamp, from)])
        }
        Characteristic::BodyCompositionMeasurement => {
            // The body fat percentage is what the journal keeps; the weight a scale also puts
            // here arrives on its own Weight Measurement too, and other components (muscle,
            // water, impedance) are not kept.
            let m = BodyCompositionMeasurement::decode(value).map_err(malformed)?;
            let body_fat = m.body_fat_value().ok_or(Unusable::NoValue)?;
            let content = Content::BodyFat(records::proto_decimal(body_fat));
            Ok(vec![records::reading_entry(content, m.timestamp, from)])
        }
        Characteristic::PlxSpotCheckMeasurement => {
            let m = PlxSpotCheckMeasurement::decode(value).map_err(malformed)?;
            let spo2 = records::sfloat_decimal(m.spo2_pct)?;
            let mut out = vec![records::reading_entry(
                Content::SpO2(spo2),
                m.timestamp,
                from,
            )];
            if let Ok(pulse) = records::sfloat_decimal(m.pulse_rate_bpm) {
                out.push(records::reading_entry(
                    Content::HeartRate(pulse),
                    m.timestamp,
                    from,
                ));
            }
            Ok(out)
        }
        Characteristic::HeartRateMeasurement => {
            let m = HeartRateMeasurement::decode(value).map_err(malformed)?;
            let rate = readings::Decimal::new(i64::from(m.heart_rate), 0);
            Ok(vec![records::reading_entry(
                Content::HeartRate(rate),
                None,
                from,
            )])
        }
        _ => Ok(Vec::new()),
    }
}
