//! A radio whose monitors are simulated: the app's demo mode, and tests of the adapter task.

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use ble_proto::session::{Characteristic, Subscription};
use link::radio::{FoundMonitor, Radio};
use link::{GattError, LinkError, LinkEvent, LinkSecurity, MonitorKind, Transport};

use crate::{BloodPressureCuff, ContinuousGlucoseMonitor, Faults, GlucoseMeter, ReadingMonitor};

/// The demo glucose meter's id.
pub const DEMO_GLUCOSE: &str = "demo:glucose";
/// The demo cuff's id.
pub const DEMO_CUFF: &str = "demo:blood-pressure";

/// The demo id of a monitor kind (`demo:glucose`, `demo:thermometer`, …).
pub fn demo_id(kind: MonitorKind) -> String {
    format!("demo:{}", kind.as_str())
}

/// Simulated monitors in range: one of each kind (glucose meter, cuff, CGM, thermometer,
/// scale, pulse oximeter, heart-rate strap).
#[derive(Debug)]
pub struct DemoRadio {
    records: u16,
    faults: Faults,
    failing_connects: AtomicU32,
}

impl DemoRadio {
    /// Monitors holding `records` records each (per user for the cuff), showing `faults`.
    pub fn new(records: u16, faults: Faults) -> DemoRadio {
        DemoRadio {
            records,
            faults,
            failing_connects: AtomicU32::new(0),
        }
    }

    /// The next `n` connections fail, as with a monitor out of range.
    pub fn fail_next_connects(&self, n: u32) {
        self.failing_connects.store(n, Ordering::SeqCst);
    }
}

/// A connection to a demo monitor.
#[derive(Debug)]
pub enum DemoLink {
    /// The glucose meter.
    Glucose(GlucoseMeter),
    /// The cuff.
    Cuff(BloodPressureCuff),
    /// The CGM.
    Cgm(ContinuousGlucoseMonitor),
    /// A thermometer, scale, pulse oximeter or heart-rate strap.
    Reading(ReadingMonitor),
}

/// The kind a demo id names.
fn demo_kind(id: &str) -> Option<MonitorKind> {
    id.strip_prefix("demo:").and_then(MonitorKind::parse)
}

impl Radio for DemoRadio {
    type Link = DemoLink;

    async fn scan(&self, _duration: Duration) -> Result<Vec<FoundMonitor>, LinkError> {
        let kinds = [
            (MonitorKind::Glucose, "Demo Glucose Meter", -52),
            (MonitorKind::BloodPressure, "Demo BP Cuff", -64),
            (MonitorKind::ContinuousGlucose, "Demo CGM", -58),
            (MonitorKind::Thermometer, "Demo Thermometer", -70),
            (MonitorKind::BodyComposition, "Demo Scale", -75),
            (MonitorKind::PulseOximeter, "Demo Pulse Oximeter", -61),
            (MonitorKind::HeartRate, "Demo HR Strap", -55),
        ];
        Ok(kinds
            .into_iter()
            .map(|(kind, name, rssi)| FoundMonitor {
                id: demo_id(kind),
                name: Some(name.to_owned()),
                kind,
                rssi: Some(rssi),
                paired: !self.faults.unbonded,
            })
            .collect())
    }

    async fn pair(&self, id: &str) -> Result<(), LinkError> {
        demo_kind(id)
            .map(|_| ())
            .ok_or_else(|| LinkError::NotFound { id: id.to_owned() })
    }

    async fn connect(&self, id: &str) -> Result<DemoLink, LinkError> {
        let failing = self.failing_connects.load(Ordering::SeqCst);
        if failing > 0 {
            self.failing_connects.store(failing - 1, Ordering::SeqCst);
            return Err(LinkError::ConnectFailed {
                id: id.to_owned(),
                detail: "simulated: out of range".into(),
            });
        }
        let not_found = || LinkError::NotFound { id: id.to_owned() };
        let (records, faults) = (self.records, self.faults);
        Ok(match demo_kind(id).ok_or_else(not_found)? {
            MonitorKind::Glucose => DemoLink::Glucose(GlucoseMeter::new(records, faults)),
            MonitorKind::BloodPressure => DemoLink::Cuff(BloodPressureCuff::new(records, faults)),
            MonitorKind::ContinuousGlucose => {
                DemoLink::Cgm(ContinuousGlucoseMonitor::new(records, faults))
            }
            other => DemoLink::Reading(
                ReadingMonitor::new(other, records, faults).ok_or_else(not_found)?,
            ),
        })
    }

    fn identity(&self, id: &str) -> String {
        id.to_owned()
    }

    fn source(&self) -> journal::Source {
        journal::Source::Demo
    }
}

impl Transport for DemoLink {
    fn characteristics(&self) -> &[Characteristic] {
        match self {
            DemoLink::Glucose(meter) => meter.characteristics(),
            DemoLink::Cuff(cuff) => cuff.characteristics(),
            DemoLink::Cgm(cgm) => cgm.characteristics(),
            DemoLink::Reading(monitor) => monitor.characteristics(),
        }
    }

    fn security(&self) -> LinkSecurity {
        match self {
            DemoLink::Glucose(meter) => meter.security(),
            DemoLink::Cuff(cuff) => cuff.security(),
            DemoLink::Cgm(cgm) => cgm.security(),
            DemoLink::Reading(monitor) => monitor.security(),
        }
    }

    async fn read(&mut self, characteristic: Characteristic) -> Result<Vec<u8>, GattError> {
        match self {
            DemoLink::Glucose(meter) => meter.read(characteristic).await,
            DemoLink::Cuff(cuff) => cuff.read(characteristic).await,
            DemoLink::Cgm(cgm) => cgm.read(characteristic).await,
            DemoLink::Reading(monitor) => monitor.read(characteristic).await,
        }
    }

    async fn write(
        &mut self,
        characteristic: Characteristic,
        value: &[u8],
    ) -> Result<(), GattError> {
        match self {
            DemoLink::Glucose(meter) => meter.write(characteristic, value).await,
            DemoLink::Cuff(cuff) => cuff.write(characteristic, value).await,
            DemoLink::Cgm(cgm) => cgm.write(characteristic, value).await,
            DemoLink::Reading(monitor) => monitor.write(characteristic, value).await,
        }
    }

    async fn subscribe(
        &mut self,
        characteristic: Characteristic,
        subscription: Subscription,
    ) -> Result<(), GattError> {
        match self {
            DemoLink::Glucose(meter) => meter.subscribe(characteristic, subscription).await,
            DemoLink::Cuff(cuff) => cuff.subscribe(characteristic, subscription).await,
            DemoLink::Cgm(cgm) => cgm.subscribe(characteristic, subscription).await,
            DemoLink::Reading(monitor) => monitor.subscribe(characteristic, subscription).await,
        }
    }

    async fn next_event(&mut self) -> LinkEvent {
        match self {
            DemoLink::Glucose(meter) => meter.next_event().await,
            DemoLink::Cuff(cuff) => cuff.next_event().await,
            DemoLink::Cgm(cgm) => cgm.next_event().await,
            DemoLink::Reading(monitor) => monitor.next_event().await,
        }
    }

    async fn disconnect(&mut self) {
        match self {
            DemoLink::Glucose(meter) => meter.disconnect().await,
            DemoLink::Cuff(cuff) => cuff.disconnect().await,
            DemoLink::Cgm(cgm) => cgm.disconnect().await,
            DemoLink::Reading(monitor) => monitor.disconnect().await,
        }
    }
}
