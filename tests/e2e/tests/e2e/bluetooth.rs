//! The app over this computer's Bluetooth, without hardware: python-dbusmock's BlueZ template
//! on a private system bus (`tests/bluez-mock`) plays a glucose meter. The app finds it, pairs
//! it, syncs its five stored records, and a second sync finds nothing new.

use std::path::PathBuf;

use ble_proto::glucose::{GlucoseConcentration, GlucoseMeasurement, GlucoseUnit};
use ble_proto::{DateTime, Sfloat};
use bluez_mock::BluezMock;
use serde_json::json;
use vitalog_e2e::App;

const PASSPHRASE: &str = "quartz lantern orbit marmalade";
const METER: &str = "AA:BB:CC:DD:EE:01";

fn record(sequence_number: u16, mg_per_dl: i16) -> String {
    let measurement = GlucoseMeasurement {
        sequence_number,
        base_time: DateTime::new(
            2026,
            11,
            u8::try_from(sequence_number).expect("day"),
            7,
            30,
            0,
        )
        .expect("a valid date"),
        time_offset_min: Some(0),
        concentration: Some(GlucoseConcentration {
            // mg/dL × 10⁻⁵ = kg/L.
            value: Sfloat::new(mg_per_dl, -5).expect("in range"),
            unit: GlucoseUnit::KilogramPerLitre,
            sample_type: 1,
            sample_location: 1,
        }),
        sensor_status: None,
        context_follows: false,
    };
    measurement
        .encode()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[tokio::test(flavor = "current_thread")]
async fn a_glucose_meter_over_bluez_is_found_paired_and_synced() {
    if !BluezMock::available() {
        assert!(
            std::env::var_os("VITALOG_SKIP_BLUEZ_MOCK").is_some(),
            "dbus-daemon and python3-dbusmock are needed (make test installs them); set VITALOG_SKIP_BLUEZ_MOCK=1 to skip"
        );
        return;
    }
    let records: Vec<String> = [(1, 95), (2, 142), (3, 110), (4, 87), (5, 163)]
        .into_iter()
        .map(|(sequence, value)| record(sequence, value))
        .collect();
    let mock = BluezMock::start(&json!({"adapter": "hci0", "devices": [
        {"address": METER, "name": "Mock Glucose Meter", "kind": "glucose", "rssi": -48,
         "records": records, "contexts": []},
    ]}))
    .expect("mock BlueZ starts");
    let bus = PathBuf::from(mock.address());
    let mut app = App::launch_with("bluetooth", &[("DBUS_SYSTEM_BUS_ADDRESS", bus)])
        .await
        .expect("app launches");
    app.create_journal(PASSPHRASE).await.expect("first run");

    app.click("a[href='#/devices']").await.expect("devices");
    app.wait_for("#mine-title").await.expect("devices screen");

    app.click_button("Add a device").await.expect("add");
    app.wait_for("ul.found li")
        .await
        .unwrap_or_else(|e| panic!("the meter is found: {e}; mock log:\n{}", mock.log()));
    // The screen asked for the radio's state before the scan began, so it has it by now; the
    // Bluetooth section appears only when the radio is unavailable.
    let unavailable = app
        .eval("return document.querySelector('#bluetooth-title') !== null")
        .await
        .expect("script");
    assert_eq!(
        unavailable,
        false,
        "Bluetooth works: mock log:\n{}",
        mock.log()
    );
    let found = app.text("ul.found").await.expect("found list");
    assert!(found.contains("Mock Glucose Meter"), "{found}");
    assert!(
        !found.contains("Demo"),
        "no demo monitor unless asked: {found}"
    );
    app.screenshot("scan-results").await.expect("screenshot");

    app.click("button[aria-label='Pair Mock Glucose Meter']")
        .await
        .expect("pair");
    app.wait_for("article.device").await.expect("a device card");
    app.click_button("Sync now").await.expect("sync");
    app.wait_until(
        "return document.querySelector('article.device progress') === null \
         && document.querySelector('article.device .result, article.device [role=alert]') !== null",
        "the sync finished",
    )
    .await
    .expect("sync finishes");
    let result = app
        .text("article.device .result, article.device [role=alert]")
        .await
        .expect("result");
    assert_eq!(result, "5 new readings saved.", "mock log:\n{}", mock.log());
    // The result shows before the card reloads the device details the sync read.
    let maker_shown = app
        .wait_until(
            "return document.querySelector('article.device')?.textContent.includes('Vitalog Mock') === true",
            "the card shows the maker the sync read",
        )
        .await;
    let card = app.text("article.device").await.expect("card");
    assert!(maker_shown.is_ok(), "the maker is read: {card}");
    assert!(!card.contains("Demo"), "{card}");
    app.screenshot("synced").await.expect("screenshot");

    app.click_button("Sync now").await.expect("sync again");
    app.wait_until(
        "const r = document.querySelector('article.device .result'); \
         return document.querySelector('article.device progress') === null \
         && r !== null && r.textContent.includes('No new')",
        "the second sync finds nothing new",
    )
    .await
    .expect("nothing new");

    app.click("a[href='#/today']").await.expect("today");
    let glucose = app
        .text("li.reading[data-kind='glucose']")
        .await
        .expect("the latest glucose reading");
    assert!(glucose.contains("163"), "the newest record: {glucose}");
    app.screenshot("today").await.expect("screenshot");
    app.close().await.expect("close");
}
