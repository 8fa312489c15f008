//! The journal's own export formats, CSV and JSON Lines, with one record per entry. Both carry
//! every field of an entry (decimal text as recorded, unit, time with offset, device, flags,
//! uid), so export → import into an empty journal reproduces it, and importing the same file
//! twice adds nothing (entries are matched by uid).
//!
//! JSON Lines: the first line is `{"vitalog_export":1}` (any JSON spacing), then one object
//! per entry with the fields of [`Record`] (absent fields omitted). CSV: a header row with the
//! same field names; an import finds the columns by name, and needs only `uid`, `kind`,
//! `person`, `time`, `time_quality` and `source`. A glucose entry's `method` is `cgm` or
//! `meter`; a file without it (as written before it existed) reads as meter.

use std::io::{BufRead, Write};

use rusqlite::Connection;
use serde::{Deserialize, Serialize};

use readings::{Fields, Flag, Kind, Source};

use crate::columns::Columns;
use crate::entries::parse_time;
use crate::error::{Error, Result};
use crate::model::{Entry, NewEntry};

/// Export file formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Comma-separated values with a header row.
    Csv,
    /// One JSON object per line after a header line.
    Jsonl,
}

impl Format {
    /// Every file extension an import reads (for file dialogs too), in lower case.
    pub const EXTENSIONS: &'static [&'static str] = &["csv", "jsonl", "json"];

    /// The format a file name says: `.csv`, or `.jsonl` / `.json` (case-insensitive).
    pub fn from_file_name(path: &std::path::Path) -> Option<Format> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        match extension.as_str() {
            "csv" => Some(Format::Csv),
            "jsonl" | "json" => Some(Format::Jsonl),
            _ => None,
        }
    }

    /// The usual file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Jsonl => "jsonl",
        }
    }
}

/// One exported entry: the wire form of the export files. Stored history has its own form
/// ([`crate::snapshot`]), so this one may gain columns.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Record {
    pub uid: String,
    pub kind: String,
    pub person: String,
    pub time: String,
    pub time_quality: String,
    pub source: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_identity: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_maker: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_model: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_serial: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_firmware: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sequence_number: Option<i64>,
    #[serde(flatten)]
    pub fields: Fields,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub flags: String,
    /// Where an imported entry said it came from (this journal's own entries have none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
}

/// The CSV columns, in the order an export writes them. An import finds them by name, so a
/// file may order them otherwise or leave out the optional ones (and files from before a column
/// existed still read).
const CSV_COLUMNS: [&str; 25] = [
    "uid",
    "kind",
    "person",
    "time",
    "time_quality",
    "source",
    "device_time",
    "device_identity",
    "device_maker",
    "device_model",
    "device_serial",
    "device_firmware",
    "sequence_number",
    "value",
    "unit",
    "systolic",
    "diastolic",
    "mean_arterial",
    "pulse",
    "text",
    "meal",
    "method",
    "note",
    "flags",
    "origin",
];

/// The columns every CSV import needs.
const CSV_REQUIRED: [&str; 6] = ["uid", "kind", "person", "time", "time_quality", "source"];

impl Record {
    pub(crate) fn from_entry(conn: &Connection, entry: &Entry) -> Result<Self> {
        let person: String = conn
            .prepare_cached("SELECT name FROM people WHERE id = ?1")?
            .query_row([entry.person.0], |r| r.get(0))?;
        let device = match entry.device {
            Some(id) => Some(crate::devices::get(conn, id)?),
            None => None,
        };
        Ok(Record {
            uid: entry.uid.clone(),
            kind: entry.content.kind().as_str().into(),
            person,
            time: entry.at.to_rfc3339(),
            time_quality: entry.time_quality.as_str().into(),
            source: entry.source.as_str().into(),
            device_time: entry.device_time.clone(),
            device_identity: device.as_ref().map(|d| d.info.identity.clone()),
            device_maker: device.as_ref().and_then(|d| d.info.maker.clone()),
            device_model: device.as_ref().and_then(|d| d.info.model.clone()),
            device_serial: device.as_ref().and_then(|d| d.info.serial.clone()),
            device_firmware: device.as_ref().and_then(|d| d.info.firmware.clone()),
            sequence_number: entry.sequence_number,
            fields: Fields::from_content(&entry.content),
            note: entry.note.clone(),
            flags: Flag::join(&entry.flags),
            origin: entry.origin.clone(),
        })
    }

    /// The entry to add for this record: stored as imported, whatever the file claims. A file
    /// can be written by anyone, so it never speaks for a monitor: no device is linked, created
    /// or changed, no sync position moves, and the claimed source, monitor and record number are
    /// kept as the entry's origin, for information. People are found or created by name.
    pub(crate) fn to_new_entry(&self, conn: &Connection) -> Result<NewEntry> {
        let kind: Kind = self.kind.parse()?;
        let content = self.fields.to_content(kind)?;
        let claimed: Source = self.source.parse()?;
        let person = crate::people::find_or_add(conn, &self.person)?;
        Ok(NewEntry {
            person: Some(person),
            content,
            at: parse_time(&self.time)?,
            time_quality: self.time_quality.parse()?,
            device_time: self.device_time.clone(),
            source: Source::Import,
            device: None,
            sequence_number: None,
            note: self.note.clone(),
            flags: Flag::split(&self.flags)?,
            // Impossible values are still refused; unusual ones are stored and flagged, since
            // an import cannot ask.
            confirm_implausible: true,
            uid: Some(self.uid.clone()),
            origin: self.origin.clone().or_else(|| self.claimed_origin(claimed)),
        })
    }

