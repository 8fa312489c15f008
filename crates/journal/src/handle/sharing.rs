//! Sharing with care teams: set them up, grant, pause, resume and revoke (each written to the
//! consent log), take what is due for the sender, record what became of each send, and read
//! the queue's state and the transmission log.

use chrono::{DateTime, Utc};

use super::prelude::*;
use crate::sharing::{
    self, ConsentChange, Due, GrantState, GrantTerms, LogProblem, NewRecipient, Outcome,
    QueueStatus, Recipient, RecipientId, RefusedItem, Sent, Transmission, consent, outbox,
};

impl Journal {
    /// Sets up a care team; nothing is shared with it until [`Journal::grant`].
    /// `by` says where the patient did it ("app", "command line").
    pub fn add_recipient(&mut self, new: &NewRecipient, by: &str) -> Result<RecipientId> {
        self.write_tx(|tx| {
            let id = consent::add(tx, new, by)?;
            audit::record(tx, "share add", None)?;
            Ok(id)
        })
    }

    /// Every care team with its grant.
    pub fn recipients(&self) -> Result<Vec<Recipient>> {
        consent::list(&self.conn)
    }

    /// The care team called `name`.
    pub fn recipient(&self, name: &str) -> Result<Recipient> {
        consent::by_name(&self.conn, name)
    }

    /// A care team's saved sign-in (its token, or its SMART sign-in's state), for signing in
    /// again; it never leaves the journal but to the care team's own server.
    pub fn sign_in_secret(&self, id: RecipientId) -> Result<zeroize::Zeroizing<String>> {
        consent::secret(&self.conn, id)
    }

    /// Saves a care team's renewed sign-in (and the patient a SMART sign-in named).
    pub fn save_sign_in(
        &mut self,
        id: RecipientId,
        secret: &str,
        patient: Option<&str>,
    ) -> Result<()> {
        self.write_tx(|tx| consent::set_secret(tx, id, secret, patient))
    }

    /// Grants a care team the readings `terms` describe (replacing an earlier grant) and
    /// queues those it reaches back to. Returns how many readings were queued.
    pub fn grant(&mut self, id: RecipientId, terms: &GrantTerms, by: &str) -> Result<u64> {
        self.write_tx(|tx| {
            consent::grant(tx, id, terms, by)?;
            audit::record(tx, "share grant", None)?;
            let grant = consent::get(tx, id)?.grant.ok_or(Error::JournalDamaged)?;
            if grant.realtime {
                outbox::queue_covered(tx, id, &grant)
            } else {
                Ok(0)
            }
        })
    }

    /// Pauses a grant: readings keep queuing but wait.
    pub fn pause_sharing(&mut self, id: RecipientId, by: &str) -> Result<()> {
        self.write_tx(|tx| {
            consent::set_state(tx, id, GrantState::Paused, by)?;
            audit::record(tx, "share pause", None)
        })
    }

    /// Resumes a paused or revoked grant on its old terms, queuing what it covers.
    pub fn resume_sharing(&mut self, id: RecipientId, by: &str) -> Result<u64> {
        self.write_tx(|tx| {
            consent::set_state(tx, id, GrantState::Active, by)?;
            audit::record(tx, "share resume", None)?;
            let grant = consent::get(tx, id)?.grant.ok_or(Error::JournalDamaged)?;
            if grant.expired(chrono::Utc::now()) {
                return Err(Error::Invalid(
                    "this sharing has passed its end date: grant it again with a new end date"
                        .into(),
                ));
            }
            if grant.realtime {
                outbox::queue_covered(tx, id, &grant)
            } else {
                Ok(0)
            }
        })
    }

    /// Revokes a grant: nothing more is sent, and everything queued is cancelled. Returns how
    /// many queued readings were cancelled.
    pub fn revoke_sharing(&mut self, id: RecipientId, by: &str) -> Result<u64> {
        self.write_tx(|tx| {
            consent::set_state(tx, id, GrantState::Revoked, by)?;
            audit::record(tx, "share revoke", None)?;
            outbox::cancel(tx, id)
        })
    }

    /// Every change the patient made to what is shared, oldest first.
    pub fn consent_changes(&self) -> Result<Vec<ConsentChange>> {
        consent::changes(&self.conn)
    }

    /// Queues, for every active grant, the readings it covers that its care team does not
    /// hold yet (the patient pressed "send now", or `vitalog share send`), and makes the
    /// whole queue due now. Returns how many readings were queued.
    pub fn queue_all_covered(&mut self) -> Result<u64> {
        let now = Utc::now();
        self.write_tx(|tx| {
            let mut queued = 0;
            for recipient in consent::list(tx)? {
                if let Some(grant) = recipient.grant.filter(|g| g.sends(now)) {
                    queued += outbox::queue_covered(tx, recipient.id, &grant)?;
                    outbox::due_now(tx, recipient.id)?;
                }
            }
            Ok(queued)
        })
    }

    /// The readings due at `now` (at most `limit` per care team), checked against each grant
    /// as it stands now.
    pub fn sharing_due(&mut self, now: DateTime<Utc>, limit: u32) -> Result<Vec<Due>> {
        self.write_tx(|tx| outbox::due(tx, now, limit))
    }

    /// Whether anything is due for sending now (a cheap check, read only).
    pub fn sharing_has_due(&self, now: DateTime<Utc>) -> Result<bool> {
        outbox::any_due(&self.conn, now)
    }

    /// Records what became of a send.
    pub fn record_send(&mut self, sent: &Sent, outcome: &Outcome) -> Result<()> {
        self.write_tx(|tx| outbox::record(tx, sent, outcome))
    }

    /// Holds a care team's whole queue until `until` (its server is down or busy).
    pub fn hold_sharing(&mut self, id: RecipientId, until: DateTime<Utc>) -> Result<()> {
        self.write_tx(|tx| outbox::hold(tx, id, until))
    }

    /// How each care team's queue stands.
    pub fn sharing_status(&self) -> Result<Vec<QueueStatus>> {
        outbox::status(&self.conn)
    }

    /// The readings servers refused for good.
    pub fn refused_sends(&self) -> Result<Vec<RefusedItem>> {
        outbox::refused(&self.conn)
    }

    /// Puts a care team's refused readings back in the queue.
    pub fn retry_refused(&mut self, id: RecipientId) -> Result<u64> {
        self.write_tx(|tx| outbox::retry_refused(tx, id))
    }

    /// The transmission log, oldest first (the newest `limit` records, when given).
    pub fn transmissions(&self, limit: Option<u32>) -> Result<Vec<Transmission>> {
        sharing::log::list(&self.conn, limit)
    }

    /// Checks the transmission log's chain: `None` when it is intact.
    pub fn verify_transmissions(&self) -> Result<Option<LogProblem>> {
        sharing::log::verify(&self.conn)
    }
}
