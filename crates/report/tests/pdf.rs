//! The report as a clinician's PDF reader sees it: a well-formed file (qpdf), its fonts
//! embedded (pdffonts), and as text (pdftotext) the numbers `vitalog stats` gives for the same
//! period and zone. The poppler and qpdf tools come with `make test`'s packages.

use std::collections::BTreeSet;
use std::process::Command;

use chrono::{DateTime, Duration, FixedOffset};
use journal::{Entry, EntryId, PersonId};
use readings::{Content, GlucoseMethod, Quantity, Source, TimeQuality, Unit};
use report::{ReportInput, pdf};
use trends::{Observation, Options, Period};

fn entry(id: i64, at: DateTime<FixedOffset>, content: Content) -> Entry {
    Entry {
        id: EntryId(id),
        uid: format!("uid-{id}"),
        person: PersonId(1),
        at,
        time_quality: TimeQuality::Entered,
        device_time: None,
        source: Source::Manual,
        device: None,
        sequence_number: None,
        note: matches!(content, Content::Medication(_)).then(|| "after the walk".to_owned()),
        flags: BTreeSet::new(),
        version: 1,
        deleted: false,
        origin: None,
        content,
    }
}

fn two_weeks() -> Vec<Entry> {
    let start = DateTime::parse_from_rfc3339("2026-03-02T00:00:00+01:00").expect("start");
    let mut entries = Vec::new();
    let mut id = 0;
    for i in 0..14 * 288i64 {
        id += 1;
        let value = 100 + (i * 37 % 150);
        entries.push(entry(
            id,
            start + Duration::minutes(5 * i),
            Content::Glucose {
                value: Quantity {
                    value: value.to_string().parse().expect("value"),
                    unit: Unit::MgPerDl,
                },
                meal: None,
                method: GlucoseMethod::Cgm,
            },
        ));
    }
    for day in 0..14i64 {
        for (hour, systolic) in [(7, 138 + day % 5), (21, 126 + day % 4)] {
            id += 1;
            entries.push(entry(
                id,
                start + Duration::days(day) + Duration::hours(hour),
                Content::BloodPressure {
                    systolic: systolic.to_string().parse().expect("sys"),
                    diastolic: "84".parse().expect("dia"),
                    mean_arterial: None,
                    unit: Unit::MmHg,
                    pulse: Some("66".parse().expect("pulse")),
                },
            ));
        }
    }
    id += 1;
    entries.push(entry(
        id,
        start + Duration::hours(8),
        Content::Medication("metformin 500 mg".into()),
    ));
    entries.sort_by_key(|e| e.at);
    entries
}