    /// Where the record says it came from, in words, when that says more than "imported".
    fn claimed_origin(&self, claimed: Source) -> Option<String> {
        let mut words = match claimed {
            Source::Import => return None,
            Source::Manual => "typed in".to_owned(),
            Source::Demo => "a demo monitor".to_owned(),
            Source::Device => "a monitor".to_owned(),
        };
        let model: Vec<&str> = [&self.device_maker, &self.device_model]
            .into_iter()
            .filter_map(|part| part.as_deref())
            .collect();
        if !model.is_empty() {
            words.push_str(&format!(": {}", model.join(" ")));
        }
        let mut details = Vec::new();
        if let Some(serial) = &self.device_serial {
            details.push(format!("serial {serial}"));
        }
        if let Some(identity) = &self.device_identity {
            details.push(identity.clone());
        }
        if let Some(sequence) = self.sequence_number {
            details.push(format!("record {sequence}"));
        }
        if !details.is_empty() {
            words.push_str(&format!(" ({})", details.join(", ")));
        }
        Some(format!("the file said: {words}"))
    }

    fn to_csv_row(&self) -> Vec<String> {
        let c = Columns::from_fields(&self.fields);
        CSV_COLUMNS
            .iter()
            .map(|column| {
                let text = |v: &Option<String>| v.clone().unwrap_or_default();
                match *column {
                    "uid" => self.uid.clone(),
                    "kind" => self.kind.clone(),
                    "person" => self.person.clone(),
                    "time" => self.time.clone(),
                    "time_quality" => self.time_quality.clone(),
                    "source" => self.source.clone(),
                    "device_time" => text(&self.device_time),
                    "device_identity" => text(&self.device_identity),
                    "device_maker" => text(&self.device_maker),
                    "device_model" => text(&self.device_model),
                    "device_serial" => text(&self.device_serial),
                    "device_firmware" => text(&self.device_firmware),
                    "sequence_number" => self
                        .sequence_number
                        .map(|n| n.to_string())
                        .unwrap_or_default(),
                    "value" => text(&c.value),
                    "unit" => text(&c.unit),
                    "systolic" => text(&c.systolic),
                    "diastolic" => text(&c.diastolic),
                    "mean_arterial" => text(&c.mean_arterial),
                    "pulse" => text(&c.pulse),
                    "text" => text(&c.text),
                    "meal" => text(&c.meal),
                    "method" => text(&c.method),
                    "note" => text(&self.note),
                    "flags" => self.flags.clone(),
                    "origin" => text(&self.origin),
                    _ => String::new(),
                }
            })
            .collect()
    }

    /// A record from a CSV row whose columns `header` names.
    fn from_csv_row(header: &CsvHeader, row: &csv::StringRecord, line: usize) -> Result<Self> {
        let field = |name: &str| -> Option<String> {
            header
                .index(name)
                .and_then(|i| row.get(i))
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        let required = |name: &str| field(name).unwrap_or_default();
        let fields = Columns {
            value: field("value"),
            unit: field("unit"),
            systolic: field("systolic"),
            diastolic: field("diastolic"),
            mean_arterial: field("mean_arterial"),
            pulse: field("pulse"),
            text: field("text"),
            meal: field("meal"),
            method: field("method"),
        }
        .to_fields()
        .map_err(|e| Error::Invalid(format!("line {line}: {e}")))?;
        Ok(Record {
            uid: required("uid"),
            kind: required("kind"),
            person: required("person"),
            time: required("time"),
            time_quality: required("time_quality"),
            source: required("source"),
            device_time: field("device_time"),
            device_identity: field("device_identity"),
            device_maker: field("device_maker"),
            device_model: field("device_model"),
            device_serial: field("device_serial"),
            device_firmware: field("device_firmware"),
            sequence_number: field("sequence_number")
                .map(|s| {
                    s.parse()
                        .map_err(|_| Error::Invalid(format!("line {line}: bad sequence number")))
                })
                .transpose()?,
            fields,
            note: field("note"),
            flags: field("flags").unwrap_or_default(),
            origin: field("origin"),
        })
    }
}

/// Where each known column sits in a CSV file.
struct CsvHeader {
    positions: Vec<(&'static str, usize)>,
}

impl CsvHeader {
    /// Reads the header row: every required column present, no column twice, none unknown.
    fn read(row: &csv::StringRecord) -> Result<Self> {
        let not_ours =
            |why: &str| Error::Invalid(format!("line 1: not a Vitalog CSV export ({why})"));
        let mut positions = Vec::new();
        for (i, name) in row.iter().enumerate() {
            let name = name.trim();
            let Some(known) = CSV_COLUMNS.iter().find(|c| **c == name) else {
                return Err(not_ours(&format!("column {} has an unknown name", i + 1)));
            };
            if positions.iter().any(|(c, _)| c == known) {
                return Err(not_ours(&format!("column {known} appears twice")));
            }
            positions.push((*known, i));
        }
        if let Some(missing) = CSV_REQUIRED
            .iter()
            .find(|c| !positions.iter().any(|(p, _)| p == *c))
        {
            return Err(not_ours(&format!("the column {missing} is missing")));
        }
        Ok(CsvHeader { positions })
    }

