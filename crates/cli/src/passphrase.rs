//! Where a command's passphrase comes from, in order: `--passphrase-file`, the
//! `VITALOG_PASSPHRASE` variable, then a prompt when stdin is a terminal.
//!
//! Scripts must never block on a prompt nobody will answer, so without a terminal and without
//! the first two sources the command fails with a message saying how to supply one.

use std::io::IsTerminal;
use std::path::Path;

use zeroize::Zeroizing;

use crate::error::CliError;
use crate::options::GlobalOptions;

/// The environment variable scripts can use to pass the passphrase.
pub const PASSPHRASE_ENV: &str = "VITALOG_PASSPHRASE";

/// A passphrase held in memory that is wiped when dropped.
pub type Passphrase = Zeroizing<String>;

/// Finds the passphrase for a command, asking with `prompt` only when a person can answer.
pub fn obtain(options: &GlobalOptions, prompt: &str) -> Result<Passphrase, CliError> {
    let from_env = std::env::var(PASSPHRASE_ENV).ok().map(Zeroizing::new);
    resolve(
        options.passphrase_file.as_deref(),
        from_env,
        std::io::stdin().is_terminal(),
        || {
            rpassword::prompt_password(prompt)
                .map(Zeroizing::new)
                .map_err(|source| CliError::Io {
                    context: "cannot read the passphrase".into(),
                    source,
                })
        },
    )
}

/// The decision behind [`obtain`], with its inputs passed in so it can be tested.
fn resolve(
    file: Option<&Path>,
    from_env: Option<Passphrase>,
    interactive: bool,
    ask: impl FnOnce() -> Result<Passphrase, CliError>,
) -> Result<Passphrase, CliError> {
    if let Some(path) = file {
        return read_file(path);
    }
    if let Some(passphrase) = from_env {
        return Ok(passphrase);
    }
    if interactive {
        return ask();
    }
    Err(CliError::PassphraseUnavailable)
}

/// Reads the first line of a passphrase file; the line ending is not part of the passphrase.
fn read_file(path: &Path) -> Result<Passphrase, CliError> {
    let contents = Zeroizing::new(std::fs::read_to_string(path).map_err(|source| {
        CliError::PassphraseFile {
            path: path.to_path_buf(),
            source,
        }
    })?);
    let first_line = contents.lines().next().unwrap_or_default();
    Ok(Zeroizing::new(first_line.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn never_asked() -> Result<Passphrase, CliError> {
        panic!("the prompt must not be used here")
    }

    #[test]
    fn file_wins_over_environment_and_keeps_inner_spaces() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pass");
        std::fs::write(&path, "correct horse battery\r\nsecond line\n").unwrap();
        let got = resolve(
            Some(&path),
            Some(Zeroizing::new("env".into())),
            true,
            never_asked,
        );
        assert_eq!(got.unwrap().as_str(), "correct horse battery");
    }

    #[test]
    fn environment_is_used_without_a_file() {
        let got = resolve(
            None,
            Some(Zeroizing::new("from env".into())),
            false,
            never_asked,
        );
        assert_eq!(got.unwrap().as_str(), "from env");
    }

    #[test]
    fn terminal_prompt_is_the_last_resort() {
        let got = resolve(None, None, true, || Ok(Zeroizing::new("typed".into())));
        assert_eq!(got.unwrap().as_str(), "typed");
    }

    #[test]
    fn without_any_source_the_error_says_how_to_supply_one() {
        let error = resolve(None, None, false, never_asked).unwrap_err();
        assert!(matches!(error, CliError::PassphraseUnavailable));
        assert!(error.to_string().contains("--passphrase-file"));
    }

    #[test]
    fn a_missing_file_names_the_file() {
        let error = resolve(
            Some(Path::new("/nonexistent/pass")),
            None,
            true,
            never_asked,
        );
        let message = error.unwrap_err().to_string();
        assert!(message.contains("/nonexistent/pass"), "{message}");
    }
}
