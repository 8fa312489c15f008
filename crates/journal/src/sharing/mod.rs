//! Sharing with care teams, as the journal keeps it: who the patient shares with
//! (`consent`: recipients, their grants and every change to them), what is waiting to go
//! (`outbox`, filled in the same transaction that stores or changes a reading, so nothing
//! covered by a grant is ever lost between the two) and what was sent (`log`, hash-chained).
//!
//! The journal decides *what* may be sent and keeps the state; the `sharing` crate does the
//! sending (FHIR over HTTPS) and reports each outcome back.

pub(crate) mod consent;
pub(crate) mod log;
pub(crate) mod outbox;

pub use log::LogProblem;

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use readings::{Flag, Kind};
use zeroize::Zeroizing;

use crate::model::{Device, Entry, EntryId, PersonId};

/// The kinds of entries a care team can receive: the readings, medications and insulin doses,
/// and notes. Meals and symptoms stay in the journal. (`fhir::upload` maps each of these; a
/// test there checks that none is left without a resource.)
pub const SHAREABLE: [Kind; 10] = [
    Kind::Glucose,
    Kind::BloodPressure,
    Kind::Weight,
    Kind::Temperature,
    Kind::SpO2,
    Kind::HeartRate,
    Kind::BodyFat,
    Kind::Medication,
    Kind::Insulin,
    Kind::Note,
];

/// Whether entries of `kind` can be shared at all.
pub fn shareable(kind: Kind) -> bool {
    SHAREABLE.contains(&kind)
}

/// A care team's id in this journal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RecipientId(pub i64);

/// How Vitalog signs in to a care team's FHIR server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignIn {
    /// A bearer token the clinic issued.
    Token,
    /// SMART on FHIR (OAuth 2 authorization code with PKCE in the system browser).
    Smart,
}

impl SignIn {
    fn as_str(self) -> &'static str {
        match self {
            SignIn::Token => "token",
            SignIn::Smart => "smart",
        }
    }

    fn parse(text: &str) -> Option<Self> {
        match text {
            "token" => Some(SignIn::Token),
            "smart" => Some(SignIn::Smart),
            _ => None,
        }
    }
}

/// A care team to set up.
pub struct NewRecipient {
    /// The name the patient knows them by ("Dr Okafor's clinic").
    pub name: String,
    /// The FHIR server's base URL.
    pub fhir_base: String,
    /// The patient on that server (`Patient/<id>`), when the clinic gave it.
    pub patient: Option<String>,
    /// How to sign in.
    pub sign_in: SignIn,
    /// The bearer token, or the SMART sign-in's saved state; kept only inside the journal.
    pub secret: Zeroizing<String>,
}

impl std::fmt::Debug for NewRecipient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewRecipient")
            .field("name", &self.name)
            .field("fhir_base", &self.fhir_base)
            .field("sign_in", &self.sign_in)
            .finish_non_exhaustive()
    }
}

/// A care team the patient set up, with what they may receive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient {
    /// Id.
    pub id: RecipientId,
    /// The name the patient knows them by.
    pub name: String,
    /// The FHIR server's base URL.
    pub fhir_base: String,
    /// The patient on that server (`Patient/<id>`); none until a SMART sign-in tells it.
    pub patient: Option<String>,
    /// How to sign in.
    pub sign_in: SignIn,
    /// What they may receive; none until the patient grants something.
    pub grant: Option<Grant>,
    /// When the patient set them up.
    pub created: DateTime<Utc>,
}

/// Whether a grant is in force.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GrantState {
    /// Readings it covers are queued and sent.
    Active,
    /// Readings it covers are queued but held until the patient resumes.
    Paused,
    /// Nothing is queued or sent; what was queued was cancelled.
    Revoked,
}

impl GrantState {
    /// The word stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            GrantState::Active => "active",
            GrantState::Paused => "paused",
            GrantState::Revoked => "revoked",
        }
    }

    fn parse(text: &str) -> Option<Self> {
        match text {
            "active" => Some(GrantState::Active),
            "paused" => Some(GrantState::Paused),
            "revoked" => Some(GrantState::Revoked),
            _ => None,
        }
    }
}

/// What a care team may receive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    /// The kinds of entries (only [`SHAREABLE`] ones).
    pub kinds: BTreeSet<Kind>,
    /// Whether the patient's own notes on a reading go with it (off unless chosen).
    pub notes: bool,
    /// Readings taken from this instant on; `None`: the whole history.
    pub since: Option<DateTime<Utc>>,
    /// Whether new readings go as they arrive; otherwise only when the patient sends.
    pub realtime: bool,
    /// When the grant ends by itself.
    pub until: Option<DateTime<Utc>>,
    /// Active, paused or revoked.
    pub state: GrantState,
    /// When the patient last changed it.
    pub changed: DateTime<Utc>,
}

/// What the patient grants (the stored [`Grant`] adds its state and time).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrantTerms {
    /// The kinds of readings.
    pub kinds: BTreeSet<Kind>,
    /// Whether notes on readings go with them.
    pub notes: bool,
    /// Readings from this instant on; `None`: the whole history.
    pub since: Option<DateTime<Utc>>,
    /// New readings as they arrive.
    pub realtime: bool,
    /// When the grant ends.
    pub until: Option<DateTime<Utc>>,
}

