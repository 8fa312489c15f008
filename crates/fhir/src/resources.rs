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
const RFC_3986: &str = "urn:ietf:rfc:3986";
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

/// The entry's identifier: its uid as a URN when it is one (UUIDv7 for every entry Vitalog
/// makes), else a UUID derived from it, so a server can keep one copy of each reading.
fn identifier(uid: &str, what: Option<&str>) -> Value {
    let value = match (what, Uuid::parse_str(uid)) {
        (None, Ok(uuid)) => uuid.to_string(),
        (None, Err(_)) => derived(uid, "entry"),
        (Some(what), _) => derived(uid, what),
    };
    json!([{ "system": RFC_3986, "value": format!("urn:uuid:{value}") }])
}

fn device_resource(device: &Device) -> Value {
    let identity = device.info.identity.as_str();
    let identifier = match identity.strip_prefix(link_prefix()) {
        Some(address) => json!({
            "type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/ContinuaDeviceIdentifiers", "code": "BTMAC"}]},
            "system": BLUETOOTH_MAC,
            "value": address.replace(':', "-").to_uppercase(),
        }),
        None => json!({ "system": RFC_3986, "value": format!("urn:vitalog:device:{identity}") }),
    };
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

/// Where the link's identity of a real monitor starts (its Bluetooth address follows).
fn link_prefix() -> &'static str {
    "ble:"
}

/// The observations of one entry (a cuff's pulse is an observation of its own).
fn observations(entry: &Entry, patient: &str, gateway: &str, sensor: Option<&str>) -> Vec<Value> {
    let Some(main) = codes::of(&entry.content) else {
        return Vec::new();
    };
    let base = |codes: &Codes, what: Option<&str>| {
        let mut categories =
            vec![json!({"coding": [coding(PHD_CATEGORY, "phd", "PHD generated")]})];
        if codes.vital_sign {
            categories.push(
                json!({"coding": [coding(OBSERVATION_CATEGORY, "vital-signs", "Vital Signs")]}),
            );
        }
        let mut observation = json!({
            "resourceType": "Observation",
            "extension": [{"url": GATEWAY_EXTENSION, "valueReference": reference(gateway)}],
            "identifier": identifier(&entry.uid, what),
            "status": "final",
            "category": categories,
            "code": code_of(codes),
            "subject": reference(patient),
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
        if let Some(note) = &entry.note {
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
        observation
    };
    let single = |value: Decimal, unit: Unit| {
        let mut o = base(&main, None);
        if sensor.is_some() {
            o["meta"] = json!({"profile": [PHD_NUMERIC]});
        }
        o["valueQuantity"] = quantity(value, unit);
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
                panel["meta"] = json!({"profile": [PHD_COMPOUND]});
            }
            let mut components = vec![
                json!({"code": code_of(&codes::SYSTOLIC), "valueQuantity": quantity(*systolic, *unit)}),
                json!({"code": code_of(&codes::DIASTOLIC), "valueQuantity": quantity(*diastolic, *unit)}),
            ];
            if let Some(map) = mean_arterial {
                components.push(json!({"code": code_of(&codes::MEAN_ARTERIAL), "valueQuantity": quantity(*map, *unit)}));
            }
            panel["component"] = json!(components);
            let mut out = vec![panel];
            if let Some(pulse) = pulse {
                let mut rate = base(&codes::CUFF_PULSE, Some("pulse"));
                if sensor.is_some() {
                    rate["meta"] = json!({"profile": [PHD_NUMERIC]});
                }
                rate["valueQuantity"] = quantity(*pulse, Unit::PerMin);
                out.push(rate);
            }
            out
        }
        _ => Vec::new(),
    }
}

/// The collection Bundle as JSON text, and how many Observations it holds.
pub fn collection_json(input: &BundleInput<'_>) -> (String, usize) {
    let patient_url = urn();
    let gateway_url = urn();
    let mut patient = json!({"resourceType": "Patient"});
    if let Some(name) = input.patient_name {
        patient["name"] = json!([{ "text": name }]);
    }
    let gateway = json!({
        "resourceType": "Device",
        "identifier": [{"system": RFC_3986, "value": gateway_url}],
        "manufacturer": "Vitalog",
        "deviceName": [{"name": "Vitalog", "type": "model-name"}],
        "modelNumber": "Vitalog",
        "type": {"coding": [coding(MDC, "531981", "MDC_MOC_VMS_MDS_AHD")]},
        "specialization": [{"systemType": {"coding": [coding(MDC, "528457", "MDC_DEV_SPEC_PROFILE_GENERIC")]}}],
        "version": [{"type": {"coding": [coding(MDC, "531975", "MDC_ID_PROD_SPEC_SW")]}, "value": input.version}],
    });
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
        let sensor = entry.device.and_then(|id| {
            if let Some(url) = sensors.get(&id) {
                return Some(url.clone());
            }
            let device = input.devices.iter().find(|d| d.id == id)?;
            let url = urn();
            entries.push(json!({"fullUrl": url, "resource": device_resource(device)}));
            sensors.insert(id, url.clone());
            Some(url)
        });
        for observation in observations(entry, &patient_url, &gateway_url, sensor.as_deref()) {
            observations_made += 1;
            entries.push(json!({"fullUrl": urn(), "resource": observation}));
        }
    }
    let bundle = json!({
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": input.generated_at.to_rfc3339(),
        "entry": entries,
    });
    let text = serde_json::to_string_pretty(&bundle).unwrap_or_default();
    (unmark_decimals(&text), observations_made)
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
