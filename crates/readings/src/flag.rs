//! Flags an entry carries: control solution, an unusual value, a monitor's status bits.

use serde::{Deserialize, Serialize};

use crate::error::ReadingError;

/// A flag carried by an entry.
///
/// Its text form (`control-solution`, `implausible`, `status:<name>`) is what exports and the
/// CLI print; in JSON for the app it is `"control-solution"`, `"implausible"` or
/// `{"status": "<name>"}`, so the UI gets a closed union.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "kebab-case")]
pub enum Flag {
    /// A glucose result from control solution: never in statistics or uploads.
    ControlSolution,
    /// Outside the usual range; stored after confirmation (manual) or as received (device).
    Implausible,
    /// A device status bit or annunciation, e.g. `cuff-loose`, `irregular-pulse`.
    Status(String),
}

impl Flag {
    /// Stable text form: `control-solution`, `implausible`, `status:<name>`.
    pub fn to_text(&self) -> String {
        match self {
            Flag::ControlSolution => "control-solution".into(),
            Flag::Implausible => "implausible".into(),
            Flag::Status(s) => format!("status:{s}"),
        }
    }

    /// Parses the text form.
    pub fn from_text(s: &str) -> Result<Self, ReadingError> {
        match s {
            "control-solution" => Ok(Flag::ControlSolution),
            "implausible" => Ok(Flag::Implausible),
            _ => match s.strip_prefix("status:") {
                Some(name)
                    if !name.is_empty()
                        && name
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') =>
                {
                    Ok(Flag::Status(name.into()))
                }
                _ => Err(ReadingError::UnknownName {
                    what: "flag",
                    expected: "control-solution, implausible, status:<name>",
                }),
            },
        }
    }

    /// The text form of a set of flags, `;`-separated, as exports write it.
    pub fn join<'a>(flags: impl IntoIterator<Item = &'a Flag>) -> String {
        flags
            .into_iter()
            .map(Flag::to_text)
            .collect::<Vec<_>>()
            .join(";")
    }

    /// Parses [`Flag::join`]'s form.
    pub fn split<C: FromIterator<Flag>>(text: &str) -> Result<C, ReadingError> {
        text.split(';')
            .filter(|t| !t.is_empty())
            .map(Flag::from_text)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_json_forms() {
        let flags = vec![
            Flag::ControlSolution,
            Flag::Implausible,
            Flag::Status("cuff-loose".into()),
        ];
        let text = Flag::join(&flags);
        assert_eq!(text, "control-solution;implausible;status:cuff-loose");
        assert_eq!(Flag::split::<Vec<_>>(&text).unwrap(), flags);
        assert_eq!(
            serde_json::to_string(&flags).unwrap(),
            r#"["control-solution","implausible",{"status":"cuff-loose"}]"#
        );
        assert!(Flag::from_text("status:").is_err());
        assert!(Flag::from_text("status:a b").is_err());
    }
}