impl GrantTerms {
    /// The start of a grant for "only new readings" given at `now`: the start of the current
    /// minute, so a reading typed in or synced in the same minute as the grant (whose time
    /// may be stored to the second) is not left out.
    pub fn from_now(now: DateTime<Utc>) -> DateTime<Utc> {
        use chrono::{DurationRound, TimeDelta};
        now.duration_trunc(TimeDelta::minutes(1)).unwrap_or(now)
    }
}

impl Grant {
    /// Whether the grant has run out at `now`.
    pub fn expired(&self, now: DateTime<Utc>) -> bool {
        self.until.is_some_and(|until| until <= now)
    }

    /// Whether readings it covers may be sent at `now`.
    pub fn sends(&self, now: DateTime<Utc>) -> bool {
        self.state == GrantState::Active && !self.expired(now)
    }

    /// Whether readings it covers are kept in the outbox at `now` (sent, or held while paused).
    pub fn queues(&self, now: DateTime<Utc>) -> bool {
        self.state != GrantState::Revoked && !self.expired(now)
    }

    /// Whether the grant covers this reading: one of its kinds, the patient's own, taken since
    /// the grant's start, and a measurement of the patient (not a control-solution check).
    pub fn covers(&self, reading: &Shareable) -> bool {
        shareable(reading.kind)
            && self.kinds.contains(&reading.kind)
            && reading.person == PersonId(1)
            && !reading.control_solution
            && self.since.is_none_or(|since| reading.at >= since)
    }
}

/// What a grant looks at in a reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shareable {
    /// Its kind.
    pub kind: Kind,
    /// Whose it is.
    pub person: PersonId,
    /// When it was taken.
    pub at: DateTime<Utc>,
    /// Whether it checks the meter with control solution rather than measuring the patient.
    pub control_solution: bool,
}

impl Shareable {
    /// What a grant looks at in `entry`.
    pub fn of(entry: &Entry) -> Self {
        Self {
            kind: entry.content.kind(),
            person: entry.person,
            at: entry.at.with_timezone(&Utc),
            control_solution: entry.flags.contains(&Flag::ControlSolution),
        }
    }
}

/// A change the patient made to what is shared, as shown to them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentChange {
    /// The care team.
    pub recipient: RecipientId,
    /// When.
    pub at: DateTime<Utc>,
    /// Where the change was made ("app", "command line").
    pub by: String,
    /// What changed, in words ("shares glucose, blood pressure from 2026-03-01, real time").
    pub what: String,
}

/// The readings due for one care team, ready to send.
pub struct Due {
    /// The care team.
    pub recipient: Recipient,
    /// Its bearer token or SMART state.
    pub secret: Zeroizing<String>,
    /// The journal's gateway identity (this installation of Vitalog).
    pub gateway: String,
    /// The readings, as they are now.
    pub items: Vec<DueItem>,
}

impl std::fmt::Debug for Due {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Due")
            .field("recipient", &self.recipient.name)
            .field("items", &self.items.len())
            .finish_non_exhaustive()
    }
}

/// One reading to send.
#[derive(Debug, Clone)]
pub struct DueItem {
    /// The reading as it is now (`deleted` readings are sent as entered in error).
    pub entry: Entry,
    /// The monitor it came from.
    pub device: Option<Device>,
    /// Whether the server may already hold an earlier version (then it is updated, not created).
    pub update: bool,
    /// Whether the patient's note goes with it.
    pub with_note: bool,
    /// Failed attempts so far.
    pub attempts: u32,
}

/// What became of one send of some readings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The server holds them; the resources it named.
    Delivered {
        /// Server locations (`Observation/123`), for the log.
        resources: Vec<String>,
    },
    /// Try again after `after`.
    Retry {
        /// When to try again.
        after: DateTime<Utc>,
        /// What went wrong, for the patient.
        problem: String,
    },
    /// The server refused them for good; the patient needs to look.
    Refused {
        /// The server's reason.
        problem: String,
    },
}

/// The readings one send carried: each entry at the version sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sent {
    /// The care team.
    pub recipient: RecipientId,
    /// Each entry with the version that went.
    pub entries: Vec<(EntryId, i64)>,
    /// Their kinds, for the log.
    pub kinds: BTreeSet<Kind>,
    /// The identifiers of the resources sent (logged when the server named none).
    pub identifiers: Vec<String>,
}

/// How one care team's queue stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueStatus {
    /// The care team.
    pub recipient: RecipientId,
    /// Readings waiting to go.
    pub pending: u64,
    /// Readings the server refused for good.
    pub refused: u64,
    /// When the next try is due, if one is waiting on a backoff.
    pub next_attempt: Option<DateTime<Utc>>,
    /// The last problem, if the newest attempt failed.
    pub problem: Option<String>,
    /// When a reading last reached the server.
    pub last_delivered: Option<DateTime<Utc>>,
}

/// One attempt in the transmission log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transmission {
    /// Its place in the log, from 1.
    pub id: i64,
    /// The care team.
    pub recipient: RecipientId,
    /// When.
    pub at: DateTime<Utc>,
    /// The kinds of readings it carried.
    pub kinds: Vec<Kind>,
    /// The resources the server named (or, for a failure, how many readings went).
    pub resources: Vec<String>,
    /// `delivered`, `retry` or `refused`.
    pub result: String,
    /// What the server said, in words.
    pub detail: String,
}

/// The readings of a refused send, for the patient to look at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefusedItem {
    /// The care team.
    pub recipient: RecipientId,
    /// The reading.
    pub entry: EntryId,
    /// What the server said.
    pub problem: String,
}
