//! `vitalog share`: sharing readings with a care team's own FHIR server. `add` sets a care
//! team up, `grant` says what it may receive, `pause`/`resume`/`revoke` change that (each
//! change is kept in the consent log), `send` delivers what is queued, `list`, `log` and
//! `verify-log` show where things stand. The rules and the queue live in the journal, the
//! sending in the `sharing` crate.

mod send;
mod setup;
mod show;

use clap::{Args, Subcommand};

use crate::error::CliError;
use crate::options::GlobalOptions;

/// Where the CLI's consent changes say they were made.
const BY: &str = "command line";

/// Arguments of `vitalog share`.
#[derive(Debug, Args)]
pub struct ShareArgs {
    #[command(subcommand)]
    command: ShareCommand,
}

#[derive(Debug, Subcommand)]
enum ShareCommand {
    /// Set up a care team's FHIR server (nothing is shared until `grant`)
    Add(setup::AddArgs),
    /// Sign in to a SMART care team again (after its sign-in ended)
    SignIn(setup::SignInArgs),
    /// Choose what a care team receives: kinds, from when, real time, until when
    Grant(setup::GrantArgs),
    /// Stop sending for now; readings wait until `resume`
    Pause(setup::NameArgs),
    /// Send again after `pause` (or `revoke`), on the same terms
    Resume(setup::NameArgs),
    /// Stop sharing and cancel everything still queued for this care team
    Revoke(setup::NameArgs),
    /// The care teams, what each receives, and how its queue stands
    List(show::ListArgs),
    /// Deliver what is queued (with --wait, keep trying until it is delivered or refused)
    Send(send::SendArgs),
    /// Every send attempt: care team, resources, kinds, time and result
    Log(show::LogArgs),
    /// Check that the transmission log is complete and unaltered (exit 0 when intact)
    VerifyLog,
}

/// Runs a `vitalog share` subcommand.
pub fn run(args: &ShareArgs, global: &GlobalOptions) -> Result<(), CliError> {
    match &args.command {
        ShareCommand::Add(a) => setup::add(a, global),
        ShareCommand::SignIn(a) => setup::sign_in(a, global),
        ShareCommand::Grant(a) => setup::grant(a, global),
        ShareCommand::Pause(a) => setup::pause(a, global),
        ShareCommand::Resume(a) => setup::resume(a, global),
        ShareCommand::Revoke(a) => setup::revoke(a, global),
        ShareCommand::List(a) => show::list(a, global),
        ShareCommand::Send(a) => send::run(a, global),
        ShareCommand::Log(a) => show::log(a, global),
        ShareCommand::VerifyLog => show::verify(global),
    }
}
