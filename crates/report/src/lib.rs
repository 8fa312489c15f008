//! The doctor-visit report: a PDF a clinician reads in a minute. Page one is the summary (who,
//! which period, which devices; glucose, blood pressure and weight in the numbers the
//! consensus and guidelines use, with the time-in-ranges bar and the AGP; alerts; medications);
//! the pages after it hold the charts over time, the latest days one by one, and every
//! reading. Every page says it holds
//! patient-generated data and which Vitalog made it.
//!
//! The numbers are the `trends` crate's (the ones `vitalog stats` prints for the same period
//! and zone) and the charts its SVGs, drawn as vectors; the text is real, searchable text in
//! the embedded Noto Sans (SIL OFL, `fonts/`). The file is PDF/A-2a: it archives, and a screen
//! reader walks it by headings, reads the readings as a table and each chart by its text
//! alternative. Pure: the caller gives the readings, the
//! devices and the time of generation, and gets the PDF's bytes.

#![warn(missing_docs)]

mod days;
mod layout;
mod summary;
mod table;

use chrono::{DateTime, Utc};
use journal::{Device, Entry};
use trends::{Options, Period};

pub use layout::Fonts;
pub use summary::{number, percent};

/// Everything a report is made of.
#[derive(Debug, Clone, Copy)]
pub struct ReportInput<'a> {
    /// The period.
    pub period: &'a Period,
    /// The person's entries in the period (readings and events), oldest first.
    pub entries: &'a [Entry],
    /// The devices the journal knows (the report names those the readings came from).
    pub devices: &'a [Device],
    /// The patient's name, when they want it on the report.
    pub patient_name: Option<&'a str>,
    /// Units to report in.
    pub options: Options,
    /// When the report is made.
    pub generated_at: DateTime<Utc>,
    /// The Vitalog version that makes it.
    pub version: &'a str,
}

/// A report could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// The PDF library refused the document.
    #[error("the report could not be written as a PDF ({0})")]
    Pdf(String),
}

/// A made report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// The PDF.
    pub bytes: Vec<u8>,
    /// How many pages it has.
    pub pages: usize,
}

/// How many days a new report covers when there was no earlier one to start from: 14 when the
/// patient has glucose readings in the last 14 days (the consensus's minimum for CGM), 7 when
/// they have only blood pressure (the home protocol's week), 14 otherwise.
pub fn usual_days(recent_glucose: bool, recent_blood_pressure: bool) -> u32 {
    if recent_blood_pressure && !recent_glucose {
        7
    } else {
        14
    }
}

/// The report as a PDF.
pub fn pdf(input: &ReportInput<'_>) -> Result<Report, ReportError> {
    let fonts =
        Fonts::embedded().ok_or_else(|| ReportError::Pdf("the fonts do not load".into()))?;
    let mut pages = layout::Pages::new(&fonts);
    summary::write(&mut pages, input);
    days::write(&mut pages, input);
    table::write(&mut pages, input);
    let count = pages.count();
    Ok(Report {
        bytes: pages.finish(input)?,
        pages: count,
    })
}
