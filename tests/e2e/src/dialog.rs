//! Native file dialogs, answered the way a person would: find the dialog window by its title,
//! give it the keyboard, type the path and press Enter. WebDriver reaches only the page, so
//! this goes through xdotool on the same X display.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::driver::HarnessError;

/// How long a dialog may take to appear (GTK builds it on first use) or to close.
const APPEAR: Duration = Duration::from_secs(30);

/// Which kind of dialog: the keys that reach its path field differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileDialog {
    /// "Save": the name field has the keyboard, with the suggested name selected.
    Save,
    /// "Open": Ctrl+L opens the location field.
    Open,
}

/// Waits for the dialog titled `title`, types `path` into it and presses Enter; returns once
/// the dialog has closed.
pub async fn answer(kind: FileDialog, title: &str, path: &Path) -> Result<(), HarnessError> {
    let window = poll(
        async || find_window(title).await,
        || format!("no file dialog titled {title:?} appeared"),
    )
    .await?;
    xdotool(&["windowfocus", "--sync", &window]).await?;
    // GTK moves the keyboard into the dialog's field a moment after it maps.
    tokio::time::sleep(Duration::from_millis(400)).await;
    let select = match kind {
        FileDialog::Save => "ctrl+a",
        FileDialog::Open => "ctrl+l",
    };
    xdotool(&["key", "--clearmodifiers", select]).await?;
    let text = path.display().to_string();
    xdotool(&["type", "--clearmodifiers", "--delay", "15", &text]).await?;
    tokio::time::sleep(Duration::from_millis(200)).await;
    xdotool(&["key", "--clearmodifiers", "Return"]).await?;
    poll(
        async || Ok(find_window(title).await?.is_none().then_some(())),
        || format!("the file dialog {title:?} did not close after choosing {text}"),
    )
    .await
}

/// Waits for the dialog titled `title` (a print dialog, say) and closes it with Escape, as a
/// person who changed their mind would; returns once it has closed.
pub async fn dismiss(title: &str) -> Result<(), HarnessError> {
    let window = poll(
        async || find_window(title).await,
        || {
            let names = std::process::Command::new("sh")
                .args(["-c", "for w in $(xdotool search --onlyvisible --name .); do xdotool getwindowname $w; done"])
                .output()
                .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
                .unwrap_or_default();
            format!("no dialog titled {title:?} appeared; windows: {names}")
        },
    )
    .await?;
    xdotool(&["windowfocus", "--sync", &window]).await?;
    tokio::time::sleep(Duration::from_millis(400)).await;
    xdotool(&["key", "--clearmodifiers", "Escape"]).await?;
    poll(
        async || Ok(find_window(title).await?.is_none().then_some(())),
        || format!("the dialog {title:?} did not close on Escape"),
    )
    .await
}

/// Runs `check` every 100 ms until it finds something, for as long as a dialog may take to
/// appear; `failure` says what did not happen.
async fn poll<T>(
    mut check: impl AsyncFnMut() -> Result<Option<T>, HarnessError>,
    failure: impl FnOnce() -> String,
) -> Result<T, HarnessError> {
    let deadline = Instant::now() + APPEAR;
    loop {
        if let Some(found) = check().await? {
            return Ok(found);
        }
        if Instant::now() > deadline {
            return Err(HarnessError::WebDriver(failure()));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The id of a mapped window titled exactly `title`, if there is one.
async fn find_window(title: &str) -> Result<Option<String>, HarnessError> {
    let pattern = format!("^{}$", regex_escape(title));
    let output = tokio::process::Command::new("xdotool")
        .args(["search", "--onlyvisible", "--name", &pattern])
        .output()
        .await
        .map_err(|source| HarnessError::Spawn {
            program: "xdotool",
            source,
        })?;
    // xdotool exits 1 when nothing matches.
    Ok(String::from_utf8_lossy(&output.stdout)
        .lines()
        .next()
        .map(str::to_owned))
}

async fn xdotool(args: &[&str]) -> Result<(), HarnessError> {
    let status = tokio::process::Command::new("xdotool")
        .args(args)
        .status()
        .await
        .map_err(|source| HarnessError::Spawn {
            program: "xdotool",
            source,
        })?;
    if status.success() {
        Ok(())
    } else {
        Err(HarnessError::WebDriver(format!(
            "xdotool {} failed ({status})",
            args.join(" ")
        )))
    }
}

/// `text` as a literal in POSIX extended syntax, which xdotool's `--name` takes (regcomp).
/// `regex::escape` would also put a backslash before characters where POSIX leaves its
/// meaning undefined.
fn regex_escape(text: &str) -> String {
    text.chars()
        .flat_map(|c| {
            let special = "\\.+*?()|[]{}^$".contains(c);
            special
                .then_some('\\')
                .into_iter()
                .chain(std::iter::once(c))
        })
        .collect()
}
