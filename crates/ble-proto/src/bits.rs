//! Bit fields (status, features, annunciations) as small newtypes with named bits.
//!
//! The raw bits are kept as sent, reserved bits included, so nothing a device reports is lost;
//! the named constants say what the defined bits mean.

/// Declares a bit-field newtype over an unsigned integer with named single-bit constants.
macro_rules! bit_field {
    (
        $(#[$meta:meta])*
        $name:ident($repr:ty) {
            $($(#[$flag_meta:meta])* $flag:ident = $bit:literal;)*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
        pub struct $name(pub $repr);

        impl $name {
            $($(#[$flag_meta])* pub const $flag: $name = $name(1 << $bit);)*

            /// Every named bit with its name, in bit order.
            pub const NAMED: &'static [($name, &'static str)] = &[$(($name::$flag, stringify!($flag)),)*];

            /// The raw bits, reserved ones included.
            pub const fn bits(self) -> $repr {
                self.0
            }

            /// Whether every bit of `other` is set.
            pub const fn contains(self, other: $name) -> bool {
                self.0 & other.0 == other.0
            }

            /// The names of the named bits that are set, in bit order.
            pub fn names(self) -> impl Iterator<Item = &'static str> {
                Self::NAMED
                    .iter()
                    .filter(move |(flag, _)| self.contains(*flag))
                    .map(|(_, name)| *name)
            }
        }
    };
}

pub(crate) use bit_field;
