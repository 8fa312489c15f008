//! Range checks from STANDARDS.md §6: values outside the "reject" range are impossible and never
//! stored; values in the "flag" range are stored only when confirmed (manual entries) and carry
//! the `implausible` flag.

use crate::decimal::Decimal;
use crate::error::{Error, Result};
use crate::model::{Content, Quantity, Unit};

const MMOL_PER_MGDL: f64 = 1.0 / 18.016;
const KPA_PER_MMHG: f64 = 0.133_322_387_415;
const KG_PER_LB: f64 = 0.453_592_37;

/// The result of checking a value that is possible: the reasons it is unusual, if any.
pub type Concerns = Vec<String>;

/// Checks content; `Err` for impossible values or wrong units, else the list of concerns.
pub fn check(content: &Content) -> Result<Concerns> {
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
            let to_mmhg = match unit {
                Unit::MmHg => 1.0,
                Unit::KPa => 1.0 / KPA_PER_MMHG,
                other => return Err(unit_error("blood pressure", *other, "mmHg, kPa")),
            };
            let sys = systolic.to_f64() * to_mmhg;
            let dia = diastolic.to_f64() * to_mmhg;
            range(
                "systolic pressure",
                *systolic,
                *unit,
                sys,
                40.0,
                300.0,
                to_mmhg,
            )?;
            range(
                "diastolic pressure",
                *diastolic,
                *unit,
                dia,
                20.0,
                200.0,
                to_mmhg,
            )?;
            if dia >= sys {
                return Err(Error::Invalid(
                    "the diastolic pressure must be lower than the systolic; nothing was stored"
                        .into(),
                ));
            }
            if let Some(map) = mean_arterial {
                let m = map.to_f64() * to_mmhg;
                if m < dia || m > sys {
                    return Err(Error::Invalid(
                        "the mean arterial pressure must lie between diastolic and systolic; nothing was stored".into(),
                    ));
                }
            }
            if sys > 180.0 || dia > 120.0 {
                concerns.push("blood pressure in the crisis range (above 180/120 mmHg)".into());
            } else if sys < 90.0 {
                concerns.push("low blood pressure (systolic below 90 mmHg)".into());
            }
            if let Some(p) = pulse {
                heart_rate(*p, &mut concerns)?;
            }
        }
        Content::Weight(q) => {
            let kg = match q.unit {
                Unit::Kg => q.value.to_f64(),
                Unit::Lb => q.value.to_f64() * KG_PER_LB,
                other => return Err(unit_error("weight", other, "kg, lb")),
            };
            let factor = if q.unit == Unit::Kg { 1.0 } else { KG_PER_LB };
            range("weight", q.value, q.unit, kg, 0.5, 327.675, factor)?;
            if !(2.0..=250.0).contains(&kg) {
                concerns.push("unusual body weight".into());
            }
        }
        Content::Temperature(q) => {
            let c = match q.unit {
                Unit::Celsius => q.value.to_f64(),
                Unit::Fahrenheit => (q.value.to_f64() - 32.0) * 5.0 / 9.0,
                other => return Err(unit_error("temperature", other, "C, F")),
            };
            if !(25.0..=45.0).contains(&c) {
                return Err(impossible(
                    "temperature",
                    q.value,
                    q.unit,
                    if q.unit == Unit::Celsius {
                        "25–45 °C"
                    } else {
                        "77–113 °F"
                    },
                ));
            }
            if c < 35.0 {
                concerns.push("body temperature below 35.0 °C".into());
            } else if c >= 38.0 {
                concerns.push("fever (38.0 °C or higher)".into());
            }
        }
        Content::SpO2(v) => {
            let x = v.to_f64();
            if !(0.0..=100.0).contains(&x) {
                return Err(impossible("SpO2", *v, Unit::Percent, "0–100 %"));
            }
            if x < 90.0 {
                concerns.push("oxygen saturation below 90 %".into());
            }
        }
        Content::HeartRate(v) => heart_rate(*v, &mut concerns)?,
        Content::BodyFat(v) => {
            let x = v.to_f64();
            if x <= 0.0 || x >= 100.0 {
                return Err(impossible(
                    "body fat",
                    *v,
                    Unit::Percent,
                    "above 0 and below 100 %",
                ));
            }
            // Below essential fat or above what scales are made to measure: likely a misreading.
            if !(3.0..=70.0).contains(&x) {
                concerns.push("body fat outside 3–70 %".into());
            }
        }
        Content::Insulin { units, .. } => {
            let u = units.to_f64();
            if u <= 0.0 || u > 300.0 {
                return Err(impossible(
                    "insulin dose",
                    *units,
                    Unit::InsulinUnits,
                    "0–300 U",
                ));
            }
            if u > 100.0 {
                concerns.push("unusually large insulin dose".into());
            }
        }
        Content::Meal {
            carbs_g: Some(c), ..
        } => {
            let g = c.to_f64();
            if !(0.0..=1000.0).contains(&g) {
                return Err(impossible("carbohydrates", *c, Unit::Grams, "0–1000 g"));
            }
            if g > 300.0 {
                concerns.push("unusually large amount of carbohydrates".into());
            }
        }
        Content::Medication(text) | Content::Symptom(text) | Content::Note(text) => {
            if text.trim().is_empty() {
                return Err(Error::Invalid(
                    "the text is empty; nothing was stored".into(),
                ));
            }
        }
        Content::Meal { carbs_g: None, .. } => {}
    }
    Ok(concerns)
}

