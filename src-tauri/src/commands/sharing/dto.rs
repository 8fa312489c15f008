//! What the Sharing screen shows and sends: care teams with their grants and queues, the
//! transmission log and the consent changes; the form to add a care team and its grant.

use std::collections::BTreeSet;

use chrono::{DateTime, NaiveDate, Utc};
use journal::sharing::{
    ConsentChange, Grant, GrantState, QueueStatus, Recipient, SignIn, Transmission,
};
use readings::Kind;
use serde::{Deserialize, Serialize};
use sharing::terms::{Choice, Since};
use specta::Type;

use crate::error::IpcError;

/// Everything the Sharing screen shows.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SharingView {
    /// The care teams, in the order they were set up.
    pub care_teams: Vec<CareTeamView>,
    /// The newest send attempts first (at most 100).
    pub log: Vec<TransmissionView>,
    /// The newest consent changes first (at most 50).
    pub changes: Vec<ConsentView>,
    /// The kinds of readings that can be shared.
    pub shareable: Vec<Kind>,
    /// Why nothing can be sent from this computer, if so.
    pub problem: Option<String>,
}

/// How Vitalog signs in to a care team.
#[derive(Debug, Clone, Copy, Serialize, Type)]
#[serde(rename_all = "kebab-case")]
pub enum SignInView {
    /// A token the clinic issued.
    Token,
    /// SMART on FHIR.
    Smart,
}

/// Whether a grant is in force.
#[derive(Debug, Clone, Copy, Serialize, Type)]
#[serde(rename_all = "kebab-case")]
pub enum GrantStateView {
    /// Sending.
    Active,
    /// Holding new readings until resumed.
    Paused,
    /// Stopped by the patient.
    Revoked,
    /// Past its end date.
    Ended,
}

/// What a care team receives.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct GrantView {
    /// The kinds of readings.
    pub kinds: Vec<Kind>,
    /// Whether notes go with them.
    pub notes: bool,
    /// Readings taken from then on (RFC 3339); none: the whole history.
    pub since: Option<String>,
    /// New readings as they arrive.
    pub realtime: bool,
    /// When sharing ends (RFC 3339).
    pub until: Option<String>,
    /// Whether it is in force.
    pub state: GrantStateView,
}

/// A care team as the Sharing screen shows it.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct CareTeamView {
    /// Its id.
    pub id: i64,
    /// The name the patient gave it.
    pub name: String,
    /// Its FHIR server.
    pub fhir_base: String,
    /// The patient on that server.
    pub patient: Option<String>,
    /// How Vitalog signs in.
    pub sign_in: SignInView,
    /// What it receives; none until granted.
    pub grant: Option<GrantView>,
    /// Readings waiting to go.
    pub pending: u32,
    /// Readings its server refused.
    pub refused: u32,
    /// When the next try is due (RFC 3339), when sends are failing.
    pub next_attempt: Option<String>,
    /// What went wrong last, when sends are failing or refused.
    pub problem: Option<String>,
    /// When a reading last reached its server (RFC 3339).
    pub last_delivered: Option<String>,
}

/// One send attempt.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct TransmissionView {
    /// Its place in the log.
    pub id: i64,
    /// The care team.
    pub care_team: String,
    /// When (RFC 3339).
    pub at: String,
    /// The kinds of readings it carried.
    pub kinds: Vec<Kind>,
    /// How many resources the server named.
    pub resources: u32,
    /// `delivered`, `retry` or `refused`.
    pub result: String,
    /// What the server said.
    pub detail: String,
}

/// One change to what is shared.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ConsentView {
    /// The care team.
    pub care_team: String,
    /// When (RFC 3339).
    pub at: String,
    /// Where the change was made.
    pub by: String,
    /// What changed.
    pub what: String,
}

/// From when a grant reaches back.
#[derive(Debug, Clone, Deserialize, Type)]
#[serde(rename_all = "kebab-case", tag = "from")]
pub enum SinceInput {
    /// Only readings from now on.
    OnlyNew,
    /// Readings from this day (`YYYY-MM-DD`) on.
    Day {
        /// The first day.
        day: String,
    },
    /// The whole history.
    Everything,
}

/// What the patient grants a care team.
#[derive(Debug, Clone, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct GrantInput {
    /// The kinds of readings.
    pub kinds: Vec<Kind>,
    /// Whether notes go with them.
    pub notes: bool,
    /// From when.
    pub since: SinceInput,
    /// New readings as they arrive.
    pub realtime: bool,
    /// The last day of sharing (`YYYY-MM-DD`).
    pub until: Option<String>,
}

