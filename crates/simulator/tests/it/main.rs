//! Integration tests of the simulated monitors.

use simulator::Faults;

#[test]
fn faults_are_read_from_the_command_line_form() {
    let faults: Faults =
        "drop:5, truncate:3,malformed:4,impossible:7,duplicate,clock:+3600,unbonded"
            .parse()
            .expect("valid");
    assert_eq!(
        faults,
        Faults {
            drop_after: Some(5),
            truncate_every: Some(3),
            malformed_every: Some(4),
            impossible_every: Some(7),
            duplicate: true,
            clock_offset_s: 3600,
            unbonded: true,
        }
    );
    assert!("explode".parse::<Faults>().is_err());
    assert!("truncate:0".parse::<Faults>().is_err());
    assert_eq!("".parse::<Faults>(), Ok(Faults::default()));
}

/// The meter never deletes: "delete stored records" is answered "op code not supported" and
/// every record is still reported afterwards.
#[tokio::test]
async fn the_glucose_meter_refuses_to_delete_records() {
    use ble_proto::racp::{RacpResponse, RacpResponseCode};
    use ble_proto::session::{Characteristic, Subscription};
    use link::{LinkEvent, Transport};
    use simulator::GlucoseMeter;

    let racp = Characteristic::RecordAccessControlPoint;
    let mut meter = GlucoseMeter::new(4, Faults::default());
    meter
        .subscribe(racp, Subscription::Indicate)
        .await
        .expect("subscribe");
    // Op code 2 "delete stored records", operator 1 "all".
    meter.write(racp, &[0x02, 0x01]).await.expect("write");
    let LinkEvent::Notification { value, .. } = meter.next_event().await else {
        panic!("expected the RACP response");
    };
    assert_eq!(
        RacpResponse::decode(&value).expect("response"),
        RacpResponse::ResponseCode {
            request_opcode: 2,
            response: RacpResponseCode::OpCodeNotSupported
        }
    );
    assert_eq!(meter.stored(), 4);
}
