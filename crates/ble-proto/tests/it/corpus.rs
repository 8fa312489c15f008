//! Replays the committed fuzz corpus through the decoders, so the interesting inputs fuzzing
//! found keep running in CI without cargo-fuzz. Each file's first octet picks the
//! characteristic, as in the fuzz target.

use std::path::Path;

#[test]
fn fuzz_corpus_decodes_without_panicking() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/decode");
    let Ok(entries) = std::fs::read_dir(&root) else {
        panic!("no corpus at {}", root.display());
    };
    let mut replayed = 0;
    for entry in entries {
        let octets = std::fs::read(entry.unwrap().path()).unwrap();
        ble_proto_fuzz_input(&octets);
        replayed += 1;
    }
    assert!(replayed > 0, "the corpus at {} is empty", root.display());
}

/// The body of the fuzz target `decode`, kept identical to it.
fn ble_proto_fuzz_input(data: &[u8]) {
    let Some((&selector, value)) = data.split_first() else {
        return;
    };
    let all = ble_proto::Characteristic::ALL;
    let characteristic = all[usize::from(selector) % all.len()];
    if let Ok(decoded) = ble_proto::decode(characteristic, value) {
        // Re-encoding drops RFU bits (and so may change a CGM CRC); after that it is stable.
        let encoded = decoded.encode();
        let again = ble_proto::decode(characteristic, &encoded).map(|value| value.encode());
        assert_eq!(again, Ok(encoded), "{decoded:?}");
    }
    let _ = ble_proto::racp::RacpRequest::decode(value);
}
