//! One round of sending: take what the journal says is due (checked against each grant as
//! it stands now), send each care team its readings in transaction Bundles of up to
//! [`BATCH`], and record every outcome in the journal before the next send. A Bundle the
//! server refuses is split in halves until the reading at fault is alone, so one bad reading
//! never holds back the rest; when a server is down or busy, that care team's whole queue
//! waits for the backoff.

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Weak};

use chrono::{DateTime, Utc};
use journal::Journal;
use journal::sharing::{Due, DueItem, Outcome, Recipient, Sent, SignIn};
use serde::Serialize;
use zeroize::Zeroizing;

use crate::SharingError;
use crate::address::Address;
use crate::backoff;
use crate::client::{Answer, FhirClient};
use crate::reply::{self, Reply};
use crate::smart::{self, SavedSignIn};

/// The journal as the app and the CLI share it with the sender.
pub type SharedJournal = Arc<tokio::sync::Mutex<Journal>>;

/// The sender's hold on the journal: it takes the journal only while it reads or records, so
/// locking the app is never kept waiting on a slow server (the round just ends).
pub type JournalRef = Weak<tokio::sync::Mutex<Journal>>;

/// Readings per transaction Bundle.
pub const BATCH: usize = 100;

/// Readings taken from the queue per care team and round.
const ROUND: u32 = 1000;

/// What a round did for one care team, in readings.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Tally {
    /// Now on the server.
    pub delivered: u64,
    /// Waiting to be tried again.
    pub retrying: u64,
    /// Refused by the server for good.
    pub refused: u64,
}

/// What a round did, per care team name.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize)]
pub struct Round {
    /// Each care team's tally.
    pub recipients: BTreeMap<String, Tally>,
}

impl Round {
    /// Whether the round sent anything at all.
    pub fn is_empty(&self) -> bool {
        self.recipients.is_empty()
    }
}

/// Sends everything due now. Returns what happened; a failed send is recorded in the journal
/// (and counted here), not returned as an error.
pub async fn send_due(
    journal: &JournalRef,
    client: &FhirClient,
    version: &str,
) -> Result<Round, SharingError> {
    let Some(held) = journal.upgrade() else {
        return Ok(Round::default());
    };
    let due = held.lock().await.sharing_due(Utc::now(), ROUND)?;
    drop(held);
    let mut round = Round::default();
    for due in due {
        let tally = round
            .recipients
            .entry(due.recipient.name.clone())
            .or_default();
        deliver(journal, client, due, version, tally).await?;
    }
    Ok(round)
}

/// Why a care team cannot be sent anything until the patient acts, if so.
fn blocked(recipient: &Recipient) -> Option<String> {
    if let Err(e) = Address::parse(&recipient.fhir_base) {
        return Some(e.to_string());
    }
    if recipient.patient.is_none() {
        return Some("Vitalog does not know who you are on this server: give the patient reference the clinic gave you".into());
    }
    None
}

/// The access token to send with, refreshing a SMART sign-in that is about to expire (and
/// saving the refreshed one). `Err` carries what the patient is told.
async fn bearer(
    journal: &JournalRef,
    client: &FhirClient,
    recipient: &Recipient,
    secret: &str,
) -> Result<Zeroizing<String>, SharingError> {
    if recipient.sign_in == SignIn::Token {
        return Ok(Zeroizing::new(secret.to_owned()));
    }
    let saved = SavedSignIn::from_secret(secret)?;
    if !saved.needs_refresh(Utc::now()) {
        return Ok(Zeroizing::new(saved.access_token.clone()));
    }
    let refreshed = smart::refresh(client, &saved).await?;
    with_journal(journal, |j| {
        j.save_sign_in(recipient.id, &refreshed.to_secret(), None)
    })
    .await?;
    Ok(Zeroizing::new(refreshed.access_token.clone()))
}

/// Marks a SMART sign-in for refresh before the next try (the server refused its token).
async fn expire_sign_in(
    journal: &JournalRef,
    recipient: &Recipient,
    secret: &str,
) -> Result<(), SharingError> {
    if recipient.sign_in != SignIn::Smart {
        return Ok(());
    }
    if let Ok(mut saved) = SavedSignIn::from_secret(secret) {
        saved.expires_at = Utc::now();
        with_journal(journal, |j| {
            j.save_sign_in(recipient.id, &saved.to_secret(), None)
        })
        .await?;
    }
    Ok(())
}

/// Runs `work` on the journal, unless it was locked meanwhile (then `None`).
async fn with_journal<T>(
    journal: &JournalRef,
    work: impl FnOnce(&mut Journal) -> journal::Result<T>,
) -> Result<Option<T>, SharingError> {
    let Some(held) = journal.upgrade() else {
        return Ok(None);
    };
    let mut guard = held.lock().await;
    Ok(Some(work(&mut guard)?))
}