    fn index(&self, name: &str) -> Option<usize> {
        self.positions
            .iter()
            .find(|(column, _)| *column == name)
            .map(|(_, i)| *i)
    }
}

/// What is wrong with a JSON line, in words that name fields but never repeat the file's text
/// (which may hold health values).
fn json_problem(error: &serde_json::Error) -> String {
    let message = error.to_string();
    if message.starts_with("missing field") {
        message
            .split(" at line")
            .next()
            .unwrap_or("a field is missing")
            .to_owned()
    } else {
        format!(
            "not a valid entry (column {}: a value of the wrong type, or an unknown name)",
            error.column()
        )
    }
}

/// Whether a first line is the JSON Lines header: a JSON object whose `vitalog_export` is 1,
/// however it is spaced (Python's `json.dumps` writes `{"vitalog_export": 1}`).
fn is_jsonl_header(line: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(line)
        .ok()
        .and_then(|header| header.get("vitalog_export").and_then(|v| v.as_u64()))
        == Some(1)
}

/// Writes records in `format`.
pub(crate) fn write(records: &[Record], format: Format, out: &mut dyn Write) -> Result<()> {
    let io = |e: std::io::Error| Error::io("cannot write the export", e);
    match format {
        Format::Jsonl => {
            writeln!(out, "{{\"vitalog_export\":1}}").map_err(io)?;
            for r in records {
                let line = serde_json::to_string(r)
                    .map_err(|e| Error::Invalid(format!("cannot encode an entry: {e}")))?;
                writeln!(out, "{line}").map_err(io)?;
            }
        }
        Format::Csv => {
            let mut w = csv::Writer::from_writer(out);
            let csv_err = |e: csv::Error| Error::Invalid(format!("cannot write CSV: {e}"));
            w.write_record(CSV_COLUMNS).map_err(csv_err)?;
            for r in records {
                w.write_record(r.to_csv_row()).map_err(csv_err)?;
            }
            w.flush().map_err(io)?;
        }
    }
    Ok(())
}

/// Reads records in `format` (the whole file is checked before anything is imported).
pub(crate) fn read(format: Format, input: &mut dyn BufRead) -> Result<Vec<Record>> {
    let mut records = Vec::new();
    match format {
        Format::Jsonl => {
            let mut lines = input.lines();
            let header = lines
                .next()
                .transpose()
                .map_err(|e| Error::io("cannot read the import file", e))?
                .unwrap_or_default();
            if !is_jsonl_header(&header) {
                return Err(Error::Invalid(
                    "line 1: not a Vitalog JSON Lines export (header missing)".into(),
                ));
            }
            for (i, line) in lines.enumerate() {
                let line = line.map_err(|e| Error::io("cannot read the import file", e))?;
                if line.trim().is_empty() {
                    continue;
                }
                let line_number = i + 2;
                let object: serde_json::Map<String, serde_json::Value> =
                    serde_json::from_str(&line).map_err(|e| {
                        Error::Invalid(format!("line {line_number}: {}", json_problem(&e)))
                    })?;
                // A field Vitalog does not know would be dropped without a word: refuse it by
                // name, as the CSV reader refuses an unknown column.
                if let Some(unknown) = object.keys().find(|k| !CSV_COLUMNS.contains(&k.as_str())) {
                    return Err(Error::Invalid(format!(
                        "line {line_number}: the field {unknown:?} is not one Vitalog knows"
                    )));
                }
                let record: Record = serde_json::from_value(serde_json::Value::Object(object))
                    .map_err(|e| {
                        Error::Invalid(format!("line {line_number}: {}", json_problem(&e)))
                    })?;
                records.push(record);
            }
        }
        Format::Csv => {
            let mut r = csv::ReaderBuilder::new()
                .has_headers(true)
                .from_reader(input);
            let header = r
                .headers()
                .map_err(|e| Error::Invalid(format!("line 1: {e}")))?
                .clone();
            let header = CsvHeader::read(&header)?;
            for (i, row) in r.records().enumerate() {
                let row = row.map_err(|e| Error::Invalid(format!("line {}: {e}", i + 2)))?;
                records.push(Record::from_csv_row(&header, &row, i + 2)?);
            }
        }
    }
    Ok(records)
}