fn tool(name: &str, args: &[&str]) -> String {
    let output = Command::new(name)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{name} runs (make test installs it): {e}"));
    assert!(
        output.status.success(),
        "{name} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn report_of(entries: &[Entry], period: &Period) -> Vec<u8> {
    let input = ReportInput {
        period,
        entries,
        devices: &[],
        patient_name: Some("Anna Example"),
        options: Options::default(),
        generated_at: DateTime::parse_from_rfc3339("2026-03-16T09:00:00Z")
            .expect("now")
            .to_utc(),
        version: "0.1.0",
    };
    pdf(&input).expect("report").bytes
}

#[test]
fn the_report_is_tagged_pdf_a_2a_with_headings_a_table_and_described_charts() {
    let entries = two_weeks();
    let period = Period::parse("2026-03-02", "2026-03-16", "Europe/Berlin").expect("period");
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("visit.pdf");
    std::fs::write(&file, report_of(&entries, &period)).expect("written");
    let path = file.to_str().expect("path");

    let info = tool("pdfinfo", &[path]);
    assert!(
        info.lines()
            .any(|l| l.starts_with("Tagged:") && l.ends_with("yes")),
        "{info}"
    );
    let meta = tool("pdfinfo", &["-meta", path]);
    assert!(
        meta.contains("<pdfaid:part>2</pdfaid:part>")
            && meta.contains("<pdfaid:conformance>A</pdfaid:conformance>"),
        "PDF/A-2a is declared:\n{meta}"
    );
    // The structure as a screen reader walks it: the title, sections, the readings table with
    // its column heads, and every chart with a text alternative.
    let structure = tool("pdfinfo", &["-struct-text", path]);
    for expected in ["H1", "H2", "Table", "TR", "TH", "TD", "Figure"] {
        assert!(
            structure
                .lines()
                .any(|l| l.trim_start().starts_with(expected)),
            "no {expected} in the structure:\n{structure}"
        );
    }
    assert!(structure.contains("Health report"), "{structure}");
    // pdfinfo doesn't print /Alt: read the structure elements from an uncompressed copy.
    let plain = dir.path().join("plain.pdf");
    let plain_path = plain.to_str().expect("path");
    tool(
        "qpdf",
        &["--qdf", "--object-streams=disable", path, plain_path],
    );
    let raw = String::from_utf8_lossy(&std::fs::read(&plain).expect("read")).into_owned();
    let figures: Vec<&str> = raw
        .split("endobj")
        .filter(|object| object.contains("/S /Figure"))
        .collect();
    assert!(!figures.is_empty(), "no figure elements");
    for figure in figures {
        assert!(figure.contains("/Alt"), "a figure without Alt:\n{figure}");
    }
}

#[test]
fn the_report_is_a_sound_pdf_with_embedded_fonts_and_the_statistics_as_text() {
    let entries = two_weeks();
    let period = Period::parse("2026-03-02", "2026-03-16", "Europe/Berlin").expect("period");
    let input = ReportInput {
        period: &period,
        entries: &entries,
        devices: &[],
        patient_name: Some("Anna Example"),
        options: Options::default(),
        generated_at: DateTime::parse_from_rfc3339("2026-03-16T09:00:00Z")
            .expect("now")
            .to_utc(),
        version: "0.1.0",
    };
    let made = pdf(&input).expect("report");
    let bytes = made.bytes;
    assert!(bytes.len() < 1024 * 1024, "{} bytes", bytes.len());
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("visit.pdf");
    std::fs::write(&file, &bytes).expect("written");
    let path = file.to_str().expect("path");

    tool("qpdf", &["--check", path]);
    let fonts = tool("pdffonts", &[path]);
    let embedded: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!embedded.is_empty(), "{fonts}");
    for line in &embedded {
        assert!(
            line.contains("NotoSans") && line.contains(" yes "),
            "not embedded: {line}"
        );
    }

    let text = tool("pdftotext", &["-layout", path, "-"]);
    let observations: Vec<Observation<'_>> = entries
        .iter()
        .map(|e| Observation {
            at: e.at,
            content: &e.content,
            flags: &e.flags,
        })
        .collect();
    let stats = trends::stats(&period, &observations, Options::default());
    let cgm = stats
        .glucose
        .as_ref()
        .and_then(|g| g.cgm.as_ref())
        .expect("cgm");
    let bp = stats.blood_pressure.as_ref().expect("bp");
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for expected in [
        "Anna Example".to_owned(),
        "2 March 2026 to 15 March 2026 (14 days)".to_owned(),
        format!("time in range {}", report::percent(cgm.ranges.in_range.pct)),
        format!("GMI {}", report::percent(cgm.gmi_pct.expect("gmi"))),
        format!("Mean {} mg/dL", report::number(cgm.mean, Unit::MgPerDl)),
        format!(
            "Average {}/{} mmHg",
            report::number(bp.mean.systolic, Unit::MmHg),
            report::number(bp.mean.diastolic, Unit::MmHg)
        ),
        "metformin 500 mg".to_owned(),
        "Patient-generated data".to_owned(),
        "after the walk".to_owned(),
        "Day by day".to_owned(),
        "Sunday 15 March 2026".to_owned(),
        "Monday 2 March 2026".to_owned(),
    ] {
        assert!(
            flat.contains(&expected),
            "the report lacks {expected:?}:\n{flat}"
        );
    }
    let pages = tool("pdfinfo", &[path]);
    let last = pages
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .map(str::trim)
        .expect("page count");
    assert!(
        flat.contains(&format!("Page {last} of {last}")),
        "every page numbered"
    );
}

/// A long period gets day-by-day sections for its latest two weeks only, and says so.
#[test]
fn day_by_day_covers_the_latest_two_weeks_of_a_long_period() {
    let start = DateTime::parse_from_rfc3339("2026-05-01T09:00:00+02:00").expect("start");
    let entries: Vec<Entry> = (0..30)
        .map(|day| {
            entry(
                day + 1,
                start + Duration::days(day),
                Content::Note(format!("day {}", day + 1)),
            )
        })
        .collect();
    let period = Period::parse("2026-05-01", "2026-05-31", "Europe/Berlin").expect("period");
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("visit.pdf");
    std::fs::write(&file, report_of(&entries, &period)).expect("written");
    let text = tool("pdftotext", &[file.to_str().expect("path"), "-"]);
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("The last 14 of the 30 days with entries"),
        "{flat}"
    );
    assert!(flat.contains("Sunday 17 May 2026"), "{flat}");
    assert!(flat.contains("Saturday 30 May 2026"), "{flat}");
    assert!(!flat.contains("Saturday 16 May 2026"), "{flat}");
}
