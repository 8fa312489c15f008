//! The transaction Bundle that sharing sends a care team's server: the gateway Device (this
//! installation), the monitors' Devices, one Observation per reading (and, when shared, a
//! MedicationStatement per medication or insulin dose, an Observation per note), each found again by
//! its identifier, so sending the same Bundle twice leaves one copy of everything:
//! new readings go as conditional creates (`ifNoneExist`), readings the server may already
//! hold in an earlier version (edited, or deleted: `entered-in-error`) as conditional updates
//! (`PUT Observation?identifier=…`). References inside the Bundle are `urn:uuid` full URLs,
//! which the server rewrites to the ids it assigns.

use std::collections::BTreeMap;

use journal::{Device, DeviceId, Entry};
use readings::Flag;
use serde_json::json;

use crate::resources::{self, Context, Identifier, RFC_3986};

/// One reading to send.
#[derive(Debug, Clone, Copy)]
pub struct UploadItem<'a> {
    /// The reading as it is now.
    pub entry: &'a Entry,
    /// The monitor it came from.
    pub device: Option<&'a Device>,
    /// Whether the server may hold an earlier version (update instead of create).
    pub update: bool,
    /// Whether the patient's own note goes with it.
    pub with_note: bool,
}

/// What a transaction is made for.
#[derive(Debug, Clone, Copy)]
pub struct UploadInput<'a> {
    /// The readings.
    pub items: &'a [UploadItem<'a>],
    /// The patient on the server (`Patient/<id>`).
    pub patient: &'a str,
    /// This installation's gateway identity.
    pub gateway: &'a str,
    /// The Vitalog version (the gateway Device's software version).
    pub version: &'a str,
}

/// A transaction Bundle ready to send.
#[derive(Debug, Clone)]
pub struct Transaction {
    /// The Bundle as JSON text.
    pub json: String,
    /// For each Bundle entry in order: the reading it carries (its index in the input), or
    /// `None` for a Device.
    pub carries: Vec<Option<usize>>,
    /// The identifiers of the resources sent, for the transmission log.
    pub identifiers: Vec<String>,
}

/// The patient's logical id from a reference (`Patient/123`, or a full URL ending so).
fn patient_id(reference: &str) -> &str {
    reference.rsplit('/').next().unwrap_or(reference)
}

/// Makes the transaction Bundle. Control-solution results and events carry no Observation
/// and are left out (the journal never queues them).
pub fn transaction(input: &UploadInput<'_>) -> Transaction {
    let gateway_key = Identifier {
        system: RFC_3986,
        value: format!("urn:vitalog:gateway:{}", input.gateway),
    };
    let gateway_url = resources::new_urn();
    let mut entries = vec![json!({
        "fullUrl": gateway_url,
        "resource": resources::gateway_resource(&gateway_key, input.version),
        "request": {"method": "POST", "url": "Device", "ifNoneExist": gateway_key.search()},
    })];
    let mut carries = vec![None];
    let mut identifiers = Vec::new();
    let mut sensors: BTreeMap<DeviceId, String> = BTreeMap::new();
    for (index, item) in input.items.iter().enumerate() {
        if item.entry.flags.contains(&Flag::ControlSolution) {
            continue;
        }
        let sensor = item.device.map(|device| {
            sensors
                .entry(device.id)
                .or_insert_with(|| {
                    let (resource, key) = resources::sensor_device(device);
                    let url = resources::new_urn();
                    entries.push(json!({
                        "fullUrl": url,
                        "resource": resource,
                        "request": {"method": "POST", "url": "Device", "ifNoneExist": key.search()},
                    }));
                    carries.push(None);
                    url
                })
                .clone()
        });
        let cx = Context {
            patient: input.patient,
            gateway: &gateway_url,
            sensor: sensor.as_deref().zip(item.device),
            with_note: item.with_note,
            patient_id: Some(patient_id(input.patient)),
        };
        let mut made = resources::observations(item.entry, &cx);
        made.extend(resources::statements(item.entry, &cx));
        for made in made {
            let kind = made.resource_type().to_owned();
            let request = if item.update {
                json!({"method": "PUT", "url": format!("{kind}?{}", made.key.search())})
            } else {
                json!({"method": "POST", "url": kind, "ifNoneExist": made.key.search()})
            };
            identifiers.push(made.key.value.clone());
            entries.push(json!({
                "fullUrl": resources::new_urn(),
                "resource": made.resource,
                "request": request,
            }));
            carries.push(Some(index));
        }
    }
    let bundle = json!({"resourceType": "Bundle", "type": "transaction", "entry": entries});
    Transaction {
        json: resources::to_text(&bundle, false),
        carries,
        identifiers,
    }
}
