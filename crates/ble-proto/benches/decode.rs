//! Decode throughput in records per second, for the characteristics a sync moves in bulk.

use ble_proto::Characteristic;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

/// Representative values: a glucose record with every field, a blood pressure reading with
/// every field, a CGM notification of three records with E2E-CRC, and a heart rate with RR
/// intervals.
fn fixtures() -> Vec<(&'static str, Characteristic, Vec<u8>, u64)> {
    let cgm_record = [0x0A, 0x01, 0x6E, 0x00, 0x0A, 0x00, 0xF1, 0xFF, 0x9F, 0xCD];
    vec![
        (
            "glucose_measurement",
            Characteristic::GlucoseMeasurement,
            vec![
                0x0B, 0x2A, 0x00, 0xE4, 0x07, 0x01, 0x02, 0x0C, 0x1E, 0x2D, 0xF6, 0xFF, 0x0C, 0xC0,
                0x11, 0x01, 0x00,
            ],
            1,
        ),
        (
            "blood_pressure_measurement",
            Characteristic::BloodPressureMeasurement,
            vec![
                0x1E, 0x7A, 0x00, 0x50, 0x00, 0x5F, 0x00, 0xE8, 0x07, 0x03, 0x0F, 0x0A, 0x1E, 0x00,
                0x48, 0x00, 0x01, 0x05, 0x00,
            ],
            1,
        ),
        (
            "cgm_measurement_3_records",
            Characteristic::CgmMeasurement,
            cgm_record.repeat(3),
            3,
        ),
        (
            "heart_rate_measurement",
            Characteristic::HeartRateMeasurement,
            vec![0x16, 0x48, 0x00, 0x04, 0x00, 0x05, 0x10, 0x04],
            1,
        ),
    ]
}

fn decode_throughput(c: &mut Criterion) {
    let mut group = c.benchmark_group("decode");
    for (name, characteristic, octets, records) in fixtures() {
        ble_proto::decode(characteristic, &octets).expect("the fixture decodes");
        group.throughput(Throughput::Elements(records));
        group.bench_function(name, |b| {
            b.iter(|| ble_proto::decode(black_box(characteristic), black_box(&octets)))
        });
    }
    group.finish();
}

criterion_group!(benches, decode_throughput);
criterion_main!(benches);
