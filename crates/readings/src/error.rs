//! Why a reading cannot be what it claims. Messages name the field and the accepted range but
//! never carry the value itself, so they are safe to log.

use crate::Field;
use crate::unit::Unit;

/// A reading that is missing a part, malformed, or impossible.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ReadingError {
    /// A field the kind needs is not there.
    #[error("the {what} is missing")]
    Missing {
        /// The field in words ("glucose value").
        what: &'static str,
        /// The field.
        field: Field,
    },
    /// A value needs a unit and none was given.
    #[error("the unit of the {what} is missing")]
    MissingUnit {
        /// The field in words.
        what: &'static str,
    },
    /// A number field holds something else.
    #[error("the {what} is not a number like 5.8")]
    NotANumber {
        /// The field in words.
        what: &'static str,
        /// The field.
        field: Field,
    },
    /// A text the kind needs is empty.
    #[error("the {what} is empty")]
    EmptyText {
        /// The field in words.
        what: &'static str,
    },
    /// The unit is not one this kind is recorded in.
    #[error("{} is not a unit for {what} (use {})", unit.symbol(), symbols(accepted))]
    UnsupportedUnit {
        /// The kind in words.
        what: &'static str,
        /// The unit given.
        unit: Unit,
        /// The units accepted.
        accepted: &'static [Unit],
    },
    /// A value no body or monitor can produce; it is never stored.
    #[error("{what} must be {range}; nothing was stored")]
    Impossible {
        /// What was measured.
        what: &'static str,
        /// The field that holds it.
        field: Field,
        /// The accepted range in words, in the unit the value was given in.
        range: String,
    },
    /// A blood pressure whose diastolic is not below its systolic.
    #[error("the diastolic pressure must be lower than the systolic; nothing was stored")]
    DiastolicNotBelowSystolic,
    /// A mean arterial pressure outside its own reading's diastolic–systolic span.
    #[error(
        "the mean arterial pressure must lie between the diastolic and the systolic; nothing was stored"
    )]
    MeanArterialOutside,
    /// A name (kind, unit, meal context, flag, source, time quality) Vitalog does not know.
    #[error("not a known {what} (expected one of: {expected})")]
    UnknownName {
        /// What kind of name.
        what: &'static str,
        /// The names accepted.
        expected: &'static str,
    },
}

impl ReadingError {
    /// The field at fault, so a form can mark it and move the cursor there; `None` when the
    /// problem is not one field's (a name Vitalog does not know).
    pub fn field(&self) -> Option<Field> {
        match self {
            ReadingError::Missing { field, .. }
            | ReadingError::NotANumber { field, .. }
            | ReadingError::Impossible { field, .. } => Some(*field),
            ReadingError::MissingUnit { .. } | ReadingError::UnsupportedUnit { .. } => {
                Some(Field::Unit)
            }
            ReadingError::EmptyText { .. } => Some(Field::Text),
            ReadingError::DiastolicNotBelowSystolic => Some(Field::Diastolic),
            ReadingError::MeanArterialOutside => Some(Field::MeanArterial),
            ReadingError::UnknownName { .. } => None,
        }
    }
}

fn symbols(units: &[Unit]) -> String {
    let symbols: Vec<_> = units.iter().map(|u| u.symbol()).collect();
    match symbols.as_slice() {
        [] => "no unit".into(),
        [one] => (*one).into(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}
