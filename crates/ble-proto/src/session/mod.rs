//! Sans-IO device sessions: state machines that say what to do on a Bluetooth LE link and turn
//! what the device sends into records for the journal.
//!
//! A session performs no I/O and reads no clock. The Bluetooth link crate drives it:
//!
//! 1. feed everything that happens on the link with [`Session::handle_event`] and the current
//!    monotonic time ([`Event::Connected`], an acknowledged write, a notification, a read value,
//!    an ATT error, a fired timer, the disconnection);
//! 2. after each event, drain [`Session::poll_action`] and perform the [`Action`]s in order
//!    (subscribe, write, read, arm or cancel the timer, disconnect);
//! 3. drain [`Session::poll_output`] for records, progress and the final outcome;
//! 4. stop when [`Session::is_finished`] is true.
//!
//! Sessions issue **one GATT operation at a time**: after a subscribe, write or read action the
//! next one comes only once the link reports its completion
//! ([`Event::Subscribed`], [`Event::WriteAcknowledged`], [`Event::ReadCompleted`]) or failure
//! ([`Event::AttError`]). Timer actions and disconnects are not GATT operations.
//!
//! A link task drives any session the same way:
//!
//! ```
//! use std::time::Instant;
//!
//! use ble_proto::session::glucose::{GlucoseSync, GlucoseSyncConfig};
//! use ble_proto::session::{Action, Characteristic, Event, Session, Subscription};
//!
//! let mut sync = GlucoseSync::new(GlucoseSyncConfig::new(Some(41)));
//! sync.handle_event(Event::Connected, Instant::now());
//! assert_eq!(
//!     sync.poll_action(),
//!     Some(Action::Subscribe {
//!         characteristic: Characteristic::GlucoseMeasurement,
//!         subscription: Subscription::Notify,
//!     })
//! );
//! // The link writes 01 00 to the CCCD, then reports it done:
//! sync.handle_event(Event::Subscribed(Characteristic::GlucoseMeasurement), Instant::now());
//! while let Some(action) = sync.poll_action() {
//!     match action {
//!         Action::Subscribe { characteristic, subscription } => {
//!             // Write subscription.cccd_value() to the CCCD; feed Event::Subscribed.
//!         }
//!         Action::Write { characteristic, value } => {
//!             // Write with response; feed Event::WriteAcknowledged or Event::AttError.
//!         }
//!         Action::Read(characteristic) => {
//!             // Read; feed Event::ReadCompleted or Event::AttError.
//!         }
//!         Action::SetTimer(deadline) => {
//!             // Sleep until the deadline, then feed Event::Timer.
//!         }
//!         Action::CancelTimer => {}
//!         Action::Disconnect => {
//!             // Close the link; feed Event::Disconnected.
//!         }
//!     }
//! }
//! while let Some(output) = sync.poll_output() {
//!     // Records to the journal, progress to the UI, the outcome last.
//! }
//! ```
//!
//! The sessions: [`glucose::GlucoseSync`] (GLS record transfer over RACP),
//! [`blood_pressure::BloodPressureTransfer`] (BLS stored measurements by indication),
//! [`cgm::CgmSync`] (CGMS records dated from the session start) and [`clock::ClockCheck`]
//! (Current Time drift and correction).

use std::time::{Duration, Instant};

pub use crate::characteristic::Characteristic;

pub mod blood_pressure;
pub mod cgm;
pub mod clock;
pub mod glucose;

/// The ATT transaction timeout: how long a session waits for the device after a write response
/// or the last notification (GLS 1.0, §5.2 of STANDARDS).
pub const ATT_TIMEOUT: Duration = Duration::from_secs(30);

