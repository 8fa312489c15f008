//! The Sharing screen: set up care teams (the passphrase confirms it), choose what each
//! receives, pause, resume or revoke, send now, and see each queue and the transmission log.
//! The rules and the queue are the journal's; the sending is the background sender's.

pub mod dto;

use std::sync::Arc;

use chrono::Utc;
use journal::Journal;
use journal::sharing::{NewRecipient, RecipientId, SignIn};
use sharing::Address;
use tauri::State;
use zeroize::Zeroizing;

use self::dto::{
    CareTeamInput, CareTeamView, ConsentView, GrantInput, SharingView, SmartCareTeamInput,
    TransmissionView,
};
use super::{blocking, confirming};
use crate::error::IpcError;
use crate::journal_access::JournalAccess;
use crate::sharing_task::SharingSender;

/// Where the app's consent changes say they were made.
const BY: &str = "app";

/// How many log records and consent changes the screen shows.
const SHOWN_LOG: u32 = 100;
const SHOWN_CHANGES: usize = 50;

fn view(journal: &Journal, sender: &SharingSender) -> journal::Result<SharingView> {
    let now = Utc::now();
    let recipients = journal.recipients()?;
    let status = journal.sharing_status()?;
    let mut log: Vec<TransmissionView> = journal
        .transmissions(Some(SHOWN_LOG))?
        .iter()
        .map(|t| TransmissionView::new(t, &recipients))
        .collect();
    log.reverse();
    let changes = journal.consent_changes()?;
    let changes: Vec<ConsentView> = changes
        .iter()
        .rev()
        .take(SHOWN_CHANGES)
        .map(|c| ConsentView::new(c, &recipients))
        .collect();
    Ok(SharingView {
        care_teams: recipients
            .iter()
            .map(|r| CareTeamView::new(r, status.iter().find(|s| s.recipient == r.id), now))
            .collect(),
        log,
        changes,
        shareable: journal::sharing::SHAREABLE.to_vec(),
        problem: sender.problem(),
    })
}

impl From<sharing::SharingError> for IpcError {
    fn from(error: sharing::SharingError) -> Self {
        match error {
            sharing::SharingError::Journal(e) => e.into(),
            other => IpcError::invalid(crate::error::sentence(&other.to_string())),
        }
    }
}

/// Runs `work` on the journal, then answers with the whole screen.
async fn then_view(
    access: &Arc<JournalAccess>,
    sender: &Arc<SharingSender>,
    work: impl FnOnce(&mut Journal) -> Result<(), IpcError> + Send + 'static,
) -> Result<SharingView, IpcError> {
    let access = Arc::clone(access);
    let sender = Arc::clone(sender);
    let shown = blocking(move || {
        let shared = access.shared()?;
        let mut journal = shared.blocking_lock();
        work(&mut journal)?;
        view(&journal, &sender).map_err(IpcError::from)
    })
    .await?;
    Ok(shown)
}

/// Like [`then_view`], then wakes the sender: the change may have queued readings.
async fn then_send(
    access: &Arc<JournalAccess>,
    sender: &Arc<SharingSender>,
    work: impl FnOnce(&mut Journal) -> Result<(), IpcError> + Send + 'static,
) -> Result<SharingView, IpcError> {
    let shown = then_view(access, sender, work).await?;
    sender.nudge();
    Ok(shown)
}

/// Sets up a care team and grants it `terms`.
async fn start_sharing(
    access: &Arc<JournalAccess>,
    sender: &Arc<SharingSender>,
    care_team: NewRecipient,
    terms: journal::sharing::GrantTerms,
) -> Result<SharingView, IpcError> {
    then_send(access, sender, move |journal| {
        let id = journal.add_recipient(&care_team, BY)?;
        journal.grant(id, &terms, BY)?;
        Ok(())
    })
    .await
}

/// The care teams, their queues, the log and the consent changes.
#[tauri::command]
#[specta::specta]
pub async fn sharing_view(
    access: State<'_, Arc<JournalAccess>>,
    sender: State<'_, Arc<SharingSender>>,
) -> Result<SharingView, IpcError> {
    then_view(&access, &sender, |_| Ok(())).await
}

