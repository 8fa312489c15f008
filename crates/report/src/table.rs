//! The readings table: every reading and event of the period, oldest first, one line each,
//! with its note and flags; the column heads repeat on every page. CGM readings (288 a day)
//! are left to the statistics and charts, and to the CSV and FHIR exports.

use readings::{Content, Fields, Flag, GlucoseMethod, Source};

use crate::ReportInput;
use crate::layout::{MARGIN, Pages};

const COLUMNS: [(&str, f32); 5] = [
    ("Date", 0.0),
    ("Time", 62.0),
    ("What", 98.0),
    ("Value", 190.0),
    ("Note, flags, source", 300.0),
];
const SIZE: f32 = 8.0;
const ROW: f32 = 11.5;

fn is_cgm(content: &Content) -> bool {
    matches!(
        content,
        Content::Glucose {
            method: GlucoseMethod::Cgm,
            ..
        }
    )
}

pub(crate) fn write(pages: &mut Pages<'_>, input: &ReportInput<'_>) {
    let listed: Vec<_> = input
        .entries
        .iter()
        .filter(|e| !is_cgm(&e.content))
        .collect();
    let cgm = input.entries.len() - listed.len();
    if input.entries.is_empty() {
        return;
    }
    let zone = input.period.zone();
    pages.new_page();
    pages.heading(&format!("Readings and entries ({})", listed.len()), 2);
    if cgm > 0 {
        pages.paragraph(
            &format!(
                "The {cgm} CGM readings are summed up in the statistics and charts; every one is in the CSV and FHIR exports."
            ),
            9.0,
            true,
        );
    }
    if listed.is_empty() {
        return;
    }
    heads(pages);
    for entry in listed {
        if pages.y + ROW > crate::layout::PAGE_HEIGHT - 60.0 {
            pages.new_page();
            heads(pages);
        }
        let local = entry.at.with_timezone(&zone);
        let mut extra: Vec<String> = Vec::new();
        if let Some(note) = &entry.note {
            extra.push(note.clone());
        }
        extra.extend(entry.flags.iter().map(|f| match f {
            Flag::ControlSolution => "control solution".to_owned(),
            Flag::Implausible => "unusual value".to_owned(),
            Flag::Status(s) => s.replace('-', " "),
        }));
        match entry.source {
            Source::Demo => extra.push("demo".into()),
            Source::Manual => extra.push("typed in".into()),
            Source::Import => extra.push("imported".into()),
            Source::Device => {}
        }
        let cells = [
            local.format("%Y-%m-%d").to_string(),
            local.format("%H:%M").to_string(),
            entry.content.kind().noun().to_owned(),
            value(&entry.content),
            truncate(&extra.join("; "), 70),
        ];
        let y = pages.y + SIZE;
        pages.row(false);
        for ((_, x), cell) in COLUMNS.iter().zip(&cells) {
            pages.cell(MARGIN + x, y, cell, SIZE);
        }
        pages.y += ROW;
    }
}

fn heads(pages: &mut Pages<'_>) {
    let y = pages.y + SIZE;
    pages.row(true);
    for (name, x) in COLUMNS {
        pages.cell(MARGIN + x, y, name, SIZE);
    }
    pages.rect((MARGIN, pages.y + ROW - 1.0), (499.0, 0.5), (160, 160, 160));
    pages.y += ROW + 2.0;
}

/// A reading's value in one cell, in the unit it was recorded in.
pub(crate) fn value(content: &Content) -> String {
    let f = Fields::from_content(content);
    let unit = f.unit.map(|u| u.symbol()).unwrap_or_default();
    match content {
        Content::BloodPressure { .. } => format!(
            "{}/{} {unit}{}",
            f.systolic.unwrap_or_default(),
            f.diastolic.unwrap_or_default(),
            f.pulse.map(|p| format!(", pulse {p}")).unwrap_or_default()
        ),
        Content::Medication(t) | Content::Symptom(t) | Content::Note(t) => truncate(t, 24),
        Content::Meal { .. } | Content::Insulin { .. } => [
            f.value.map(|v| format!("{v} {unit}")),
            f.text.map(|t| truncate(&t, 14)),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", "),
        _ => format!("{} {unit}", f.value.unwrap_or_default()),
    }
}

pub(crate) fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        format!("{}…", text.chars().take(max - 1).collect::<String>())
    }
}
