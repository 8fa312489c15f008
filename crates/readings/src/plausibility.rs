//! Range checks from STANDARDS.md §6: values outside the "reject" range are impossible and never
//! stored; values in the "flag" range are possible but unusual — stored only when confirmed
//! (manual entries) or as received (devices), and flagged `implausible`.

use crate::Field;
use crate::content::{Content, Quantity};
use crate::decimal::Decimal;
use crate::error::ReadingError;
use crate::unit::Unit;

/// Why a possible value is unusual, in words (no value in them).
pub type Concern = &'static str;

/// Checks content: `Err` for impossible values and wrong units, else the concerns (empty when
/// the value is usual).
pub fn check(content: &Content) -> Result<Vec<Concern>, ReadingError> {
    let mut concerns = Vec::new();
    match content {
        Content::Glucose { value, .. } => glucose(*value, &mut concerns)?,
        Content::BloodPressure {
            systolic,
            diastolic,
            mean_arterial,
            unit,
            pulse,
        } => {
            let in_mmhg = |d: Decimal| unit.convert(d.to_f64(), Unit::MmHg);
            let (Some(sys), Some(dia)) = (in_mmhg(*systolic), in_mmhg(*diastolic)) else {
                return Err(unsupported(
                    "blood pressure",
                    *unit,
                    &[Unit::MmHg, Unit::KPa],
                ));
            };
            within(
                "systolic pressure",
                Field::Systolic,
                sys,
                Unit::MmHg,
                *unit,
                40.0,
                300.0,
            )?;
            within(
                "diastolic pressure",
                Field::Diastolic,
                dia,
                Unit::MmHg,
                *unit,
                20.0,
                200.0,
            )?;
            if dia >= sys {
                return Err(ReadingError::DiastolicNotBelowSystolic);
            }
            if let Some(map) = mean_arterial.and_then(in_mmhg)
                && (map < dia || map > sys)
            {
                return Err(ReadingError::MeanArterialOutside);
            }
            if sys > 180.0 || dia > 120.0 {
                concerns.push("blood pressure in the crisis range (above 180/120 mmHg)");
            } else if sys < 90.0 {
                concerns.push("low blood pressure (systolic below 90 mmHg)");
            }
            if let Some(p) = pulse {
                heart_rate(*p, Field::Pulse, &mut concerns)?;
            }
        }
        Content::Weight(q) => {
            let Some(kg) = q.unit.convert(q.value.to_f64(), Unit::Kg) else {
                return Err(unsupported("weight", q.unit, &[Unit::Kg, Unit::Lb]));
            };
            within("weight", Field::Value, kg, Unit::Kg, q.unit, 0.5, 327.675)?;
            if !(2.0..=250.0).contains(&kg) {
                concerns.push("unusual body weight");
            }
        }
        Content::Temperature(q) => {
            let Some(c) = q.unit.convert(q.value.to_f64(), Unit::Celsius) else {
                return Err(unsupported(
                    "temperature",
                    q.unit,
                    &[Unit::Celsius, Unit::Fahrenheit],
                ));
            };
            within(
                "temperature",
                Field::Value,
                c,
                Unit::Celsius,
                q.unit,
                25.0,
                45.0,
            )?;
            if c < 35.0 {
                concerns.push("body temperature below 35.0 °C");
            } else if c >= 38.0 {
                concerns.push("fever (38.0 °C or higher)");
            }
        }
        Content::SpO2(v) => {
            let x = v.to_f64();
            within(
                "oxygen saturation",
                Field::Value,
                x,
                Unit::Percent,
                Unit::Percent,
                0.0,
                100.0,
            )?;
            if x < 90.0 {
                concerns.push("oxygen saturation below 90 %");
            }
        }
        Content::HeartRate(v) => heart_rate(*v, Field::Value, &mut concerns)?,
        Content::BodyFat(v) => {
            let x = v.to_f64();
            if x <= 0.0 || x >= 100.0 {
                return Err(impossible(
                    "body fat",
                    Field::Value,
                    "above 0 and below 100 %".into(),
                ));
            }
            // Below essential fat or above what scales are made to measure: likely a misreading.
            if !(3.0..=70.0).contains(&x) {
                concerns.push("body fat outside 3–70 %");
            }
        }
        Content::Insulin { units, .. } => {
            let u = units.to_f64();
            if u <= 0.0 || u > 300.0 {
                return Err(impossible(
                    "an insulin dose",
                    Field::Value,
                    "above 0 and at most 300 U".into(),
                ));
            }
            if u > 100.0 {
                concerns.push("unusually large insulin dose");
            }
        }
        Content::Meal {
            carbs_g: Some(c), ..
        } => {
            let g = c.to_f64();
            within(
                "carbohydrates",
                Field::Value,
                g,
                Unit::Grams,
                Unit::Grams,
                0.0,
                1000.0,
            )?;
            if g > 300.0 {
                concerns.push("unusually large amount of carbohydrates");
            }
        }
        Content::Medication(text) | Content::Symptom(text) | Content::Note(text) => {
            if text.trim().is_empty() {
                return Err(ReadingError::EmptyText {
                    what: content.kind().noun(),
                });
            }
        }
        Content::Meal { carbs_g: None, .. } => {}
    }
    Ok(concerns)
}