/// Sets up a care team and grants it what the patient chose, after the passphrase confirms
/// it is the patient.
#[tauri::command]
#[specta::specta]
pub async fn add_care_team(
    access: State<'_, Arc<JournalAccess>>,
    sender: State<'_, Arc<SharingSender>>,
    care_team: CareTeamInput,
    passphrase: String,
) -> Result<SharingView, IpcError> {
    let passphrase = Zeroizing::new(passphrase);
    let token = Zeroizing::new(care_team.token.trim().to_owned());
    let name = care_team.name.trim().to_owned();
    if name.is_empty() {
        return Err(IpcError::invalid(
            "Give the care team a name you will recognise.",
        ));
    }
    let address = Address::parse(&care_team.fhir_base).map_err(sharing::SharingError::from)?;
    let patient = sharing::address::patient_reference(&care_team.patient)
        .map_err(sharing::SharingError::from)?;
    if token.is_empty() || token.chars().any(char::is_whitespace) {
        return Err(IpcError::invalid(
            "Paste the access token the clinic gave you, without spaces.",
        ));
    }
    let terms = sharing::terms::terms(&care_team.grant.choice()?, Utc::now())
        .map_err(sharing::SharingError::from)?;
    let checked = Arc::clone(&access);
    blocking(move || checked.with(|journal| journal.check_passphrase(&passphrase)))
        .await
        .map_err(confirming("nothing was shared"))?;
    start_sharing(
        &access,
        &sender,
        NewRecipient {
            name,
            fhir_base: address.as_str().to_owned(),
            patient: Some(patient),
            sign_in: SignIn::Token,
            secret: token,
        },
        terms,
    )
    .await
}

/// Changes what a care team receives (the grant becomes active).
#[tauri::command]
#[specta::specta]
pub async fn change_grant(
    access: State<'_, Arc<JournalAccess>>,
    sender: State<'_, Arc<SharingSender>>,
    id: i64,
    grant: GrantInput,
) -> Result<SharingView, IpcError> {
    let terms =
        sharing::terms::terms(&grant.choice()?, Utc::now()).map_err(sharing::SharingError::from)?;
    then_send(&access, &sender, move |journal| {
        journal.grant(RecipientId(id), &terms, BY)?;
        Ok(())
    })
    .await
}

/// Pauses sharing with a care team: new readings wait.
#[tauri::command]
#[specta::specta]
pub async fn pause_care_team(
    access: State<'_, Arc<JournalAccess>>,
    sender: State<'_, Arc<SharingSender>>,
    id: i64,
) -> Result<SharingView, IpcError> {
    then_view(&access, &sender, move |journal| {
        Ok(journal.pause_sharing(RecipientId(id), BY)?)
    })
    .await
}

/// Resumes sharing with a care team on its old terms.
#[tauri::command]
#[specta::specta]
pub async fn resume_care_team(
    access: State<'_, Arc<JournalAccess>>,
    sender: State<'_, Arc<SharingSender>>,
    id: i64,
) -> Result<SharingView, IpcError> {
    then_send(&access, &sender, move |journal| {
        journal.resume_sharing(RecipientId(id), BY)?;
        Ok(())
    })
    .await
}

/// Revokes sharing with a care team: nothing more is sent, the queue is cancelled.
#[tauri::command]
#[specta::specta]
pub async fn revoke_care_team(
    access: State<'_, Arc<JournalAccess>>,
    sender: State<'_, Arc<SharingSender>>,
    id: i64,
) -> Result<SharingView, IpcError> {
    then_view(&access, &sender, move |journal| {
        journal.revoke_sharing(RecipientId(id), BY)?;
        Ok(())
    })
    .await
}

/// Sends everything the grants cover now, failing servers included, and puts readings a
/// server refused back in the queue when `retry_refused` names a care team.
#[tauri::command]
#[specta::specta]
pub async fn send_now(
    access: State<'_, Arc<JournalAccess>>,
    sender: State<'_, Arc<SharingSender>>,
    retry_refused: Option<i64>,
) -> Result<SharingView, IpcError> {
    then_send(&access, &sender, move |journal| {
        if let Some(id) = retry_refused {
            journal.retry_refused(RecipientId(id))?;
        }
        journal.queue_all_covered()?;
        Ok(())
    })
    .await
}

/// Runs a SMART sign-in in the patient's browser, unless `cancel` fires first.
async fn smart_sign_in(
    fhir_base: &Address,
    client_id: &str,
    cancel: &tokio::sync::Notify,
) -> Result<sharing::smart::Tokens, IpcError> {
    use sharing::smart;
    let client = sharing::FhirClient::new()?;
    let signing_in = async {
        let configuration = smart::discover(&client, fhir_base).await?;
        let redirect = smart::Redirect::listen().await?;
        let request =
            smart::authorization_request(&configuration, client_id, fhir_base, &redirect.uri)?;
        let url = request.url.clone();
        // The browser may only return once it is closed: it runs beside the wait.
        let opened = tauri::async_runtime::spawn_blocking(move || smart::open_browser(&url));
        let code = redirect.code(&request.state).await?;
        if let Ok(Err(problem)) = opened.await {
            return Err(problem);
        }
        smart::exchange(&client, &configuration, client_id, &request, &code).await
    };
    tokio::select! {
        signed_in = signing_in => signed_in.map_err(|e| IpcError::from(sharing::SharingError::from(e))),
        () = cancel.notified() => Err(IpcError::invalid("The sign-in was cancelled; nothing was shared.")),
    }
}