async fn deliver(
    journal: &JournalRef,
    client: &FhirClient,
    due: Due,
    version: &str,
    tally: &mut Tally,
) -> Result<(), SharingError> {
    let Due {
        recipient,
        secret,
        gateway,
        items,
    } = due;
    if let Some(problem) = blocked(&recipient) {
        tally.refused += items.len() as u64;
        let sent = sent(&recipient, &items, Vec::new());
        with_journal(journal, |j| {
            j.record_send(&sent, &Outcome::Refused { problem })
        })
        .await?;
        return Ok(());
    }
    let base = Address::parse(&recipient.fhir_base)?;
    let patient = recipient.patient.clone().unwrap_or_default();
    let attempts = items.iter().map(|i| i.attempts).max().unwrap_or(0);
    let token = match bearer(journal, client, &recipient, &secret).await {
        Ok(token) => token,
        Err(SharingError::Smart(problem)) => {
            // No usable sign-in: the whole queue waits, and the patient is told why.
            tally.retrying += items.len() as u64;
            let after = Utc::now() + backoff::wait(attempts, None);
            let sent = sent(&recipient, &items, Vec::new());
            return hold(journal, &recipient, &sent, after, problem.to_string()).await;
        }
        Err(other) => return Err(other),
    };
    let mut batches: VecDeque<Vec<DueItem>> = VecDeque::new();
    let mut items = items.into_iter().peekable();
    while items.peek().is_some() {
        batches.push_back(items.by_ref().take(BATCH).collect());
    }
    while let Some(batch) = batches.pop_front() {
        let upload: Vec<fhir::upload::UploadItem<'_>> = batch
            .iter()
            .map(|item| fhir::upload::UploadItem {
                entry: &item.entry,
                device: item.device.as_ref(),
                update: item.update,
                with_note: item.with_note,
            })
            .collect();
        let transaction = fhir::upload::transaction(&fhir::upload::UploadInput {
            items: &upload,
            patient: &patient,
            gateway: &gateway,
            version,
        });
        let answer = client
            .transaction(&base, token.as_str(), transaction.json)
            .await;
        let now = Utc::now();
        let attempts = batch.iter().map(|i| i.attempts).max().unwrap_or(0);
        let reply = match answer {
            Answer::Unreachable(problem) => Reply::Retry {
                problem,
                retry_after: None,
            },
            Answer::Http {
                status,
                retry_after,
                body,
            } => reply::interpret(
                status,
                retry_after.and_then(|h| backoff::retry_after(&h, now)),
                &body,
                transaction.carries.len(),
            ),
        };
        let record = sent(&recipient, &batch, transaction.identifiers);
        let outcome = match reply {
            Reply::Stored { locations } => {
                tally.delivered += batch.len() as u64;
                Outcome::Delivered {
                    resources: observations(&locations, &transaction.carries),
                }
            }
            Reply::Retry {
                problem,
                retry_after,
            } => {
                let after = now + backoff::wait(attempts, retry_after);
                let waiting = batch.len() + batches.iter().map(Vec::len).sum::<usize>();
                tally.retrying += waiting as u64;
                return hold(journal, &recipient, &record, after, problem).await;
            }
            Reply::SignedOut { problem } => {
                expire_sign_in(journal, &recipient, &secret).await?;
                let advice = match recipient.sign_in {
                    SignIn::Smart => {
                        "Vitalog signs in again before the next try; if that keeps failing, sign in to this care team again"
                    }
                    SignIn::Token => {
                        "the clinic's token may have expired: ask the clinic for a new one"
                    }
                };
                let after = now + backoff::wait(attempts, None);
                let waiting = batch.len() + batches.iter().map(Vec::len).sum::<usize>();
                tally.retrying += waiting as u64;
                return hold(
                    journal,
                    &recipient,
                    &record,
                    after,
                    format!("{problem}; {advice}"),
                )
                .await;
            }
            Reply::Refused { .. } | Reply::TooLarge if batch.len() > 1 => {
                let mut batch = batch;
                let second = batch.split_off(batch.len() / 2);
                batches.push_front(second);
                batches.push_front(batch);
                continue;
            }
            Reply::Refused { problem } => {
                tally.refused += 1;
                Outcome::Refused { problem }
            }
            Reply::TooLarge => {
                tally.refused += 1;
                Outcome::Refused {
                    problem: "the server says even one reading is too large to accept".into(),
                }
            }
        };
        if with_journal(journal, |j| j.record_send(&record, &outcome))
            .await?
            .is_none()
        {
            // Locked meanwhile: what was sent is sent again after the next unlock, and the
            // server keeps one copy.
            return Ok(());
        }
    }
    Ok(())
}

/// Records a failed send and holds the care team's whole queue until `after`: the rest of it
/// would meet the same server.
async fn hold(
    journal: &JournalRef,
    recipient: &Recipient,
    record: &Sent,
    after: DateTime<Utc>,
    problem: String,
) -> Result<(), SharingError> {
    let outcome = Outcome::Retry { after, problem };
    with_journal(journal, |j| {
        j.record_send(record, &outcome)?;
        j.hold_sharing(recipient.id, after)
    })
    .await?;
    Ok(())
}

/// What a send carried, for the journal.
fn sent(recipient: &Recipient, batch: &[DueItem], identifiers: Vec<String>) -> Sent {
    Sent {
        recipient: recipient.id,
        entries: batch
            .iter()
            .map(|i| (i.entry.id, i.entry.version))
            .collect(),
        kinds: batch.iter().map(|i| i.entry.content.kind()).collect(),
        identifiers,
    }
}

/// The Observations' locations without their version (`Observation/123`).
fn observations(locations: &[String], carries: &[Option<usize>]) -> Vec<String> {
    locations
        .iter()
        .zip(carries)
        .filter(|(_, carried)| carried.is_some())
        .map(|(location, _)| match location.find("/_history/") {
            Some(cut) => location[..cut].to_owned(),
            None => location.clone(),
        })
        .filter(|location| !location.is_empty())
        .collect()
}

/// When the next queued reading is due for any care team, if one waits on a backoff.
pub fn next_due(journal: &Journal) -> Result<Option<DateTime<Utc>>, SharingError> {
    Ok(journal
        .sharing_status()?
        .iter()
        .filter_map(|s| s.next_attempt)
        .min())
}
