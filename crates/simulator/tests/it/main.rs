//! Integration tests of the simulated monitors.

use simulator::Faults;

#[test]
fn faults_are_read_from_the_command_line_form() {
    let faults: Faults = "drop:5, truncate:3,malformed:4,duplicate,clock:+3600,unbonded"
        .parse()
        .expect("valid");
    assert_eq!(
        faults,
        Faults {
            drop_after: Some(5),
            truncate_every: Some(3),
            malformed_every: Some(4),
            duplicate: true,
            clock_offset_s: 3600,
            unbonded: true,
        }
    );
    assert!("explode".parse::<Faults>().is_err());
    assert!("truncate:0".parse::<Faults>().is_err());
    assert_eq!("".parse::<Faults>(), Ok(Faults::default()));
}