/// Sets up a care team that signs Vitalog in with SMART on FHIR: the passphrase confirms it
/// is the patient, the sign-in happens in their browser, and the server names the patient.
#[tauri::command]
#[specta::specta]
pub async fn add_smart_care_team(
    access: State<'_, Arc<JournalAccess>>,
    sender: State<'_, Arc<SharingSender>>,
    care_team: SmartCareTeamInput,
    passphrase: String,
) -> Result<SharingView, IpcError> {
    let passphrase = Zeroizing::new(passphrase);
    let name = care_team.name.trim().to_owned();
    if name.is_empty() {
        return Err(IpcError::invalid(
            "Give the care team a name you will recognise.",
        ));
    }
    let client_id = care_team.client_id.trim().to_owned();
    if client_id.is_empty() {
        return Err(IpcError::invalid(
            "Enter Vitalog's client id at your clinic; the clinic gives it with the server address.",
        ));
    }
    let address = Address::parse(&care_team.fhir_base).map_err(sharing::SharingError::from)?;
    let choice = care_team.grant.choice()?;
    let checked = Arc::clone(&access);
    blocking(move || checked.with(|journal| journal.check_passphrase(&passphrase)))
        .await
        .map_err(confirming("nothing was shared"))?;
    let signed_in = smart_sign_in(&address, &client_id, sender.cancelling()).await?;
    let Some(patient) = signed_in.patient.clone() else {
        return Err(IpcError::invalid(
            "The sign-in worked, but the server did not say who you are on it, so nothing was shared. Ask the clinic to enable the patient launch context for Vitalog.",
        ));
    };
    let terms = sharing::terms::terms(&choice, Utc::now()).map_err(sharing::SharingError::from)?;
    start_sharing(
        &access,
        &sender,
        NewRecipient {
            name,
            fhir_base: address.as_str().to_owned(),
            patient: Some(patient),
            sign_in: SignIn::Smart,
            secret: signed_in.saved.to_secret(),
        },
        terms,
    )
    .await
}

/// Signs in to a SMART care team again (its sign-in ended), then sends what waited.
#[tauri::command]
#[specta::specta]
pub async fn sign_in_again(
    access: State<'_, Arc<JournalAccess>>,
    sender: State<'_, Arc<SharingSender>>,
    id: i64,
) -> Result<SharingView, IpcError> {
    let read = Arc::clone(&access);
    let (recipient, secret) = blocking(move || {
        read.with(|journal| {
            let recipient = journal
                .recipients()?
                .into_iter()
                .find(|r| r.id == RecipientId(id))
                .ok_or(journal::Error::NotFound {
                    what: "care team",
                    id,
                })?;
            let secret = journal.sign_in_secret(recipient.id)?;
            Ok((recipient, secret))
        })
    })
    .await?;
    if recipient.sign_in != SignIn::Smart {
        return Err(IpcError::invalid(
            "This care team uses a token from the clinic, not a sign-in.",
        ));
    }
    let saved =
        sharing::smart::SavedSignIn::from_secret(&secret).map_err(sharing::SharingError::from)?;
    let address = Address::parse(&recipient.fhir_base).map_err(sharing::SharingError::from)?;
    let signed_in = smart_sign_in(&address, &saved.client_id, sender.cancelling()).await?;
    then_send(&access, &sender, move |journal| {
        journal.save_sign_in(
            RecipientId(id),
            &signed_in.saved.to_secret(),
            signed_in.patient.as_deref(),
        )?;
        journal.retry_refused(RecipientId(id))?;
        journal.queue_all_covered()?;
        Ok(())
    })
    .await
}

/// Cancels a SMART sign-in waiting for the browser.
#[tauri::command]
#[specta::specta]
pub async fn cancel_sign_in(sender: State<'_, Arc<SharingSender>>) -> Result<(), IpcError> {
    sender.cancelling().notify_waiters();
    Ok(())
}

/// Saves the whole transmission log (with the result of its check) where the patient picks;
/// `None` when they cancelled.
#[tauri::command]
#[specta::specta]
pub async fn save_transmission_log(
    access: State<'_, Arc<JournalAccess>>,
    picker: State<'_, crate::file_picker::FilePicker>,
) -> Result<Option<super::files::SavedFile>, IpcError> {
    let read = Arc::clone(&access);
    let text = blocking(move || read.with(|journal| sharing::log::file(journal))).await?;
    let request = crate::file_picker::FileRequest::Save {
        title: "Save the transmission log",
        suggested_name: format!(
            "vitalog-transmissions-{}.json",
            chrono::Local::now().format("%Y-%m-%d")
        ),
        filter: ("Transmission log (JSON)", &["json"]),
    };
    let Some(path) = picker.choose(request).await else {
        return Ok(None);
    };
    blocking(move || {
        journal::save_private(&path, text.as_bytes())?;
        super::files::saved_file(&path)
    })
    .await
    .map(Some)
}
