//! A simulated clock, a driver that runs a session against it, and scripted peers.

use std::time::{Duration, Instant};

use ble_proto::characteristic::Characteristic;
use ble_proto::session::{Action, Event, Session};

/// One thing the simulated link reports, owning its octets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ev {
    Connected,
    Subscribed(Characteristic),
    Ack(Characteristic),
    Read(Characteristic, Vec<u8>),
    Notify(Characteristic, Vec<u8>),
    AttError(Characteristic, u8),
    Disconnected,
}

impl Ev {
    pub fn as_event(&self) -> Event<'_> {
        match self {
            Ev::Connected => Event::Connected,
            Ev::Subscribed(characteristic) => Event::Subscribed(*characteristic),
            Ev::Ack(characteristic) => Event::WriteAcknowledged(*characteristic),
            Ev::Read(characteristic, value) => Event::ReadCompleted {
                characteristic: *characteristic,
                value,
            },
            Ev::Notify(characteristic, value) => Event::Notification {
                characteristic: *characteristic,
                value,
            },
            Ev::AttError(characteristic, code) => Event::AttError {
                characteristic: *characteristic,
                code: *code,
            },
            Ev::Disconnected => Event::Disconnected,
        }
    }
}

/// Drives a session with a simulated monotonic clock, logging every action and output.
pub struct Driver<S: Session> {
    pub session: S,
    pub start: Instant,
    pub now: Instant,
    /// Every action the session asked for, timers included, in order.
    pub actions: Vec<Action>,
    /// GATT actions (subscribe, write, read) not yet answered by a peer.
    pub pending: Vec<Action>,
    pub outputs: Vec<S::Output>,
    pub timer: Option<Instant>,
}

impl<S: Session> Driver<S> {
    pub fn new(session: S, start: Instant) -> Self {
        Driver {
            session,
            start,
            now: start,
            actions: Vec::new(),
            pending: Vec::new(),
            outputs: Vec::new(),
            timer: None,
        }
    }

    pub fn feed(&mut self, event: &Ev) {
        self.session.handle_event(event.as_event(), self.now);
        self.drain();
    }

    pub fn drain(&mut self) {
        while let Some(action) = self.session.poll_action() {
            match &action {
                Action::SetTimer(deadline) => self.timer = Some(*deadline),
                Action::CancelTimer => self.timer = None,
                Action::Subscribe { .. } | Action::Write { .. } | Action::Read(_) => {
                    self.pending.push(action.clone());
                }
                Action::Disconnect => {}
            }
            self.actions.push(action);
        }
        while let Some(output) = self.session.poll_output() {
            self.outputs.push(output);
        }
        assert_eq!(
            self.session.poll_timeout(),
            self.timer,
            "timer actions agree with poll_timeout"
        );
    }

    /// Moves the clock forward, firing the timer on the way when it falls due.
    pub fn advance(&mut self, by: Duration) {
        let target = self.now + by;
        while let Some(deadline) = self.timer.filter(|deadline| *deadline <= target) {
            self.now = deadline.max(self.now);
            self.session.handle_event(Event::Timer, self.now);
            self.drain();
            if self.timer == Some(deadline) {
                break;
            }
        }
        self.now = target;
    }

    /// Feeds a timer event at the current time, whatever deadline is armed: a link's timer
    /// may fire early or late, and the session must check `now` against its own deadline.
    /// (`advance` only fires timers at the deadline the session asked for.)
    pub fn fire_timer(&mut self) {
        self.session.handle_event(Event::Timer, self.now);
        self.drain();
    }

    /// Takes the GATT actions waiting for an answer.
    pub fn take_pending(&mut self) -> Vec<Action> {
        std::mem::take(&mut self.pending)
    }

    /// The writes the session made to a characteristic, in order.
    pub fn writes_to(&self, characteristic: Characteristic) -> Vec<Vec<u8>> {
        self.actions
            .iter()
            .filter_map(|action| match action {
                Action::Write {
                    characteristic: target,
                    value,
                } if *target == characteristic => Some(value.clone()),
                _ => None,
            })
            .collect()
    }

    /// The GATT actions and disconnects, without timer bookkeeping.
    pub fn link_actions(&self) -> Vec<Action> {
        self.actions
            .iter()
            .filter(|action| !matches!(action, Action::SetTimer(_) | Action::CancelTimer))
            .cloned()
            .collect()
    }
}

/// A scripted peer: answers the session's GATT actions with link events.
pub trait Peer {
    fn answer(&mut self, action: &Action) -> Vec<Ev>;
}

/// Runs the session against a peer until nothing more happens; fires the timer when the link
/// is idle. Returns when the session is finished or after `max_steps` idle periods.
pub fn run<S: Session, P: Peer>(driver: &mut Driver<S>, peer: &mut P) {
    driver.feed(&Ev::Connected);
    settle(driver, peer);
}

/// Answers pending actions until the session finishes or goes idle with no timer.
pub fn settle<S: Session, P: Peer>(driver: &mut Driver<S>, peer: &mut P) {
    for _ in 0..10_000 {
        if driver.session.is_finished() {
            return;
        }
        let pending = driver.take_pending();
        if pending.is_empty() {
            match driver.timer {
                Some(deadline) => {
                    let by = deadline.saturating_duration_since(driver.now);
                    driver.advance(by);
                    continue;
                }
                None => return,
            }
        }
        for action in pending {
            for event in peer.answer(&action) {
                driver.feed(&event);
            }
        }
    }
    panic!("the session did not settle");
}