/// A care team to set up, with what it receives.
#[derive(Debug, Clone, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct CareTeamInput {
    /// The name the patient knows it by.
    pub name: String,
    /// Its FHIR server's base address.
    pub fhir_base: String,
    /// The patient on that server (`Patient/<id>`).
    pub patient: String,
    /// The access token the clinic issued.
    pub token: String,
    /// What it receives.
    pub grant: GrantInput,
}

/// A care team that signs Vitalog in with SMART on FHIR, with what it receives.
#[derive(Debug, Clone, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SmartCareTeamInput {
    /// The name the patient knows it by.
    pub name: String,
    /// Its FHIR server's base address.
    pub fhir_base: String,
    /// Vitalog's client id on that server, as the clinic registered it.
    pub client_id: String,
    /// What it receives.
    pub grant: GrantInput,
}

fn day(text: &str, what: &str) -> Result<NaiveDate, IpcError> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| IpcError::invalid(format!("Choose the {what} from the calendar.")))
}

impl GrantInput {
    /// The patient's choice, checked.
    pub fn choice(&self) -> Result<Choice, IpcError> {
        let kinds: BTreeSet<Kind> = self.kinds.iter().copied().collect();
        if kinds.is_empty() {
            return Err(IpcError::invalid(
                "Choose at least one kind of reading to share.",
            ));
        }
        Ok(Choice {
            kinds,
            notes: self.notes,
            since: match &self.since {
                SinceInput::OnlyNew => Since::OnlyNew,
                SinceInput::Everything => Since::Everything,
                SinceInput::Day { day: d } => Since::Day(day(d, "first day")?),
            },
            realtime: self.realtime,
            until: self
                .until
                .as_deref()
                .filter(|u| !u.is_empty())
                .map(|u| day(u, "last day"))
                .transpose()?,
        })
    }
}

fn time(t: DateTime<Utc>) -> String {
    t.to_rfc3339()
}

fn count(n: u64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl GrantView {
    fn new(grant: &Grant, now: DateTime<Utc>) -> Self {
        Self {
            kinds: grant.kinds.iter().copied().collect(),
            notes: grant.notes,
            since: grant.since.map(time),
            realtime: grant.realtime,
            until: grant.until.map(time),
            state: if grant.expired(now) {
                GrantStateView::Ended
            } else {
                match grant.state {
                    GrantState::Active => GrantStateView::Active,
                    GrantState::Paused => GrantStateView::Paused,
                    GrantState::Revoked => GrantStateView::Revoked,
                }
            },
        }
    }
}

impl CareTeamView {
    /// The view of `recipient` with its queue.
    pub fn new(recipient: &Recipient, status: Option<&QueueStatus>, now: DateTime<Utc>) -> Self {
        Self {
            id: recipient.id.0,
            name: recipient.name.clone(),
            fhir_base: recipient.fhir_base.clone(),
            patient: recipient.patient.clone(),
            sign_in: match recipient.sign_in {
                SignIn::Token => SignInView::Token,
                SignIn::Smart => SignInView::Smart,
            },
            grant: recipient.grant.as_ref().map(|g| GrantView::new(g, now)),
            pending: count(status.map_or(0, |s| s.pending)),
            refused: count(status.map_or(0, |s| s.refused)),
            next_attempt: status.and_then(|s| s.next_attempt).map(time),
            problem: status.and_then(|s| s.problem.clone()),
            last_delivered: status.and_then(|s| s.last_delivered).map(time),
        }
    }
}

/// The name of the care team with `id` among `recipients`.
pub fn name_of(recipients: &[Recipient], id: journal::sharing::RecipientId) -> String {
    recipients
        .iter()
        .find(|r| r.id == id)
        .map_or_else(String::new, |r| r.name.clone())
}

impl TransmissionView {
    /// The view of one log record.
    pub fn new(t: &Transmission, recipients: &[Recipient]) -> Self {
        Self {
            id: t.id,
            care_team: name_of(recipients, t.recipient),
            at: time(t.at),
            kinds: t.kinds.clone(),
            resources: count(t.resources.len() as u64),
            result: t.result.clone(),
            detail: t.detail.clone(),
        }
    }
}

impl ConsentView {
    /// The view of one consent change.
    pub fn new(c: &ConsentChange, recipients: &[Recipient]) -> Self {
        Self {
            care_team: name_of(recipients, c.recipient),
            at: time(c.at),
            by: c.by.clone(),
            what: c.what.clone(),
        }
    }
}
