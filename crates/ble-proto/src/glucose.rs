//! Glucose Service (GLS 0x1808) values: Glucose Measurement (0x2A18), Glucose Measurement
//! Context (0x2A34) and Glucose Feature (0x2A51).

use crate::bits::bit_field;
use crate::characteristic::Characteristic;
use crate::date_time::DateTime;
use crate::error::DecodeError;
use crate::medfloat::Sfloat;
use crate::wire::{Reader, expect_length, put_date_time, put_sfloat, put_u16};

/// One stored glucose reading of a blood glucose meter (0x2A18).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GlucoseMeasurement {
    /// The record's sequence number, the key for incremental sync.
    pub sequence_number: u16,
    /// The meter's own clock when the sample was taken (user edits do not change it).
    pub base_time: DateTime,
    /// Minutes to add to the base time for user-facing time.
    pub time_offset_min: Option<i16>,
    /// The concentration with its sample type and location.
    pub concentration: Option<GlucoseConcentration>,
    /// Sensor status annunciation.
    pub sensor_status: Option<GlucoseSensorStatus>,
    /// Whether a Glucose Measurement Context with the same sequence number follows.
    pub context_follows: bool,
}

/// The glucose concentration of a [`GlucoseMeasurement`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GlucoseConcentration {
    /// The concentration in the GATT unit `unit` (kg/L × 100000 = mg/dL; mol/L × 1000 = mmol/L).
    pub value: Sfloat,
    /// The unit of `value`.
    pub unit: GlucoseUnit,
    /// The sample type (low nibble): 1 capillary whole blood … 10 control solution.
    pub sample_type: u8,
    /// The sample location (high nibble): 1 finger, 2 AST, 3 earlobe, 4 control solution,
    /// 15 not available.
    pub sample_location: u8,
}

/// The unit of a glucose concentration (flag bit 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GlucoseUnit {
    /// kg/L (flag bit 2 = 0).
    KilogramPerLitre,
    /// mol/L (flag bit 2 = 1).
    MolePerLitre,
}

bit_field! {
    /// Glucose sensor status annunciation (bits 0–11 defined).
    GlucoseSensorStatus(u16) {
        /// The meter's battery is low.
        BATTERY_LOW = 0;
        /// The sensor malfunctioned.
        SENSOR_MALFUNCTION = 1;
        /// The blood sample was too small.
        SAMPLE_SIZE_INSUFFICIENT = 2;
        /// The strip was inserted wrongly.
        STRIP_INSERTION_ERROR = 3;
        /// The strip type is not right for this meter.
        STRIP_TYPE_INCORRECT = 4;
        /// The result is higher than the meter can process.
        RESULT_TOO_HIGH = 5;
        /// The result is lower than the meter can process.
        RESULT_TOO_LOW = 6;
        /// The temperature was too high for a valid test.
        TEMPERATURE_TOO_HIGH = 7;
        /// The temperature was too low for a valid test.
        TEMPERATURE_TOO_LOW = 8;
        /// The strip was pulled out too soon.
        READ_INTERRUPTED = 9;
        /// A general device fault.
        GENERAL_DEVICE_FAULT = 10;
        /// The meter's clock may be wrong.
        TIME_FAULT = 11;
    }
}

const GM_TIME_OFFSET: u8 = 1 << 0;
const GM_CONCENTRATION: u8 = 1 << 1;
const GM_MOL_PER_LITRE: u8 = 1 << 2;
const GM_SENSOR_STATUS: u8 = 1 << 3;
const GM_CONTEXT_FOLLOWS: u8 = 1 << 4;

impl GlucoseMeasurement {
    /// Decodes a Glucose Measurement value.
    pub fn decode(bytes: &[u8]) -> Result<Self, DecodeError> {
        let mut reader = Reader::new(Characteristic::GlucoseMeasurement, bytes);
        let flags = reader.u8("flags")?;
        let sequence_number = reader.u16("sequence_number")?;
        let base_time = reader.date_time("base_time")?;
        let time_offset_min = match flags & GM_TIME_OFFSET {
            0 => None,
            _ => Some(reader.i16("time_offset")?),
        };
        let concentration = match flags & GM_CONCENTRATION {
            0 => None,
            _ => {
                let value = reader.sfloat("concentration")?;
                let type_location = reader.u8("type_sample_location")?;
                Some(GlucoseConcentration {
                    value,
                    unit: if flags & GM_MOL_PER_LITRE == 0 {
                        GlucoseUnit::KilogramPerLitre
                    } else {
                        GlucoseUnit::MolePerLitre
                    },
                    sample_type: type_location & 0x0F,
                    sample_location: type_location >> 4,
                })
            }
        };
        let sensor_status = match flags & GM_SENSOR_STATUS {
            0 => None,
            _ => Some(GlucoseSensorStatus(reader.u16("sensor_status")?)),
        };
        Ok(GlucoseMeasurement {
            sequence_number,
            base_time,
            time_offset_min,
            concentration,
            sensor_status,
            context_follows: flags & GM_CONTEXT_FOLLOWS != 0,
        })
    }

