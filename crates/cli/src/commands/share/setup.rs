//! `vitalog share add`, `grant`, `pause`, `resume` and `revoke`.

use std::path::PathBuf;

use chrono::{NaiveDate, Utc};
use clap::Args;
use journal::sharing::{NewRecipient, SignIn};
use readings::Kind;
use sharing::Address;
use sharing::smart;
use sharing::terms::{Choice, Since};
use zeroize::Zeroizing;

use super::BY;
use crate::commands::journal::unlock;
use crate::error::CliError;
use crate::options::GlobalOptions;

/// Arguments of `vitalog share add`.
#[derive(Debug, Args)]
pub struct AddArgs {
    /// The name you know this care team by
    name: String,

    /// The FHIR server's base address (https://…; http:// only to this computer)
    #[arg(long, value_name = "URL")]
    fhir: String,

    /// You on that server, as the clinic gave it (Patient/ID)
    #[arg(long, value_name = "Patient/ID")]
    patient: Option<String>,

    /// A file holding the access token the clinic issued
    #[arg(long, value_name = "FILE", conflicts_with = "smart")]
    token_file: Option<PathBuf>,

    /// Sign in with SMART on FHIR in the browser ($BROWSER when set)
    #[arg(long)]
    smart: bool,

    /// Vitalog's client id on that server, when the clinic registered it under another name
    /// (with --smart)
    #[arg(long, value_name = "ID", default_value = "vitalog")]
    client_id: String,
}

/// Arguments of `vitalog share sign-in`.
#[derive(Debug, Args)]
pub struct SignInArgs {
    /// The care team's name
    name: String,
}

/// Arguments naming one care team.
#[derive(Debug, Args)]
pub struct NameArgs {
    /// The care team's name
    name: String,
}

/// Arguments of `vitalog share grant`.
#[derive(Debug, Args)]
pub struct GrantArgs {
    /// The care team's name
    name: String,

    /// The kinds of entries, comma-separated: glucose, bp, weight, temperature, spo2,
    /// heart_rate, body_fat, medication, insulin, note
    #[arg(long, value_delimiter = ',', required = true)]
    kinds: Vec<String>,

    /// Readings taken from this day on (YYYY-MM-DD, or "all" for the whole history);
    /// without it, only readings from now on
    #[arg(long, value_name = "DATE")]
    since: Option<String>,

    /// Send new readings as they arrive (otherwise only with `vitalog share send`)
    #[arg(long)]
    realtime: bool,

    /// Stop sharing at the end of this day (YYYY-MM-DD)
    #[arg(long, value_name = "DATE")]
    until: Option<String>,

    /// Send your notes on readings too (off unless given)
    #[arg(long)]
    notes: bool,
}

fn day(text: &str) -> Result<NaiveDate, CliError> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| CliError::InvalidInput(format!("{text:?} is not a day like 2026-03-01")))
}

fn read_token(path: &PathBuf) -> Result<Zeroizing<String>, CliError> {
    let text = Zeroizing::new(
        std::fs::read_to_string(path).map_err(|source| CliError::Io {
            context: format!("cannot read the token file {}", path.display()),
            source,
        })?,
    );
    let token = Zeroizing::new(text.trim().to_owned());
    if token.is_empty() || token.chars().any(char::is_whitespace) {
        return Err(CliError::InvalidInput(format!(
            "the token file {} must hold the token alone, on one line",
            path.display()
        )));
    }
    Ok(token)
}

/// Sets up a care team.
pub fn add(args: &AddArgs, global: &GlobalOptions) -> Result<(), CliError> {
    let address = Address::parse(&args.fhir).map_err(sharing::SharingError::from)?;
    if args.smart {
        let signed_in = smart_sign_in(&args.name, &address, &args.client_id)?;
        let patient = match (&signed_in.patient, &args.patient) {
            (Some(patient), _) => patient.clone(),
            (None, Some(given)) => {
                sharing::address::patient_reference(given).map_err(sharing::SharingError::from)?
            }
            (None, None) => {
                return Err(CliError::InvalidInput(
                    "the sign-in did not say who you are on this server: add --patient Patient/ID"
                        .into(),
                ));
            }
        };
        let mut journal = unlock(global)?;
        journal.add_recipient(
            &NewRecipient {
                name: args.name.clone(),
                fhir_base: address.as_str().to_owned(),
                patient: Some(patient.clone()),
                sign_in: SignIn::Smart,
                secret: signed_in.saved.to_secret(),
            },
            BY,
        )?;
        println!(
            "Signed in to {} as {patient}. Nothing is shared yet: choose what with vitalog share grant {:?} --kinds …",
            args.name, args.name
        );
        return Ok(());
    }
    let Some(token_file) = &args.token_file else {
        return Err(CliError::InvalidInput(
            "say how to sign in: --token-file FILE with the token the clinic issued".into(),
        ));
    };
    let Some(patient) = &args.patient else {
        return Err(CliError::InvalidInput(
            "give --patient Patient/ID, the id the clinic gave you on its server".into(),
        ));
    };
    let patient =
        sharing::address::patient_reference(patient).map_err(sharing::SharingError::from)?;
    let secret = read_token(token_file)?;
    let mut journal = unlock(global)?;
    journal.add_recipient(
        &NewRecipient {
            name: args.name.clone(),
            fhir_base: address.as_str().to_owned(),
            patient: Some(patient),
            sign_in: SignIn::Token,
            secret,
        },
        BY,
    )?;
    println!(
        "Set up {}. Nothing is shared yet: choose what with vitalog share grant {:?} --kinds …",
        args.name, args.name
    );
    Ok(())
}

