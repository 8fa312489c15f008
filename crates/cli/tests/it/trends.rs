//! `vitalog stats`, `chart`, `report` and `export` with a period, on a journal filled through
//! `vitalog add` as a script would.

use super::devices::{journal_dir, json_out, vitalog_in};

fn add(dir: &std::path::Path, args: &[&str]) {
    let output = vitalog_in(dir, args, &[]);
    assert!(
        output.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn a_week_of_readings_gives_stats_a_chart_a_report_and_a_ranged_export() {
    let dir = journal_dir();
    let d = dir.path();
    for (day, glucose, meal) in [
        (2, "5.8", "before"),
        (3, "9.1", "after"),
        (4, "2.9", "before"),
    ] {
        let at = format!("2026-03-0{day}T07:30:00+01:00");
        let mut args = vec![
            "add", "glucose", glucose, "mmol/L", "--meal", meal, "--at", &at,
        ];
        if glucose == "2.9" {
            args.push("--confirm");
        }
        add(d, &args);
    }
    for day in 2..=5 {
        add(
            d,
            &[
                "add",
                "bp",
                "142/91",
                "--at",
                &format!("2026-03-0{day}T21:30:00-05:00"),
            ],
        );
    }
    add(
        d,
        &[
            "add",
            "weight",
            "81.2",
            "kg",
            "--at",
            "2026-03-02T06:00:00+01:00",
        ],
    );

    let period = [
        "--from",
        "2026-03-02",
        "--to",
        "2026-03-09",
        "--tz",
        "Europe/Berlin",
    ];
    let stats = json_out(&vitalog_in(
        d,
        &[&["stats"][..], &period, &["--json"]].concat(),
        &[],
    ));
    assert_eq!(stats["period"]["calendar_days"], 7);
    let meter = &stats["glucose"]["meter"];
    assert_eq!(meter["unit"], "mmol/L");
    assert_eq!(meter["n_readings"], 3);
    assert_eq!(meter["ranges"]["very_low"]["n"], 1);
    assert_eq!(meter["before_meal"]["n"], 2);
    assert_eq!(
        stats["glucose"].get("cgm"),
        None,
        "no CGM block without CGM readings"
    );
    // The New York evenings are Berlin's next mornings: four days, the first left out.
    assert_eq!(stats["blood_pressure"]["n_readings"], 3);
    assert_eq!(stats["blood_pressure"]["category"], "stage_2");
    assert_eq!(stats["weight"]["n_readings"], 1);

    let refused = vitalog_in(
        d,
        &[
            "stats",
            "--from",
            "2026-03-09",
            "--to",
            "2026-03-02",
            "--json",
        ],
        &[],
    );
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("must end after it starts"));

    let svg = d.join("bp.svg");
    let drawn = vitalog_in(
        d,
        &[
            &["chart", "bp"][..],
            &period,
            &["-o", svg.to_str().unwrap()],
        ]
        .concat(),
        &[],
    );
    assert!(
        drawn.status.success(),
        "{}",
        String::from_utf8_lossy(&drawn.stderr)
    );
    let svg = std::fs::read_to_string(&svg).unwrap();
    assert!(svg.starts_with("<svg") && svg.contains("<desc id=\"chart-desc\">"));
    let nothing = vitalog_in(
        d,
        &[&["chart", "spo2"][..], &period, &["-o", "/dev/null"]].concat(),
        &[],
    );
    assert_eq!(
        nothing.status.code(),
        Some(2),
        "nothing to draw is said, not drawn"
    );

    let pdf = d.join("visit.pdf");
    let reported = vitalog_in(
        d,
        &[
            &["report"][..],
            &period,
            &["--name", "Anna Example", "-o", pdf.to_str().unwrap()],
        ]
        .concat(),
        &[],
    );
    assert!(
        reported.status.success(),
        "{}",
        String::from_utf8_lossy(&reported.stderr)
    );
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF-"));

    let export = vitalog_in(
        d,
        &[
            "export",
            "--format",
            "jsonl",
            "--kind",
            "glucose",
            "--from",
            "2026-03-03T00:00:00+01:00",
            "--to",
            "2026-03-09T00:00:00+01:00",
        ],
        &[],
    );
    assert!(export.status.success());
    let lines: Vec<String> = String::from_utf8_lossy(&export.stdout)
        .lines()
        .map(str::to_owned)
        .collect();
    assert_eq!(
        lines.len(),
        3,
        "the header and two glucose readings: {lines:?}"
    );
    assert!(
        lines[1..]
            .iter()
            .all(|l| l.contains("\"kind\":\"glucose\""))
    );
}

#[test]
fn a_fhir_export_is_a_valid_bundle_with_the_phd_codes() {
    let dir = journal_dir();
    let d = dir.path();
    add(
        d,
        &[
            "add",
            "glucose",
            "5.80",
            "mmol/L",
            "--at",
            "2026-03-02T07:30:00+01:00",
        ],
    );
    add(
        d,
        &[
            "add",
            "bp",
            "128/84",
            "--pulse",
            "71",
            "--mean",
            "99",
            "--at",
            "2026-03-02T08:00:00+01:00",
        ],
    );
    add(
        d,
        &[
            "add",
            "weight",
            "81.20",
            "kg",
            "--at",
            "2026-03-02T06:00:00+01:00",
        ],
    );
    add(
        d,
        &["add", "spo2", "97", "--at", "2026-03-02T06:05:00+01:00"],
    );
    add(
        d,
        &[
            "add",
            "note",
            "slept badly",
            "--at",
            "2026-03-02T06:10:00+01:00",
        ],
    );
    let demo = vitalog_in(d, &["demo", "glucose", "--records", "3"], &[]);
    assert!(
        demo.status.success(),
        "{}",
        String::from_utf8_lossy(&demo.stderr)
    );
    let file = d.join("visit.fhir.json");
    let exported = vitalog_in(
        d,
        &[
            "export",
            "--format",
            "fhir",
            "--name",
            "Anna Example",
            "-o",
            file.to_str().unwrap(),
        ],
        &[],
    );
    assert!(
        exported.status.success(),
        "{}",
        String::from_utf8_lossy(&exported.stderr)
    );
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        text.contains("\"value\": 5.80"),
        "the recorded precision survives"
    );
    let bundle: serde_json::Value = serde_json::from_str(&text).unwrap();
    let resources: Vec<&serde_json::Value> = bundle["entry"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["resource"])
        .collect();
    let observations = resources
        .iter()
        .filter(|r| r["resourceType"] == "Observation")
        .count();
    // glucose, BP panel and its pulse, weight, SpO2, three demo glucose readings; no note.
    assert_eq!(observations, 8);
    let bp = resources
        .iter()
        .find(|r| r["code"]["coding"][0]["code"] == "150020")
        .unwrap();
    let components: Vec<&str> = bp["component"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["code"]["coding"][1]["code"].as_str().unwrap_or("none"))
        .collect();
    assert_eq!(&components[..2], ["8480-6", "8462-4"]);
    assert_eq!(bp["component"][0]["valueQuantity"]["code"], "mm[Hg]");
    let demo_device = resources
        .iter()
        .find(|r| {
            r["resourceType"] == "Device"
                && r["manufacturer"] == "Vitalog"
                && r["type"]["coding"][0]["code"] == "65573"
        })
        .unwrap();
    assert_eq!(
        demo_device["specialization"][0]["systemType"]["coding"][0]["code"],
        "528401"
    );

    let script =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fhir/validate.py");
    let checked = std::process::Command::new("python3")
        .arg(script)
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        checked.status.success(),
        "{}{}",
        String::from_utf8_lossy(&checked.stdout),
        String::from_utf8_lossy(&checked.stderr)
    );
}
