//! A radio whose monitors are simulated: the app's demo mode, and tests of the adapter task.

use std::collections::HashSet;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use ble_proto::session::{Characteristic, Subscription};
use link::radio::{FoundMonitor, Radio};
use link::{GattError, LinkError, LinkEvent, LinkSecurity, Transport};
use readings::{MonitorId, MonitorKind};

use crate::{BloodPressureCuff, ContinuousGlucoseMonitor, Faults, GlucoseMeter, ReadingMonitor};

/// Simulated monitors in range: one of each kind (glucose meter, cuff, CGM, thermometer,
/// scale, pulse oximeter, heart-rate strap).
#[derive(Debug)]
pub struct DemoRadio {
    records: u16,
    faults: Faults,
    failing_connects: AtomicU32,
    /// Monitors connected before: a dropped link drops once per monitor, as the faults say.
    connected_before: Mutex<HashSet<String>>,
    /// The time between two notifications (none in tests; a real monitor's pace in the app).
    pace: Duration,
}

impl DemoRadio {
    /// Monitors holding `records` records each (per user for the cuff), showing `faults`.
    pub fn new(records: u16, faults: Faults) -> DemoRadio {
        DemoRadio {
            records,
            faults,
            failing_connects: AtomicU32::new(0),
            connected_before: Mutex::new(HashSet::new()),
            pace: Duration::ZERO,
        }
    }

    /// Sends notifications `pace` apart, as a real monitor does (a glucose meter sends a few
    /// dozen records a second), so the app's progress display has something to show.
    pub fn with_pace(mut self, pace: Duration) -> DemoRadio {
        self.pace = pace;
        self
    }

    /// The next `n` connections fail, as with a monitor out of range.
    pub fn fail_next_connects(&self, n: u32) {
        self.failing_connects.store(n, Ordering::SeqCst);
    }
}

/// A connection to a demo monitor, delivering notifications at the monitor's pace.
#[derive(Debug)]
pub struct DemoLink {
    monitor: DemoMonitor,
    pace: Duration,
}

/// The simulated monitor behind a demo link.
#[derive(Debug)]
enum DemoMonitor {
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
    MonitorId::new(id).demo_kind()
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
                id: MonitorId::demo(kind).to_string(),
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
        let records = self.records;
        let mut faults = self.faults;
        // Each connection builds the monitor afresh; the drop happens on the first one only,
        // so the next sync resumes and completes, as with a real monitor.
        let seen_before = match self.connected_before.lock() {
            Ok(mut seen) => !seen.insert(id.to_owned()),
            Err(_) => true,
        };
        if seen_before {
            faults.drop_after = None;
        }
        let monitor = match demo_kind(id).ok_or_else(not_found)? {
            MonitorKind::Glucose => DemoMonitor::Glucose(GlucoseMeter::new(records, faults)),
            MonitorKind::BloodPressure => {
                DemoMonitor::Cuff(BloodPressureCuff::new(records, faults))
            }
            MonitorKind::ContinuousGlucose => {
                DemoMonitor::Cgm(ContinuousGlucoseMonitor::new(records, faults))
            }
            other => DemoMonitor::Reading(
                ReadingMonitor::new(other, records, faults).ok_or_else(not_found)?,
            ),
        };
        Ok(DemoLink {
            monitor,
            pace: self.pace,
        })
    }

    fn identity(&self, id: &str) -> String {
        id.to_owned()
    }

    fn source(&self) -> readings::Source {
        readings::Source::Demo
    }
}

impl Transport for DemoLink {
    fn characteristics(&self) -> &[Characteristic] {
        match &self.monitor {
            DemoMonitor::Glucose(meter) => meter.characteristics(),
            DemoMonitor::Cuff(cuff) => cuff.characteristics(),
            DemoMonitor::Cgm(cgm) => cgm.characteristics(),
            DemoMonitor::Reading(monitor) => monitor.characteristics(),
        }
    }

    fn security(&self) -> LinkSecurity {
        match &self.monitor {
            DemoMonitor::Glucose(meter) => meter.security(),
            DemoMonitor::Cuff(cuff) => cuff.security(),
            DemoMonitor::Cgm(cgm) => cgm.security(),
            DemoMonitor::Reading(monitor) => monitor.security(),
        }
    }

    async fn read(&mut self, characteristic: Characteristic) -> Result<Vec<u8>, GattError> {
        match &mut self.monitor {
            DemoMonitor::Glucose(meter) => meter.read(characteristic).await,
            DemoMonitor::Cuff(cuff) => cuff.read(characteristic).await,
            DemoMonitor::Cgm(cgm) => cgm.read(characteristic).await,
            DemoMonitor::Reading(monitor) => monitor.read(characteristic).await,
        }
    }

    async fn write(
        &mut self,
        characteristic: Characteristic,
        value: &[u8],
    ) -> Result<(), GattError> {
        match &mut self.monitor {
            DemoMonitor::Glucose(meter) => meter.write(characteristic, value).await,
            DemoMonitor::Cuff(cuff) => cuff.write(characteristic, value).await,
            DemoMonitor::Cgm(cgm) => cgm.write(characteristic, value).await,
            DemoMonitor::Reading(monitor) => monitor.write(characteristic, value).await,
        }
    }

    async fn subscribe(
        &mut self,
        characteristic: Characteristic,
        subscription: Subscription,
    ) -> Result<(), GattError> {
        match &mut self.monitor {
            DemoMonitor::Glucose(meter) => meter.subscribe(characteristic, subscription).await,
            DemoMonitor::Cuff(cuff) => cuff.subscribe(characteristic, subscription).await,
            DemoMonitor::Cgm(cgm) => cgm.subscribe(characteristic, subscription).await,
            DemoMonitor::Reading(monitor) => monitor.subscribe(characteristic, subscription).await,
        }
    }

    async fn next_event(&mut self) -> LinkEvent {
        let event = match &mut self.monitor {
            DemoMonitor::Glucose(meter) => meter.next_event().await,
            DemoMonitor::Cuff(cuff) => cuff.next_event().await,
            DemoMonitor::Cgm(cgm) => cgm.next_event().await,
            DemoMonitor::Reading(monitor) => monitor.next_event().await,
        };
        if matches!(event, LinkEvent::Notification { .. }) && !self.pace.is_zero() {
            tokio::time::sleep(self.pace).await;
        }
        event
    }

    async fn disconnect(&mut self) {
        match &mut self.monitor {
            DemoMonitor::Glucose(meter) => meter.disconnect().await,
            DemoMonitor::Cuff(cuff) => cuff.disconnect().await,
            DemoMonitor::Cgm(cgm) => cgm.disconnect().await,
            DemoMonitor::Reading(monitor) => monitor.disconnect().await,
        }
    }
}