/// Something that happened on the link, fed to [`Session::handle_event`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event<'a> {
    /// The link is up, encrypted and its services discovered: the session may start.
    Connected,
    /// The Client Characteristic Configuration descriptor of this characteristic was written
    /// (notifications or indications are now on).
    Subscribed(Characteristic),
    /// A write (with response) to this characteristic was acknowledged.
    WriteAcknowledged(Characteristic),
    /// A read of this characteristic returned this value.
    ReadCompleted {
        /// The characteristic that was read.
        characteristic: Characteristic,
        /// The value read.
        value: &'a [u8],
    },
    /// A notification or indication of this characteristic carried this value.
    Notification {
        /// The characteristic that notified or indicated.
        characteristic: Characteristic,
        /// The value carried.
        value: &'a [u8],
    },
    /// The last subscribe, write or read on this characteristic failed with this ATT error code
    /// (for example 0x81 "Client Characteristic Configuration Descriptor improperly
    /// configured" or 0x80 "Procedure Already In Progress" for a RACP write).
    AttError {
        /// The characteristic of the failed operation.
        characteristic: Characteristic,
        /// The ATT error code (0x01–0xFF); 0 when the platform gave no code.
        code: u8,
    },
    /// The timer armed by [`Action::SetTimer`] fired. Early or stale timers are ignored: a
    /// session checks `now` against its own deadline.
    Timer,
    /// The link is gone.
    Disconnected,
}

/// How a session wants to be told about a characteristic's new values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Subscription {
    /// Notifications: CCCD value 0x0001.
    Notify,
    /// Indications: CCCD value 0x0002.
    Indicate,
}

impl Subscription {
    /// The two octets to write to the Client Characteristic Configuration descriptor.
    pub const fn cccd_value(self) -> [u8; 2] {
        match self {
            Subscription::Notify => [0x01, 0x00],
            Subscription::Indicate => [0x02, 0x00],
        }
    }
}

/// What a session asks the link to do next, from [`Session::poll_action`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Write the CCCD of `characteristic` to enable notifications or indications; answer with
    /// [`Event::Subscribed`] or [`Event::AttError`].
    Subscribe {
        /// The characteristic whose CCCD to write.
        characteristic: Characteristic,
        /// Notifications or indications.
        subscription: Subscription,
    },
    /// Write `value` to `characteristic` with response; answer with
    /// [`Event::WriteAcknowledged`] or [`Event::AttError`].
    Write {
        /// The characteristic to write.
        characteristic: Characteristic,
        /// The octets to write.
        value: Vec<u8>,
    },
    /// Read `characteristic`; answer with [`Event::ReadCompleted`] or [`Event::AttError`].
    Read(Characteristic),
    /// Arm the session's single timer for this deadline, replacing any earlier one; feed
    /// [`Event::Timer`] when it passes.
    SetTimer(Instant),
    /// Disarm the session's timer.
    CancelTimer,
    /// Close the link.
    Disconnect,
}

/// A device session driven by the link: the shape every session of this module shares.
pub trait Session {
    /// What the session hands to the journal and the UI.
    type Output;

    /// Feeds one thing that happened on the link, at monotonic time `now`.
    fn handle_event(&mut self, event: Event<'_>, now: Instant);

    /// The next thing to do on the link, if any.
    fn poll_action(&mut self) -> Option<Action>;

    /// The next output (record, progress, outcome), if any.
    fn poll_output(&mut self) -> Option<Self::Output>;

    /// The deadline of the session's timer, if armed (the same deadline the last
    /// [`Action::SetTimer`] carried).
    fn poll_timeout(&self) -> Option<Instant>;

    /// Whether the session has reached its outcome; it then ignores further events.
    fn is_finished(&self) -> bool;
}

/// A session's single timer: remembers the deadline and queues the matching timer actions.
#[derive(Debug, Default)]
struct Timer {
    deadline: Option<Instant>,
}

impl Timer {
    /// Arms the timer for `deadline`, queueing [`Action::SetTimer`] when it changes.
    fn set(&mut self, deadline: Instant, actions: &mut std::collections::VecDeque<Action>) {
        if self.deadline != Some(deadline) {
            self.deadline = Some(deadline);
            actions.push_back(Action::SetTimer(deadline));
        }
    }

    /// Disarms the timer, queueing [`Action::CancelTimer`] when it was armed.
    fn cancel(&mut self, actions: &mut std::collections::VecDeque<Action>) {
        if self.deadline.take().is_some() {
            actions.push_back(Action::CancelTimer);
        }
    }

    /// Whether the deadline has passed at `now`.
    fn expired(&self, now: Instant) -> bool {
        self.deadline.is_some_and(|deadline| now >= deadline)
    }
}
