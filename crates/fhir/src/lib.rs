//! HL7 FHIR R4 for Vitalog's readings, following the Personal Health Device (PHD) IG as
//! `../shared/STANDARDS.md` §1 sums it up: a Patient, the gateway Device (this app), a Device
//! per monitor (maker, model, serial, its Bluetooth address), and an Observation per reading
//! with MDC and LOINC codes ([`codes`]), UCUM units, the PHD and (where FHIR says so) the
//! vital-signs category, the value with the precision it was recorded with, the time with its
//! UTC offset, and a stable identifier so a server keeps one copy however often it is sent.
//! Every reference resolves inside the bundle (`urn:uuid` full URLs).
//!
//! [`collection`] makes the export file's Bundle; [`upload::transaction`] the transaction
//! Bundle sharing sends, with the same resources. Control-solution results and events (notes, meals, medications) are
//! not observations of the patient and are left out.

#![warn(missing_docs)]

pub mod codes;
mod resources;
pub mod upload;

use chrono::{DateTime, Utc};
use journal::{Device, Entry};

/// What a bundle is made of.
#[derive(Debug, Clone, Copy)]
pub struct BundleInput<'a> {
    /// The entries (events and control-solution results are left out).
    pub entries: &'a [Entry],
    /// The devices the journal knows (those the readings came from become Devices).
    pub devices: &'a [Device],
    /// The patient's name, when they want it in the file.
    pub patient_name: Option<&'a str>,
    /// When the bundle is made.
    pub generated_at: DateTime<Utc>,
    /// The Vitalog version (the gateway Device's software version).
    pub version: &'a str,
}

/// A `collection` Bundle of the readings, as JSON text; how many Observations it holds.
pub fn collection(input: &BundleInput<'_>) -> (String, usize) {
    resources::collection_json(input)
}