fn glucose(q: Quantity, concerns: &mut Vec<Concern>) -> Result<(), ReadingError> {
    let Some(mgdl) = q.unit.convert(q.value.to_f64(), Unit::MgPerDl) else {
        return Err(unsupported(
            "glucose",
            q.unit,
            &[Unit::MgPerDl, Unit::MmolPerL],
        ));
    };
    if mgdl <= 0.0 || mgdl > 1000.0 {
        let high = Unit::MgPerDl.convert(1000.0, q.unit).unwrap_or(1000.0);
        return Err(impossible(
            "glucose",
            Field::Value,
            format!("above 0 and at most {} {}", round1(high), q.unit.symbol()),
        ));
    }
    if mgdl < 54.0 {
        concerns.push("glucose below 54 mg/dL (3.0 mmol/L), a serious low");
    } else if mgdl > 400.0 {
        concerns.push("glucose above 400 mg/dL (22.2 mmol/L)");
    }
    Ok(())
}

/// A pulse, as its own reading (`Field::Value`) or a cuff's (`Field::Pulse`).
fn heart_rate(v: Decimal, field: Field, concerns: &mut Vec<Concern>) -> Result<(), ReadingError> {
    let x = v.to_f64();
    within(
        "the pulse",
        field,
        x,
        Unit::PerMin,
        Unit::PerMin,
        20.0,
        300.0,
    )?;
    if !(40.0..=120.0).contains(&x) {
        concerns.push("resting pulse below 40 or above 120 /min");
    }
    Ok(())
}

/// Checks `canonical` (in `canonical_unit`) against `[low, high]`; the message gives the range
/// in the unit the value was recorded in.
fn within(
    what: &'static str,
    field: Field,
    canonical: f64,
    canonical_unit: Unit,
    recorded_unit: Unit,
    low: f64,
    high: f64,
) -> Result<(), ReadingError> {
    if canonical.is_nan() || canonical < low || canonical > high {
        let shown = |x: f64| canonical_unit.convert(x, recorded_unit).unwrap_or(x);
        return Err(impossible(
            what,
            field,
            format!(
                "between {} and {} {}",
                round1(shown(low)),
                round1(shown(high)),
                recorded_unit.symbol()
            ),
        ));
    }
    Ok(())
}

/// A bound in words: whole numbers without decimals, others to one decimal.
fn round1(x: f64) -> String {
    let tenths = (x * 10.0).round() / 10.0;
    if tenths.fract() == 0.0 {
        format!("{tenths:.0}")
    } else {
        format!("{tenths:.1}")
    }
}

