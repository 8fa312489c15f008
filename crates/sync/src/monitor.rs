//! One sync with one connected monitor: check the link's protection, read Device Information
//! and the battery, check the clock, run the monitor's session, and store its records in the
//! journal — each reading once, whatever the monitor repeats or a cut-off sync left behind.
//!
//! Resuming works through the journal: it keeps the highest sequence number stored per device,
//! and the next glucose sync asks the meter only for records above it.

use std::time::Instant;

use ble_proto::device_information::{decode_battery_level, decode_string};
use ble_proto::session::Characteristic;
use ble_proto::session::blood_pressure::{
    BloodPressureConfig, BloodPressureOutput, BloodPressureTransfer, CuffUser,
};
use ble_proto::session::cgm::{CgmOutput, CgmSync, CgmSyncConfig};
use ble_proto::session::clock::{ClockCheck, ClockCheckConfig, ClockOutput, Correction};
use ble_proto::session::glucose::{GlucoseOutput, GlucoseSync, GlucoseSyncConfig};
use ble_proto::time::{DeviceClock, HostClock};
use chrono::Utc;
use journal::{AddOutcome, DeviceId, DeviceInfo, Journal, NewEntry, SyncMark};
use readings::Source;

use crate::drive::drive;
use link::LinkError;

use crate::entries::{self as records, Provenance};
use crate::error::SyncError;
use crate::listen;
use link::Transport;
use readings::MonitorKind;

/// What the caller knows about the monitor it connected to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncOptions {
    /// The monitor's link id (its Bluetooth address), for messages.
    pub id: String,
    /// The identity the journal knows it by.
    pub identity: String,
    /// The monitor's kind.
    pub kind: MonitorKind,
    /// `Device` for a real monitor, `Demo` for a simulated one.
    pub source: Source,
    /// The patient agreed to have the monitor's clock set when it is off.
    pub set_clock: bool,
}

/// What happens during a sync, for a progress display. Carries no health value except the live
/// cuff pressure, which is shown and never stored.
#[derive(Debug, Clone, PartialEq)]
pub enum SyncEvent {
    /// The monitor's Device Information and battery level were read.
    DeviceInformation {
        /// Manufacturer name.
        maker: Option<String>,
        /// Model number.
        model: Option<String>,
        /// Battery level in percent.
        battery_percent: Option<u8>,
    },
    /// The monitor's clock was compared with this computer's.
    Clock {
        /// Device time minus host time, in seconds, when it could be measured.
        drift_s: Option<i64>,
        /// Whether the monitor's clock was set.
        set: bool,
    },
    /// Records are arriving.
    Progress {
        /// Distinct records received so far.
        received: u32,
        /// How many the monitor announced, when it did.
        expected: Option<u32>,
    },
    /// The live cuff pressure while a cuff inflates (never stored).
    CuffPressure {
        /// The pressure as the cuff sent it, in its unit.
        value: f64,
    },
}

/// What a sync stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncReport {
    /// The monitor in the journal.
    pub device: DeviceId,
    /// Readings stored for the first time.
    pub new: u32,
    /// Readings the journal already had.
    pub already_present: u32,
    /// Values the monitor sent that could not be used: damaged in transit, or refused by the
    /// journal for what they say (an impossible value, a unit it does not accept).
    pub rejected: u32,
    /// Why the transfer stopped early, when it did; what arrived before is stored, and the
    /// next sync resumes after it.
    pub interrupted: Option<String>,
}