    /// Encodes this measurement, setting the flags from the fields present.
    pub fn encode(&self) -> Vec<u8> {
        let mut flags = 0;
        let mut out = vec![0];
        put_u16(&mut out, self.sequence_number);
        put_date_time(&mut out, self.base_time);
        if let Some(offset) = self.time_offset_min {
            flags |= GM_TIME_OFFSET;
            out.extend_from_slice(&offset.to_le_bytes());
        }
        if let Some(concentration) = self.concentration {
            flags |= GM_CONCENTRATION;
            if concentration.unit == GlucoseUnit::MolePerLitre {
                flags |= GM_MOL_PER_LITRE;
            }
            put_sfloat(&mut out, concentration.value);
            out.push((concentration.sample_type & 0x0F) | (concentration.sample_location << 4));
        }
        if let Some(status) = self.sensor_status {
            flags |= GM_SENSOR_STATUS;
            put_u16(&mut out, status.bits());
        }
        if self.context_follows {
            flags |= GM_CONTEXT_FOLLOWS;
        }
        out[0] = flags;
        out
    }
}

/// What the patient noted about a glucose reading (0x2A34), paired with its
/// [`GlucoseMeasurement`] by sequence number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GlucoseMeasurementContext {
    /// The sequence number of the measurement this context belongs to.
    pub sequence_number: u16,
    /// Extended flags (all reserved for future use), when present.
    pub extended_flags: Option<u8>,
    /// Carbohydrate intake.
    pub carbohydrate: Option<Carbohydrate>,
    /// Meal: 1 preprandial, 2 postprandial, 3 fasting, 4 casual, 5 bedtime.
    pub meal: Option<u8>,
    /// Who tested and how the patient felt.
    pub tester_health: Option<TesterHealth>,
    /// Exercise before the test.
    pub exercise: Option<Exercise>,
    /// Medication taken.
    pub medication: Option<Medication>,
    /// HbA1c in percent.
    pub hba1c_pct: Option<Sfloat>,
}

/// Carbohydrate intake noted with a glucose reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Carbohydrate {
    /// 1 breakfast, 2 lunch, 3 dinner, 4 snack, 5 drink, 6 supper, 7 brunch.
    pub id: u8,
    /// The amount in kilograms (GSS unit; devices commonly send grams with exponent −3).
    pub amount: Sfloat,
}

/// Tester and health, one nibble each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TesterHealth {
    /// Low nibble: 1 self, 2 health care professional, 3 lab test, 15 not available.
    pub tester: u8,
    /// High nibble: 1 minor issues, 2 major issues, 3 menses, 4 stress, 5 none, 15 not available.
    pub health: u8,
}

/// Exercise before a glucose test.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Exercise {
    /// Duration in seconds (0xFFFF = overrun).
    pub duration_s: u16,
    /// Intensity in percent.
    pub intensity_pct: u8,
}

/// Medication noted with a glucose reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Medication {
    /// 1 rapid-acting insulin, 2 short-acting, 3 intermediate-acting, 4 long-acting, 5 pre-mixed.
    pub id: u8,
    /// The amount in `unit`.
    pub amount: Sfloat,
    /// Kilograms or litres (flag bit 5).
    pub unit: MedicationUnit,
}

/// The unit of a medication amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MedicationUnit {
    /// Kilograms (flag bit 5 = 0).
    Kilogram,
    /// Litres (flag bit 5 = 1).
    Litre,
}

const GMC_CARBOHYDRATE: u8 = 1 << 0;
const GMC_MEAL: u8 = 1 << 1;
const GMC_TESTER_HEALTH: u8 = 1 << 2;
const GMC_EXERCISE: u8 = 1 << 3;
const GMC_MEDICATION: u8 = 1 << 4;
const GMC_MEDICATION_LITRES: u8 = 1 << 5;
const GMC_HBA1C: u8 = 1 << 6;
const GMC_EXTENDED_FLAGS: u8 = 1 << 7;