fn impossible(what: &'static str, field: Field, range: String) -> ReadingError {
    ReadingError::Impossible { what, field, range }
}

fn unsupported(what: &'static str, unit: Unit, accepted: &'static [Unit]) -> ReadingError {
    ReadingError::UnsupportedUnit {
        what,
        unit,
        accepted,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::{GlucoseMethod, MealContext};

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn glu(v: &str, unit: Unit) -> Content {
        Content::Glucose {
            value: Quantity { value: d(v), unit },
            meal: Some(MealContext::Before),
            method: GlucoseMethod::Meter,
        }
    }

    #[test]
    fn glucose_tiers() {
        assert!(check(&glu("5.8", Unit::MmolPerL)).unwrap().is_empty());
        assert_eq!(check(&glu("2.5", Unit::MmolPerL)).unwrap().len(), 1);
        assert!(check(&glu("60", Unit::MmolPerL)).is_err());
        assert!(check(&glu("1200", Unit::MgPerDl)).is_err());
        assert!(check(&glu("5", Unit::Kg)).is_err());
    }

    #[test]
    fn impossible_values_say_the_range_not_the_value() {
        let message = check(&glu("0", Unit::MmolPerL)).unwrap_err().to_string();
        assert_eq!(
            message,
            "glucose must be above 0 and at most 55.5 mmol/L; nothing was stored"
        );
        let message = check(&Content::Temperature(Quantity {
            value: d("98.6"),
            unit: Unit::Celsius,
        }))
        .unwrap_err()
        .to_string();
        assert_eq!(
            message,
            "temperature must be between 25 and 45 °C; nothing was stored"
        );
        let message = check(&Content::Temperature(Quantity {
            value: d("120"),
            unit: Unit::Fahrenheit,
        }))
        .unwrap_err()
        .to_string();
        assert_eq!(
            message,
            "temperature must be between 77 and 113 °F; nothing was stored"
        );
        assert!(!message.contains("120"));
    }

    #[test]
    fn blood_pressure_rules() {
        let bp = |s: &str, di: &str| Content::BloodPressure {
            systolic: d(s),
            diastolic: d(di),
            mean_arterial: None,
            unit: Unit::MmHg,
            pulse: Some(d("71")),
        };
        assert!(check(&bp("128", "84")).unwrap().is_empty());
        assert_eq!(
            check(&bp("84", "128")),
            Err(ReadingError::DiastolicNotBelowSystolic)
        );
        assert!(check(&bp("350", "84")).is_err());
        assert_eq!(check(&bp("190", "100")).unwrap().len(), 1);
        let kpa = Content::BloodPressure {
            systolic: d("17.1"),
            diastolic: d("11.2"),
            mean_arterial: None,
            unit: Unit::KPa,
            pulse: None,
        };
        assert!(check(&kpa).unwrap().is_empty());
    }

    #[test]
    fn temperature_spo2_and_body_fat() {
        let t = |v: &str, unit| Content::Temperature(Quantity { value: d(v), unit });
        assert!(check(&t("37.0", Unit::Celsius)).unwrap().is_empty());
        assert_eq!(check(&t("37.8", Unit::Celsius)).unwrap().len(), 0);
        assert_eq!(check(&t("38.5", Unit::Celsius)).unwrap().len(), 1);
        assert!(check(&t("98.6", Unit::Fahrenheit)).unwrap().is_empty());
        assert!(check(&t("98.6", Unit::Celsius)).is_err());
        assert!(check(&Content::SpO2(d("101"))).is_err());
        assert!(check(&Content::BodyFat(d("23.4"))).unwrap().is_empty());
        assert_eq!(check(&Content::BodyFat(d("82"))).unwrap().len(), 1);
        assert!(check(&Content::BodyFat(d("0"))).is_err());
        assert!(check(&Content::BodyFat(d("100"))).is_err());
        assert_eq!(check(&Content::SpO2(d("85"))).unwrap().len(), 1);
    }
}