/// Syncs a connected monitor into the journal.
///
/// Refuses glucose and CGM records over a link that is not bonded and encrypted
/// ([`LinkError::NotBonded`]) before reading anything.
pub async fn sync_monitor<T: Transport>(
    transport: &mut T,
    journal: &mut Journal,
    options: &SyncOptions,
    mut on_event: impl FnMut(SyncEvent) + Send,
) -> Result<SyncReport, SyncError> {
    if options.kind.requires_bonding() && !transport.security().is_bonded_and_encrypted() {
        transport.disconnect().await;
        return Err(LinkError::NotBonded {
            kind: options.kind.as_str(),
            id: options.id.clone(),
        }
        .into());
    }
    let (info, battery_percent) =
        read_device_information(transport, &options.identity, &mut on_event).await;
    let device = journal.register_device(&info)?;
    let host = host_clock();
    let clock = check_clock(transport, journal, device, &host, options, &mut on_event).await?;
    let provenance = Provenance {
        device,
        source: options.source,
        clock,
        received: records::received_at(),
    };
    let mut collected = Collected::default();
    match options.kind {
        MonitorKind::Glucose => {
            let last = journal.device(device)?.last_sequence;
            let mut config = GlucoseSyncConfig::new(last.and_then(|n| u16::try_from(n).ok()));
            config.has_context = transport.has(Characteristic::GlucoseMeasurementContext);
            let mut session = GlucoseSync::new(config);
            drive(&mut session, transport, |output| match output {
                GlucoseOutput::Record(record) => {
                    collected.push(records::glucose_entry(&record, &provenance));
                }
                GlucoseOutput::Progress(progress) => on_event(SyncEvent::Progress {
                    received: progress.received,
                    expected: progress.expected,
                }),
                GlucoseOutput::Rejected(_) => collected.rejected += 1,
                GlucoseOutput::Finished(result) => {
                    collected.interrupted = result.err().map(|error| error.to_string());
                }
            })
            .await;
            collected.resume_after = Some(session.summary().next_last_sequence);
        }
        MonitorKind::BloodPressure => {
            let config = BloodPressureConfig {
                has_cuff_pressure: transport.has(Characteristic::IntermediateCuffPressure),
                ..BloodPressureConfig::default()
            };
            let mut session = BloodPressureTransfer::new(config);
            let mut received = 0;
            let mut bp_records = Vec::new();
            drive(&mut session, transport, |output| match output {
                BloodPressureOutput::Record(record) => {
                    received += 1;
                    on_event(SyncEvent::Progress {
                        received,
                        expected: None,
                    });
                    bp_records.push(record);
                }
                BloodPressureOutput::CuffPressure(pressure) => {
                    if let Some(value) = pressure.cuff_pressure.value().number() {
                        on_event(SyncEvent::CuffPressure {
                            value: value.to_f64(),
                        });
                    }
                }
                BloodPressureOutput::Rejected(_) => collected.rejected += 1,
                BloodPressureOutput::Finished(result) => {
                    collected.interrupted = result.err().map(|error| error.to_string());
                }
            })
            .await;
            for record in &bp_records {
                let person = match record.user {
                    CuffUser::Id(user) => journal.person_for_device_user(device, user)?,
                    CuffUser::Unknown | CuffUser::NotSent => None,
                };
                collected.push(records::blood_pressure_entry(record, person, &provenance));
            }
        }
        MonitorKind::ContinuousGlucose => {
            // Time Offsets restart with every sensor session and the journal keeps one
            // sequence number per device, so each sync asks for the session's records and the
            // journal recognises those it has by time and value.
            let mut config = CgmSyncConfig::new(None, host);
            config.has_session_start_time = transport.has(Characteristic::CgmSessionStartTime);
            let mut session = CgmSync::new(config);
            drive(&mut session, transport, |output| match output {
                CgmOutput::Reading(reading) => {
                    collected.push(records::cgm_entry(&reading, &provenance));
                    on_event(SyncEvent::Progress {
                        received: u32::try_from(collected.entries.len()).unwrap_or(u32::MAX),
                        expected: None,
                    });
                }
                CgmOutput::Rejected(_) => collected.rejected += 1,
                CgmOutput::SessionStart(_) => {}
                CgmOutput::Finished(result) => {
                    collected.interrupted = result.err().map(|error| error.to_string());
                }
            })
            .await;
        }
        listening => {
            let heard = listen::listen(transport, listening, listen::QUIET_PERIOD).await;
            for (received, (characteristic, value)) in (1..).zip(&heard.values) {
                on_event(SyncEvent::Progress {
                    received,
                    expected: None,
                });
                match listen::entries(*characteristic, value, &provenance) {
                    Ok(entries) => collected.entries.extend(entries),
                    Err(_) => collected.rejected += 1,
                }
            }
            collected.interrupted = heard.interrupted;
        }
    }
    let outcomes = journal.add_all(&collected.entries)?;
    let refused = count(&outcomes, Result::is_err);
    let outcomes: Vec<AddOutcome> = outcomes.into_iter().flatten().collect();
    if let Some(resume_after) = collected.resume_after {
        // Storing readings only raises the resume point; the session knows when it must be
        // lower (the meter was reset, or a cut-off transfer left a gap).
        journal.set_last_sequence(device, resume_after.map(i64::from))?;
    }
    journal.record_sync(
        device,
        &SyncMark {
            kind: options.kind,
            battery_percent,
            at: Utc::now(),
        },
    )?;
    let new = count(&outcomes, |o| matches!(o, AddOutcome::Added(_)));
    Ok(SyncReport {
        device,
        new,
        already_present: count(&outcomes, |o| matches!(o, AddOutcome::AlreadyPresent(_))),
        rejected: collected.rejected.saturating_add(refused),
        interrupted: collected.interrupted,
    })
}