impl GlucoseMeasurementContext {
    /// Decodes a Glucose Measurement Context value.
    pub fn decode(bytes: &[u8]) -> Result<Self, DecodeError> {
        let mut reader = Reader::new(Characteristic::GlucoseMeasurementContext, bytes);
        let flags = reader.u8("flags")?;
        let sequence_number = reader.u16("sequence_number")?;
        let present = |bit: u8| flags & bit != 0;
        let extended_flags = match present(GMC_EXTENDED_FLAGS) {
            true => Some(reader.u8("extended_flags")?),
            false => None,
        };
        let carbohydrate = match present(GMC_CARBOHYDRATE) {
            true => Some(Carbohydrate {
                id: reader.u8("carbohydrate_id")?,
                amount: reader.sfloat("carbohydrate")?,
            }),
            false => None,
        };
        let meal = match present(GMC_MEAL) {
            true => Some(reader.u8("meal")?),
            false => None,
        };
        let tester_health = match present(GMC_TESTER_HEALTH) {
            true => {
                let octet = reader.u8("tester_health")?;
                Some(TesterHealth {
                    tester: octet & 0x0F,
                    health: octet >> 4,
                })
            }
            false => None,
        };
        let exercise = match present(GMC_EXERCISE) {
            true => Some(Exercise {
                duration_s: reader.u16("exercise_duration")?,
                intensity_pct: reader.u8("exercise_intensity")?,
            }),
            false => None,
        };
        let medication = match present(GMC_MEDICATION) {
            true => Some(Medication {
                id: reader.u8("medication_id")?,
                amount: reader.sfloat("medication")?,
                unit: if present(GMC_MEDICATION_LITRES) {
                    MedicationUnit::Litre
                } else {
                    MedicationUnit::Kilogram
                },
            }),
            false => None,
        };
        let hba1c_pct = match present(GMC_HBA1C) {
            true => Some(reader.sfloat("hba1c")?),
            false => None,
        };
        Ok(GlucoseMeasurementContext {
            sequence_number,
            extended_flags,
            carbohydrate,
            meal,
            tester_health,
            exercise,
            medication,
            hba1c_pct,
        })
    }

    /// Encodes this context, setting the flags from the fields present.
    pub fn encode(&self) -> Vec<u8> {
        let mut flags = 0;
        let mut out = vec![0];
        put_u16(&mut out, self.sequence_number);
        if let Some(extended) = self.extended_flags {
            flags |= GMC_EXTENDED_FLAGS;
            out.push(extended);
        }
        if let Some(carbohydrate) = self.carbohydrate {
            flags |= GMC_CARBOHYDRATE;
            out.push(carbohydrate.id);
            put_sfloat(&mut out, carbohydrate.amount);
        }
        if let Some(meal) = self.meal {
            flags |= GMC_MEAL;
            out.push(meal);
        }
        if let Some(tester_health) = self.tester_health {
            flags |= GMC_TESTER_HEALTH;
            out.push((tester_health.tester & 0x0F) | (tester_health.health << 4));
        }
        if let Some(exercise) = self.exercise {
            flags |= GMC_EXERCISE;
            put_u16(&mut out, exercise.duration_s);
            out.push(exercise.intensity_pct);
        }
        if let Some(medication) = self.medication {
            flags |= GMC_MEDICATION;
            if medication.unit == MedicationUnit::Litre {
                flags |= GMC_MEDICATION_LITRES;
            }
            out.push(medication.id);
            put_sfloat(&mut out, medication.amount);
        }
        if let Some(hba1c) = self.hba1c_pct {
            flags |= GMC_HBA1C;
            put_sfloat(&mut out, hba1c);
        }
        out[0] = flags;
        out
    }
}

bit_field! {
    /// What a glucose meter supports (0x2A51, 2 octets).
    GlucoseFeatures(u16) {
        /// Low battery detection during measurement.
        LOW_BATTERY_DETECTION = 0;
        /// Sensor malfunction detection.
        SENSOR_MALFUNCTION_DETECTION = 1;
        /// Sensor sample size.
        SENSOR_SAMPLE_SIZE = 2;
        /// Sensor strip insertion error detection.
        STRIP_INSERTION_ERROR_DETECTION = 3;
        /// Sensor strip type error detection.
        STRIP_TYPE_ERROR_DETECTION = 4;
        /// Sensor result high-low detection.
        RESULT_HIGH_LOW_DETECTION = 5;
        /// Sensor temperature high-low detection.
        TEMPERATURE_HIGH_LOW_DETECTION = 6;
        /// Sensor read interrupt detection.
        READ_INTERRUPT_DETECTION = 7;
        /// General device fault.
        GENERAL_DEVICE_FAULT = 8;
        /// Time fault.
        TIME_FAULT = 9;
        /// Multiple bond.
        MULTIPLE_BOND = 10;
    }
}

impl GlucoseFeatures {
    /// Decodes a Glucose Feature value (exactly 2 octets).
    pub fn decode(bytes: &[u8]) -> Result<Self, DecodeError> {
        expect_length(Characteristic::GlucoseFeature, bytes, &[2])?;
        Reader::new(Characteristic::GlucoseFeature, bytes)
            .u16("features")
            .map(GlucoseFeatures)
    }

    /// Encodes this Glucose Feature value.
    pub fn encode(&self) -> Vec<u8> {
        self.0.to_le_bytes().to_vec()
    }
}
