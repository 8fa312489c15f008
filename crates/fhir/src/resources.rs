//! The resources themselves, as JSON.

use std::collections::BTreeMap;

use journal::{Device, DeviceId, Entry};
use readings::{Content, Decimal, Flag, Source, Unit};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::BundleInput;
use crate::codes::{self, Codes, LOINC, MDC, UCUM};

const PHD_CATEGORY: &str = "http://hl7.org/fhir/uv/phd/CodeSystem/PhdObservationCategories";
const OBSERVATION_CATEGORY: &str = "http://terminology.hl7.org/CodeSystem/observation-category";
const GATEWAY_EXTENSION: &str = "http://hl7.org/fhir/StructureDefinition/observation-gatewayDevice";
const PHD_NUMERIC: &str = "http://hl7.org/fhir/uv/phd/StructureDefinition/PhdNumericObservation";
const PHD_COMPOUND: &str =
    "http://hl7.org/fhir/uv/phd/StructureDefinition/PhdCompoundNumericObservation";
pub(crate) const RFC_3986: &str = "urn:ietf:rfc:3986";
const BLUETOOTH_MAC: &str = "http://hl7.org/fhir/sid/eui-48/bluetooth";

/// A decimal's place in the JSON before it is written: serde_json numbers are floats, which
/// would turn `5.80` into `5.8`, so the text goes in as a marked string and comes out as the
/// number it is (see [`unmark_decimals`]).
fn decimal(d: Decimal) -> Value {
    Value::String(format!("{}{d}{}", *MARK, *MARK))
}

/// The mark around a decimal: random for each run, so no text a person wrote can carry it.
static MARK: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| format!("@@{}@@", Uuid::now_v7().simple()));

