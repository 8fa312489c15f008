//! A radio whose monitors are simulated: the app's demo mode, and tests of the adapter task.

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use ble_proto::session::{Characteristic, Subscription};
use link::radio::{FoundMonitor, Radio};
use link::{GattError, LinkError, LinkEvent, LinkSecurity, MonitorKind, Transport};

use crate::{BloodPressureCuff, Faults, GlucoseMeter};

/// The demo glucose meter's id.
pub const DEMO_GLUCOSE: &str = "demo:glucose";
/// The demo cuff's id.
pub const DEMO_CUFF: &str = "demo:blood-pressure";

/// Simulated monitors in range: a glucose meter and a blood pressure cuff.
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
}

impl Radio for DemoRadio {
    type Link = DemoLink;

    async fn scan(&self, _duration: Duration) -> Result<Vec<FoundMonitor>, LinkError> {
        let monitor = |id: &str, name: &str, kind, rssi| FoundMonitor {
            id: id.to_owned(),
            name: Some(name.to_owned()),
            kind,
            rssi: Some(rssi),
            paired: !self.faults.unbonded,
        };
        Ok(vec![
            monitor(
                DEMO_GLUCOSE,
                "Demo Glucose Meter",
                MonitorKind::Glucose,
                -52,
            ),
            monitor(DEMO_CUFF, "Demo BP Cuff", MonitorKind::BloodPressure, -64),
        ])
    }

    async fn pair(&self, id: &str) -> Result<(), LinkError> {
        match id {
            DEMO_GLUCOSE | DEMO_CUFF => Ok(()),
            _ => Err(LinkError::NotFound { id: id.to_owned() }),
        }
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
        match id {
            DEMO_GLUCOSE => Ok(DemoLink::Glucose(GlucoseMeter::new(
                self.records,
                self.faults,
            ))),
            DEMO_CUFF => Ok(DemoLink::Cuff(BloodPressureCuff::new(
                self.records,
                self.faults,
            ))),
            _ => Err(LinkError::NotFound { id: id.to_owned() }),
        }
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
        }
    }

    fn security(&self) -> LinkSecurity {
        match self {
            DemoLink::Glucose(meter) => meter.security(),
            DemoLink::Cuff(cuff) => cuff.security(),
        }
    }

    async fn read(&mut self, characteristic: Characteristic) -> Result<Vec<u8>, GattError> {
        match self {
            DemoLink::Glucose(meter) => meter.read(characteristic).await,
            DemoLink::Cuff(cuff) => cuff.read(characteristic).await,
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
        }
    }

    async fn next_event(&mut self) -> LinkEvent {
        match self {
            DemoLink::Glucose(meter) => meter.next_event().await,
            DemoLink::Cuff(cuff) => cuff.next_event().await,
        }
    }

    async fn disconnect(&mut self) {
        match self {
            DemoLink::Glucose(meter) => meter.disconnect().await,
            DemoLink::Cuff(cuff) => cuff.disconnect().await,
        }
    }
}