fn glucose(q: Quantity, concerns: &mut Concerns) -> Result<()> {
    let mgdl = match q.unit {
        Unit::MgPerDl => q.value.to_f64(),
        Unit::MmolPerL => q.value.to_f64() / MMOL_PER_MGDL,
        other => return Err(unit_error("glucose", other, "mg/dL, mmol/L")),
    };
    let limit = if q.unit == Unit::MgPerDl {
        "0–1000 mg/dL"
    } else {
        "0–55 mmol/L"
    };
    if !(0.0..=1000.0).contains(&mgdl) || q.value.to_f64() <= 0.0 {
        return Err(impossible("glucose", q.value, q.unit, limit));
    }
    if mgdl < 54.0 {
        concerns.push("glucose below 54 mg/dL (3.0 mmol/L), a serious low".into());
    } else if mgdl > 400.0 {
        concerns.push("glucose above 400 mg/dL (22.2 mmol/L)".into());
    }
    Ok(())
}

fn heart_rate(v: Decimal, concerns: &mut Concerns) -> Result<()> {
    let x = v.to_f64();
    if !(20.0..=300.0).contains(&x) {
        return Err(impossible("pulse", v, Unit::PerMin, "20–300 /min"));
    }
    if !(40.0..=120.0).contains(&x) {
        concerns.push("resting pulse below 40 or above 120 /min".into());
    }
    Ok(())
}

fn range(
    what: &'static str,
    value: Decimal,
    unit: Unit,
    canonical: f64,
    low: f64,
    high: f64,
    factor: f64,
) -> Result<()> {
    if canonical < low || canonical > high {
        let (lo, hi) = (low / factor, high / factor);
        return Err(impossible(
            what,
            value,
            unit,
            &format!("{lo:.1}–{hi:.1} {}", unit.ucum()),
        ));
    }
    Ok(())
}

fn impossible(what: &'static str, value: Decimal, unit: Unit, range: &str) -> Error {
    Error::Impossible {
        what,
        value: value.to_string(),
        unit: unit.ucum().into(),
        range: range.into(),
    }
}

fn unit_error(what: &'static str, unit: Unit, accepted: &'static str) -> Error {
    Error::UnsupportedUnit {
        what,
        unit: unit.ucum().into(),
        accepted,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::MealContext;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn glu(v: &str, unit: Unit) -> Content {
        Content::Glucose {
            value: Quantity { value: d(v), unit },
            meal: Some(MealContext::Before),
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
    fn blood_pressure_rules() {
        let bp = |s: &str, di: &str| Content::BloodPressure {
            systolic: d(s),
            diastolic: d(di),
            mean_arterial: None,
            unit: Unit::MmHg,
            pulse: Some(d("71")),
        };
        assert!(check(&bp("128", "84")).unwrap().is_empty());
        assert!(check(&bp("84", "128")).is_err());
        assert!(check(&bp("350", "84")).is_err());
        assert_eq!(check(&bp("190", "100")).unwrap().len(), 1);
    }

    #[test]
    fn temperature_and_spo2() {
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