/// Runs a SMART sign-in in the browser: discovery, PKCE, the loopback redirect, the token.
fn smart_sign_in(name: &str, base: &Address, client_id: &str) -> Result<smart::Tokens, CliError> {
    let client = sharing::FhirClient::new()?;
    let runtime = crate::commands::runtime()?;
    let tokens = runtime.block_on(async {
        let configuration = smart::discover(&client, base).await?;
        let redirect = smart::Redirect::listen().await?;
        let request = smart::authorization_request(&configuration, client_id, base, &redirect.uri)?;
        eprintln!(
            "Sign in to {name} in your browser. If it does not open, visit:\n  {}",
            request.url
        );
        // The browser may only return once it is closed: it runs beside the wait.
        let url = request.url.clone();
        let opened = tokio::task::spawn_blocking(move || smart::open_browser(&url));
        let code = redirect.code(&request.state).await?;
        if let Ok(Err(problem)) = opened.await {
            eprintln!("{problem}");
        }
        smart::exchange(&client, &configuration, client_id, &request, &code).await
    });
    Ok(tokens.map_err(sharing::SharingError::from)?)
}

/// Signs in to a SMART care team again (its refresh failed or was revoked).
pub fn sign_in(args: &SignInArgs, global: &GlobalOptions) -> Result<(), CliError> {
    let (recipient, client_id) = {
        let journal = unlock(global)?;
        let recipient = journal.recipient(&args.name)?;
        if recipient.sign_in != SignIn::Smart {
            return Err(CliError::InvalidInput(format!(
                "{} uses a token from the clinic, not a sign-in",
                args.name
            )));
        }
        let client_id = saved_client_id(&journal, &recipient)?;
        (recipient, client_id)
    };
    let address = Address::parse(&recipient.fhir_base).map_err(sharing::SharingError::from)?;
    // The journal is not held open during the browser step, which may take minutes.
    let signed_in = smart_sign_in(&args.name, &address, &client_id)?;
    let mut journal = unlock(global)?;
    journal.save_sign_in(
        recipient.id,
        &signed_in.saved.to_secret(),
        signed_in.patient.as_deref(),
    )?;
    journal.retry_refused(recipient.id)?;
    println!(
        "Signed in to {} again; what was waiting goes with the next send.",
        args.name
    );
    Ok(())
}

/// The client id a SMART care team was set up with.
fn saved_client_id(
    journal: &journal::Journal,
    recipient: &journal::sharing::Recipient,
) -> Result<String, CliError> {
    let secret = journal.sign_in_secret(recipient.id)?;
    Ok(smart::SavedSignIn::from_secret(&secret)
        .map(|saved| saved.client_id.clone())
        .map_err(sharing::SharingError::from)?)
}

/// Grants a care team some kinds of readings.
pub fn grant(args: &GrantArgs, global: &GlobalOptions) -> Result<(), CliError> {
    let kinds = args
        .kinds
        .iter()
        .map(|k| k.trim().parse::<Kind>())
        .collect::<Result<_, _>>()?;
    let since = match args.since.as_deref() {
        Some("all") => Since::Everything,
        Some(text) => Since::Day(day(text)?),
        None => Since::OnlyNew,
    };
    let until = args.until.as_deref().map(day).transpose()?;
    let terms = sharing::terms::terms(
        &Choice {
            kinds,
            notes: args.notes,
            since,
            realtime: args.realtime,
            until,
        },
        Utc::now(),
    )
    .map_err(sharing::SharingError::from)?;
    let mut journal = unlock(global)?;
    let recipient = journal.recipient(&args.name)?;
    let queued = journal.grant(recipient.id, &terms, BY)?;
    let when = if args.realtime {
        "They go as they arrive"
    } else {
        "They go when you run vitalog share send"
    };
    println!(
        "{} may now receive {}. {when}; {queued} readings are queued now.",
        args.name,
        args.kinds.join(", ")
    );
    Ok(())
}

/// Pauses sharing with a care team.
pub fn pause(args: &NameArgs, global: &GlobalOptions) -> Result<(), CliError> {
    let mut journal = unlock(global)?;
    let id = journal.recipient(&args.name)?.id;
    journal.pause_sharing(id, BY)?;
    println!(
        "Paused: nothing goes to {} until you resume; new readings wait.",
        args.name
    );
    Ok(())
}

/// Resumes sharing with a care team.
pub fn resume(args: &NameArgs, global: &GlobalOptions) -> Result<(), CliError> {
    let mut journal = unlock(global)?;
    let id = journal.recipient(&args.name)?.id;
    let queued = journal.resume_sharing(id, BY)?;
    println!(
        "Resumed sharing with {}; {queued} readings are queued.",
        args.name
    );
    Ok(())
}

/// Revokes sharing with a care team.
pub fn revoke(args: &NameArgs, global: &GlobalOptions) -> Result<(), CliError> {
    let mut journal = unlock(global)?;
    let id = journal.recipient(&args.name)?.id;
    let cancelled = journal.revoke_sharing(id, BY)?;
    println!(
        "Revoked: nothing more goes to {}; {cancelled} queued readings were cancelled. What they already received stays on their server.",
        args.name
    );
    Ok(())
}
