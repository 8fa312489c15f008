//! How hard a passphrase would be to guess, for the strength meter people see while choosing
//! one. The journal's hard rule stays the minimum length in [`super::kdf`]; this estimate
//! (zxcvbn: dictionaries, keyboard patterns, dates, repeats) guides the choice above it.

use super::kdf::MIN_PASSPHRASE_CHARS;

/// A passphrase's strength on a 0–4 scale with advice in plain words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Strength {
    /// 0 (guessed at once) to 4 (very hard to guess).
    pub score: u8,
    /// A word for the score: "too short", "very weak", "weak", "fair", "strong", "very strong".
    pub label: &'static str,
    /// What would make it stronger, if anything.
    pub advice: Option<String>,
    /// Whether the journal accepts it at all (the length rule).
    pub acceptable: bool,
}

/// Estimates the strength of `passphrase`; `context` holds words the passphrase should not
/// lean on (the app's name, the person's name).
pub fn estimate(passphrase: &str, context: &[&str]) -> Strength {
    if passphrase.chars().count() < MIN_PASSPHRASE_CHARS {
        return Strength {
            score: 0,
            label: "too short",
            advice: Some(format!("Use at least {MIN_PASSPHRASE_CHARS} characters.")),
            acceptable: false,
        };
    }
    let estimate = zxcvbn::zxcvbn(passphrase, context);
    let score = u8::from(estimate.score());
    let label = match score {
        0 => "very weak",
        1 => "weak",
        2 => "fair",
        3 => "strong",
        _ => "very strong",
    };
    let advice = estimate.feedback().and_then(|feedback| {
        let warning = feedback.warning().map(|w| w.to_string());
        let suggestion = feedback.suggestions().first().map(|s| s.to_string());
        match (warning, suggestion) {
            (Some(w), Some(s)) => Some(format!("{w} {s}")),
            (w, s) => w.or(s),
        }
    });
    let advice = advice.or_else(|| {
        (score < 3).then(|| "Add a few more uncommon words to make it stronger.".to_owned())
    });
    Strength {
        score,
        label,
        advice,
        acceptable: true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_passphrases_are_refused_whatever_their_characters() {
        let strength = estimate("Xq#9!z", &[]);
        assert!(!strength.acceptable);
        assert_eq!(strength.label, "too short");
    }

    #[test]
    fn common_passwords_score_low_and_get_advice() {
        let strength = estimate("password1", &[]);
        assert!(strength.acceptable);
        assert!(strength.score <= 1, "{strength:?}");
        assert!(strength.advice.is_some());
    }

    #[test]
    fn several_uncommon_words_score_high() {
        let strength = estimate("quartz lantern orbit marmalade", &[]);
        assert!(strength.score >= 3, "{strength:?}");
    }

    #[test]
    fn context_words_count_against_the_passphrase() {
        let without = estimate("vitalog-2026-diary", &[]);
        let with = estimate("vitalog-2026-diary", &["vitalog", "diary"]);
        assert!(with.score <= without.score);
    }
}