/// Turns every `"<mark>5.80<mark>"` into `5.80`. Only a marked string that is a whole JSON
/// string (an unescaped quote on each side) of decimal characters is replaced.
fn unmark_decimals(json: &str) -> String {
    let mark = MARK.as_str();
    let open = format!("\"{mark}");
    let mut out = String::with_capacity(json.len());
    let mut rest = json;
    while let Some(start) = rest.find(&open) {
        let escaped = start > 0 && rest.as_bytes()[start - 1] == b'\\';
        let after = &rest[start + open.len()..];
        let end = after.find(&format!("{mark}\""));
        match end {
            Some(end)
                if !escaped
                    && !after[..end].is_empty()
                    && after[..end]
                        .bytes()
                        .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-') =>
            {
                out.push_str(&rest[..start]);
                out.push_str(&after[..end]);
                rest = &after[end + mark.len() + 1..];
            }
            _ => {
                out.push_str(&rest[..start + open.len()]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn coding(system: &str, code: &str, display: &str) -> Value {
    json!({"system": system, "code": code, "display": display})
}

fn code_of(codes: &Codes) -> Value {
    let mut codings = vec![coding(MDC, codes.mdc.0, codes.mdc.1)];
    if let Some((code, display)) = codes.loinc {
        codings.push(coding(LOINC, code, display));
    }
    json!({ "coding": codings })
}

fn quantity(value: Decimal, unit: Unit) -> Value {
    json!({"value": decimal(value), "unit": unit.symbol(), "system": UCUM, "code": unit.ucum()})
}

fn reference(url: &str) -> Value {
    json!({ "reference": url })
}

fn urn() -> String {
    format!("urn:uuid:{}", Uuid::now_v7())
}

/// A stable id derived from an entry's uid (for the second observation a reading makes).
fn derived(uid: &str, what: &str) -> String {
    Uuid::new_v5(&Uuid::NAMESPACE_URL, format!("{uid}#{what}").as_bytes()).to_string()
}

/// The PHD IG's system for the conditional-create identifier of a device reading.
const PHD_IDENTIFIER: &str = "http://hl7.org/fhir/uv/phd/StructureDefinition/PhdBaseObservation";

/// An identifier as FHIR writes it and searches it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identifier {
    /// Its system.
    pub system: &'static str,
    /// Its value.
    pub value: String,
}

impl Identifier {
    fn json(&self) -> Value {
        json!({ "system": self.system, "value": self.value })
    }

    /// The search that finds the resource carrying it: `identifier=<system>|<value>`.
    pub fn search(&self) -> String {
        format!("identifier={}|{}", self.system, self.value)
    }
}

/// The entry's own identifier: its uid as a URN when it is one (UUIDv7 for every entry
/// Vitalog makes), else a UUID derived from it, so a server can keep one copy of each reading.
fn entry_identifier(uid: &str, what: Option<&str>) -> Identifier {
    let value = match (what, Uuid::parse_str(uid)) {
        (None, Ok(uuid)) => uuid.to_string(),
        (None, Err(_)) => derived(uid, "entry"),
        (Some(what), _) => derived(uid, what),
    };
    Identifier {
        system: RFC_3986,
        value: format!("urn:uuid:{value}"),
    }
}

/// The PHD IG's conditional-create identifier of a device reading
/// (`device-patient-type-timestamp`, STANDARDS.md §1.7): the monitor's Bluetooth address as 12
/// hex digits, the patient's id on the server, the MDC code, and the monitor's own time as
/// seconds since 2000-01-01. Every gateway builds it the same way, so the same reading sent
/// from two phones is kept once. `None` when the reading has no monitor time or the monitor no
/// Bluetooth address.
fn phd_identifier(
    entry: &Entry,
    device: &Device,
    patient_id: &str,
    mdc: &str,
) -> Option<Identifier> {
    let address = device.info.identity.strip_prefix(link_prefix())?;
    let hex: String = address.chars().filter(|c| c.is_ascii_hexdigit()).collect();
    if hex.len() != 12 {
        return None;
    }
    let local =
        chrono::NaiveDateTime::parse_from_str(entry.device_time.as_deref()?, "%Y-%m-%dT%H:%M:%S")
            .ok()?;
    let epoch = chrono::NaiveDate::from_ymd_opt(2000, 1, 1)?.and_hms_opt(0, 0, 0)?;
    let seconds = (local - epoch).num_seconds();
    Some(Identifier {
        system: PHD_IDENTIFIER,
        value: format!("{}-{patient_id}-{mdc}-{seconds}", hex.to_uppercase()),
    })
}

/// The identifier a monitor's Device is found by: its Bluetooth address, or (for a simulated
/// monitor) Vitalog's name for it.
fn device_identifier(device: &Device) -> Identifier {
    match device.info.identity.strip_prefix(link_prefix()) {
        Some(address) => Identifier {
            system: BLUETOOTH_MAC,
            value: address.replace(':', "-").to_uppercase(),
        },
        None => Identifier {
            system: RFC_3986,
            value: format!("urn:vitalog:device:{}", device.info.identity),
        },
    }
}

fn device_resource(device: &Device) -> Value {
    let key = device_identifier(device);
    let mut identifier = key.json();
    if key.system == BLUETOOTH_MAC {
        identifier["type"] = json!({"coding": [{"system": "http://terminology.hl7.org/CodeSystem/ContinuaDeviceIdentifiers", "code": "BTMAC"}]});
    }
    let (spec_code, spec_display) = codes::specialisation(device.kind);
    let mut resource = json!({
        "resourceType": "Device",
        "identifier": [identifier],
        "manufacturer": device.info.maker.clone().unwrap_or_else(|| "unknown".into()),
        "deviceName": [{"name": device.info.model.clone().unwrap_or_else(|| "health monitor".into()), "type": "model-name"}],
        "modelNumber": device.info.model.clone().unwrap_or_else(|| "unknown".into()),
        "type": {"coding": [coding(MDC, "65573", "MDC_MOC_VMS_MDS_SIMP")]},
        "specialization": [{"systemType": {"coding": [coding(MDC, spec_code, spec_display)]}}],
    });
    if let Some(serial) = &device.info.serial {
        resource["serialNumber"] = json!(serial);
    }
    if let Some(firmware) = &device.info.firmware {
        resource["version"] = json!([{"type": {"coding": [coding(MDC, "531976", "MDC_ID_PROD_SPEC_FW")]}, "value": firmware}]);
    }
    resource
}

/// The gateway Device: this installation of Vitalog.
pub(crate) fn gateway_resource(identifier: &Identifier, version: &str) -> Value {
    json!({
        "resourceType": "Device",
        "identifier": [identifier.json()],
        "manufacturer": "Vitalog",
        "deviceName": [{"name": "Vitalog", "type": "model-name"}],
        "modelNumber": "Vitalog",
        "type": {"coding": [coding(MDC, "531981", "MDC_MOC_VMS_MDS_AHD")]},
        "specialization": [{"systemType": {"coding": [coding(MDC, "528457", "MDC_DEV_SPEC_PROFILE_GENERIC")]}}],
        "version": [{"type": {"coding": [coding(MDC, "531975", "MDC_ID_PROD_SPEC_SW")]}, "value": version}],
    })
}

/// A monitor's Device and the identifier a server finds it by.
pub(crate) fn sensor_device(device: &Device) -> (Value, Identifier) {
    (device_resource(device), device_identifier(device))
}

/// Where the link's identity of a real monitor starts (its Bluetooth address follows).
fn link_prefix() -> &'static str {
    "ble:"
}

/// Where an entry's observations point, and what goes in them.
pub(crate) struct Context<'a> {
    /// The patient reference.
    pub patient: &'a str,
    /// The gateway Device reference.
    pub gateway: &'a str,
    /// The sensor Device reference and the monitor, for a device reading.
    pub sensor: Option<(&'a str, &'a Device)>,
    /// Whether the patient's own note goes with the reading.
    pub with_note: bool,
    /// The patient's id on the server, for the PHD identifier (uploads only).
    pub patient_id: Option<&'a str>,
}

/// One observation and the identifier a server finds it by.
pub(crate) struct Made {
    pub resource: Value,
    pub key: Identifier,
}

impl Made {
    /// The resource's type (`Observation`, `MedicationStatement`), for request addresses.
    pub(crate) fn resource_type(&self) -> &str {
        self.resource["resourceType"]
            .as_str()
            .unwrap_or("Observation")
    }
}

/// LOINC's code for a note the patient wrote.
const PATIENT_NOTE: (&str, &str) = ("51855-5", "Patient Note");

/// What an event a patient recorded becomes when they share it: a medication or insulin dose
/// a MedicationStatement (the patient's own account of taking it), a note an Observation
/// holding its text. Meals and symptoms are not shared.
pub(crate) fn statements(entry: &Entry, cx: &Context<'_>) -> Vec<Made> {
    let key = entry_identifier(&entry.uid, None);
    let mut notes = Vec::new();
    if let Some(note) = entry.note.as_ref().filter(|_| cx.with_note) {
        notes.push(json!({ "text": note }));
    }
    let mut resource = match &entry.content {
        Content::Medication(text) => json!({
            "resourceType": "MedicationStatement",
            "status": if entry.deleted { "entered-in-error" } else { "completed" },
            "medicationCodeableConcept": { "text": text },
            "subject": reference(cx.patient),
            "effectiveDateTime": entry.at.to_rfc3339(),
            "informationSource": reference(cx.patient),
        }),
        Content::Insulin { units, insulin } => json!({
            "resourceType": "MedicationStatement",
            "status": if entry.deleted { "entered-in-error" } else { "completed" },
            "medicationCodeableConcept": { "text": insulin.clone().unwrap_or_else(|| "insulin".into()) },
            "subject": reference(cx.patient),
            "effectiveDateTime": entry.at.to_rfc3339(),
            "informationSource": reference(cx.patient),
            "dosage": [{
                "text": format!("{units} units"),
                "doseAndRate": [{ "doseQuantity": {
                    "value": decimal(*units), "unit": "U", "system": UCUM, "code": "[IU]"
                }}],
            }],
        }),
        Content::Note(text) => json!({
            "resourceType": "Observation",
            "status": if entry.deleted { "entered-in-error" } else { "final" },
            "code": { "coding": [coding(LOINC, PATIENT_NOTE.0, PATIENT_NOTE.1)], "text": "Note from the patient" },
            "subject": reference(cx.patient),
            "effectiveDateTime": entry.at.to_rfc3339(),
            "valueString": text,
        }),
        _ => return Vec::new(),
    };
    resource["identifier"] = json!([key.json()]);
    if !notes.is_empty() {
        resource["note"] = json!(notes);
    }
    vec![Made { resource, key }]
}

/// The observations of one entry (a cuff's pulse is an observation of its own).
pub(crate) fn observations(entry: &Entry, cx: &Context<'_>) -> Vec<Made> {
    let Some(main) = codes::of(&entry.content) else {
        return Vec::new();
    };
    let sensor = cx.sensor.map(|(url, _)| url);
    let base = |codes: &Codes, what: Option<&str>| {
        let own = entry_identifier(&entry.uid, what);
        let phd = match (cx.sensor, cx.patient_id) {
            (Some((_, device)), Some(patient_id)) => {
                phd_identifier(entry, device, patient_id, codes.mdc.0)
            }
            _ => None,
        };
        let mut identifiers = vec![own.json()];
        identifiers.extend(phd.iter().map(Identifier::json));
        let mut categories =
            vec![json!({"coding": [coding(PHD_CATEGORY, "phd", "PHD generated")]})];
        if codes.vital_sign {
            categories.push(
                json!({"coding": [coding(OBSERVATION_CATEGORY, "vital-signs", "Vital Signs")]}),
            );
        }
        let mut observation = json!({
            "resourceType": "Observation",
            "extension": [{"url": GATEWAY_EXTENSION, "valueReference": reference(cx.gateway)}],
            "identifier": identifiers,
            "status": if entry.deleted { "entered-in-error" } else { "final" },
            "category": categories,
            "code": code_of(codes),
            "subject": reference(cx.patient),
            "effectiveDateTime": entry.at.to_rfc3339(),
        });
        if let Some(sensor) = sensor {
            observation["device"] = reference(sensor);
        }
        let mut notes = Vec::new();
        match entry.source {
            Source::Manual => notes.push(json!({"text": "Entered by the patient."})),
            Source::Import => notes.push(json!({"text": "Imported by the patient from a file."})),
            Source::Demo => notes
                .push(json!({"text": "Demo data from a simulated monitor, not the patient's."})),
            Source::Device => {}
        }
        if let Some(note) = entry.note.as_ref().filter(|_| cx.with_note) {
            notes.push(json!({ "text": note }));
        }
        if !notes.is_empty() {
            observation["note"] = json!(notes);
        }
        let statuses: Vec<Value> = entry
            .flags
            .iter()
            .filter_map(|flag| match flag {
                Flag::Status(status) => Some(json!({"text": status.replace('-', " ")})),
                Flag::Implausible => {
                    Some(json!({"text": "unusual value, confirmed by the patient"}))
                }
                Flag::ControlSolution => None,
            })
            .collect();
        if !statuses.is_empty() {
            observation["interpretation"] = json!(statuses);
        }
        Made {
            resource: observation,
            key: phd.unwrap_or(own),
        }
    };
    let single = |value: Decimal, unit: Unit| {
        let mut o = base(&main, None);
        if sensor.is_some() {
            o.resource["meta"] = json!({"profile": [PHD_NUMERIC]});
        }
        o.resource["valueQuantity"] = quantity(value, unit);
        o
    };
    match &entry.content {
        Content::Glucose { value: q, .. } | Content::Weight(q) | Content::Temperature(q) => {
            vec![single(q.value, q.unit)]
        }
        Content::SpO2(v) | Content::BodyFat(v) => vec![single(*v, Unit::Percent)],
        Content::HeartRate(v) => vec![single(*v, Unit::PerMin)],
        Content::BloodPressure {
            systolic,
            diastolic,
            mean_arterial,
            unit,
            pulse,
        } => {
            let mut panel = base(&main, None);
            if sensor.is_some() {
                panel.resource["meta"] = json!({"profile": [PHD_COMPOUND]});
            }
            let mut components = vec![
                json!({"code": code_of(&codes::SYSTOLIC), "valueQuantity": quantity(*systolic, *unit)}),
                json!({"code": code_of(&codes::DIASTOLIC), "valueQuantity": quantity(*diastolic, *unit)}),
            ];
            if let Some(map) = mean_arterial {
                components.push(json!({"code": code_of(&codes::MEAN_ARTERIAL), "valueQuantity": quantity(*map, *unit)}));
            }
            panel.resource["component"] = json!(components);
            let mut out = vec![panel];
            if let Some(pulse) = pulse {
                let mut rate = base(&codes::CUFF_PULSE, Some("pulse"));
                if sensor.is_some() {
                    rate.resource["meta"] = json!({"profile": [PHD_NUMERIC]});
                }
                rate.resource["valueQuantity"] = quantity(*pulse, Unit::PerMin);
                out.push(rate);
            }
            out
        }
        _ => Vec::new(),
    }
}

/// A resource or Bundle as JSON text, decimals as recorded.
pub(crate) fn to_text(value: &Value, pretty: bool) -> String {
    let text = if pretty {
        serde_json::to_string_pretty(value)
    } else {
        serde_json::to_string(value)
    };
    unmark_decimals(&text.unwrap_or_default())
}

/// A fresh `urn:uuid:` full URL for a Bundle entry.
pub(crate) fn new_urn() -> String {
    urn()
}

/// The collection Bundle as JSON text, and how many Observations it holds.
pub fn collection_json(input: &BundleInput<'_>) -> (String, usize) {
    let patient_url = urn();
    let gateway_url = urn();
    let mut patient = json!({"resourceType": "Patient"});
    if let Some(name) = input.patient_name {
        patient["name"] = json!([{ "text": name }]);
    }
    let gateway = gateway_resource(
        &Identifier {
            system: RFC_3986,
            value: gateway_url.clone(),
        },
        input.version,
    );
    let mut entries = vec![
        json!({"fullUrl": patient_url, "resource": patient}),
        json!({"fullUrl": gateway_url, "resource": gateway}),
    ];
    let mut sensors: BTreeMap<DeviceId, String> = BTreeMap::new();
    let mut observations_made = 0;
    for entry in input.entries {
        if entry.flags.contains(&Flag::ControlSolution) || entry.deleted {
            continue;
        }
        let device = entry
            .device
            .and_then(|id| input.devices.iter().find(|d| d.id == id));
        let sensor = device.map(|device| {
            sensors
                .entry(device.id)
                .or_insert_with(|| {
                    let url = urn();
                    entries.push(json!({"fullUrl": url, "resource": device_resource(device)}));
                    url
                })
                .clone()
        });
        let cx = Context {
            patient: &patient_url,
            gateway: &gateway_url,
            sensor: sensor.as_deref().zip(device),
            with_note: true,
            patient_id: None,
        };
        for made in observations(entry, &cx) {
            observations_made += 1;
            entries.push(json!({"fullUrl": urn(), "resource": made.resource}));
        }
    }
    let bundle = json!({
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": input.generated_at.to_rfc3339(),
        "entry": entries,
    });
    (to_text(&bundle, true), observations_made)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_keep_their_precision_and_text_stays_text() {
        let mark = MARK.as_str();
        let v = json!({"a": decimal("5.80".parse().unwrap_or(Decimal::new(0, 0))),
                       "note": format!("\"{mark}1{mark}\""),
                       "b": decimal(Decimal::new(-15, -1))});
        let out = unmark_decimals(&serde_json::to_string(&v).unwrap_or_default());
        assert!(out.contains("\"a\":5.80"), "{out}");
        assert!(out.contains("\"b\":-1.5"), "{out}");
        assert!(
            out.contains(&format!("\\\"{mark}1{mark}\\\"")),
            "a note is left alone: {out}"
        );
    }
}