/// Entries gathered during a session.
#[derive(Debug, Default)]
struct Collected {
    entries: Vec<NewEntry>,
    rejected: u32,
    interrupted: Option<String>,
    /// Where the next glucose sync starts, as the session says (`Some(None)`: from the first).
    resume_after: Option<Option<u16>>,
}

impl Collected {
    fn push(&mut self, entry: Result<NewEntry, records::Unusable>) {
        match entry {
            Ok(entry) => self.entries.push(entry),
            Err(_) => self.rejected += 1,
        }
    }
}

fn count<T>(outcomes: &[T], pick: impl Fn(&T) -> bool) -> u32 {
    u32::try_from(outcomes.iter().filter(|o| pick(o)).count()).unwrap_or(u32::MAX)
}

/// The host's clock, read once now.
pub fn host_clock() -> HostClock {
    let local = chrono::Local::now();
    HostClock {
        at: Instant::now(),
        utc: local.with_timezone(&Utc),
        offset: *local.offset(),
    }
}

/// Reads the Device Information strings and the battery level the monitor offers.
async fn read_device_information<T: Transport>(
    transport: &mut T,
    identity: &str,
    on_event: &mut (impl FnMut(SyncEvent) + Send),
) -> (DeviceInfo, Option<u8>) {
    let maker = read_string(transport, Characteristic::ManufacturerName).await;
    let model = read_string(transport, Characteristic::ModelNumber).await;
    let serial = read_string(transport, Characteristic::SerialNumber).await;
    let firmware = read_string(transport, Characteristic::FirmwareRevision).await;
    let battery_percent = if transport.has(Characteristic::BatteryLevel) {
        match transport.read(Characteristic::BatteryLevel).await {
            Ok(value) => decode_battery_level(&value).ok(),
            Err(_) => None,
        }
    } else {
        None
    };
    on_event(SyncEvent::DeviceInformation {
        maker: maker.clone(),
        model: model.clone(),
        battery_percent,
    });
    let info = DeviceInfo {
        identity: identity.to_owned(),
        maker,
        model,
        serial,
        firmware,
    };
    (info, battery_percent)
}

async fn read_string<T: Transport>(
    transport: &mut T,
    characteristic: Characteristic,
) -> Option<String> {
    if !transport.has(characteristic) {
        return None;
    }
    let value = transport.read(characteristic).await.ok()?;
    let text = decode_string(&value);
    (!text.is_empty()).then_some(text)
}

/// Compares the monitor's clock with the host's (and sets it when allowed), records the drift
/// in the journal, and says how to date the stored records.
async fn check_clock<T: Transport>(
    transport: &mut T,
    journal: &mut Journal,
    device: DeviceId,
    host: &HostClock,
    options: &SyncOptions,
    on_event: &mut (impl FnMut(SyncEvent) + Send),
) -> Result<DeviceClock, SyncError> {
    let unverified = DeviceClock::Unverified { zone: host.offset };
    if !transport.has(Characteristic::CurrentTime) {
        return Ok(unverified);
    }
    let mut config = ClockCheckConfig::new(*host);
    config.writable = options.set_clock;
    config.patient_agreed = options.set_clock;
    let mut session = ClockCheck::new(config);
    let mut outcome: Option<ClockOutput> = None;
    drive(&mut session, transport, |output| outcome = Some(output)).await;
    match outcome {
        Some(Ok(report)) => {
            let drift_s = report.drift.map(|drift| drift.num_seconds());
            if let Some(drift_s) = drift_s {
                journal.set_clock_drift(device, drift_s)?;
            }
            on_event(SyncEvent::Clock {
                drift_s,
                set: report.correction == Correction::Written,
            });
            Ok(report.clock_for_stored_records(host))
        }
        _ => Ok(unverified),
    }
}
