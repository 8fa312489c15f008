//! The codes each kind of reading carries (STANDARDS.md §1.3): MDC (ISO/IEEE 11073-10101) and
//! LOINC, the vital-signs category where FHIR's Vital Signs profile applies, and the MDC device
//! specialisation of the monitor kind.

use readings::{Content, GlucoseMethod, MonitorKind, Unit};

/// MDC's code system.
pub const MDC: &str = "urn:iso:std:iso:11073:10101";
/// LOINC's code system.
pub const LOINC: &str = "http://loinc.org";
/// UCUM's code system.
pub const UCUM: &str = "http://unitsofmeasure.org";

/// The codes of one observation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Codes {
    /// MDC code and its reference id.
    pub mdc: (&'static str, &'static str),
    /// LOINC code and display, where one applies.
    pub loinc: Option<(&'static str, &'static str)>,
    /// Whether FHIR's vital-signs category applies (glucose and body fat are not vital signs).
    pub vital_sign: bool,
}

const fn codes(
    mdc: (&'static str, &'static str),
    loinc: Option<(&'static str, &'static str)>,
    vital_sign: bool,
) -> Codes {
    Codes {
        mdc,
        loinc,
        vital_sign,
    }
}

/// The codes of a reading's main observation; `None` for events (notes, meals, medications…),
/// which are not observations of the body.
pub fn of(content: &Content) -> Option<Codes> {
    Some(match content {
        Content::Glucose { value, method, .. } => {
            let molar = value.unit == Unit::MmolPerL;
            match method {
                GlucoseMethod::Cgm => codes(
                    ("160212", "MDC_CONC_GLU_ISF"),
                    Some(if molar {
                        ("105272-9", "Glucose [Moles/volume] in Interstitial fluid")
                    } else {
                        ("99504-3", "Glucose [Mass/volume] in Interstitial fluid")
                    }),
                    false,
                ),
                GlucoseMethod::Meter => codes(
                    ("160184", "MDC_CONC_GLU_CAPILLARY_WHOLEBLOOD"),
                    Some(if molar {
                        (
                            "14743-9",
                            "Glucose [Moles/volume] in Capillary blood by Glucometer",
                        )
                    } else {
                        (
                            "41653-7",
                            "Glucose [Mass/volume] in Capillary blood by Glucometer",
                        )
                    }),
                    false,
                ),
            }
        }
        Content::BloodPressure { .. } => codes(
            ("150020", "MDC_PRESS_BLD_NONINV"),
            Some(("85354-9", "Blood pressure panel with all children optional")),
            true,
        ),
        Content::Weight(_) => codes(
            ("188736", "MDC_MASS_BODY_ACTUAL"),
            Some(("29463-7", "Body weight")),
            true,
        ),
        Content::Temperature(_) => codes(
            ("150364", "MDC_TEMP_BODY"),
            Some(("8310-5", "Body temperature")),
            true,
        ),
        Content::SpO2(_) => codes(
            ("150456", "MDC_PULS_OXIM_SAT_O2"),
            Some(("2708-6", "Oxygen saturation in Arterial blood")),
            true,
        ),
        Content::HeartRate(_) => codes(
            ("147842", "MDC_ECG_HEART_RATE"),
            Some(("8867-4", "Heart rate")),
            true,
        ),
        // Not in STANDARDS.md: MDC_BODY_FAT is term 57676 in the SCADA partition (2), so
        // 2 × 65536 + 57676 = 188748, as for body mass (57664 → 188736).
        Content::BodyFat(_) => codes(
            ("188748", "MDC_BODY_FAT"),
            Some(("41982-0", "Percentage of body fat Measured")),
            false,
        ),
        Content::Medication(_)
        | Content::Insulin { .. }
        | Content::Meal { .. }
        | Content::Symptom(_)
        | Content::Note(_) => return None,
    })
}

/// The components of a blood pressure: systolic, diastolic, mean arterial.
pub const SYSTOLIC: Codes = codes(
    ("150021", "MDC_PRESS_BLD_NONINV_SYS"),
    Some(("8480-6", "Systolic blood pressure")),
    true,
);
/// Diastolic.
pub const DIASTOLIC: Codes = codes(
    ("150022", "MDC_PRESS_BLD_NONINV_DIA"),
    Some(("8462-4", "Diastolic blood pressure")),
    true,
);
/// Mean arterial (no LOINC in the Vital Signs profile).
pub const MEAN_ARTERIAL: Codes = codes(("150023", "MDC_PRESS_BLD_NONINV_MEAN"), None, true);
/// The pulse a cuff measures with the pressure: an observation of its own.
pub const CUFF_PULSE: Codes = codes(
    ("149546", "MDC_PULS_RATE_NON_INV"),
    Some(("8867-4", "Heart rate")),
    true,
);

/// The MDC device specialisation of a monitor kind (PhdDevice.specialization).
pub fn specialisation(kind: Option<MonitorKind>) -> (&'static str, &'static str) {
    match kind {
        Some(MonitorKind::Glucose | MonitorKind::ContinuousGlucose) => {
            ("528401", "MDC_DEV_SPEC_PROFILE_GLUCOSE")
        }
        Some(MonitorKind::BloodPressure) => ("528391", "MDC_DEV_SPEC_PROFILE_BPM"),
        Some(MonitorKind::Thermometer) => ("528392", "MDC_DEV_SPEC_PROFILE_TEMP"),
        Some(MonitorKind::WeightScale | MonitorKind::BodyComposition) => {
            ("528399", "MDC_DEV_SPEC_PROFILE_SCALE")
        }
        Some(MonitorKind::PulseOximeter) => ("528388", "MDC_DEV_SPEC_PROFILE_PULS_OXIM"),
        Some(MonitorKind::HeartRate) | None => ("528457", "MDC_DEV_SPEC_PROFILE_GENERIC"),
    }
}
