//! A fixed vocabulary of names stored in documents: the enum, its stable
//! names, and parsing with a typed error. Shared by emotions and reactions.

/// Defines an enum whose variants are stored by name (snake_case) in shared
/// documents. Names are part of the data format: never rename a variant,
/// only add new ones at the end.
macro_rules! vocabulary {
    (
        $(#[$meta:meta])*
        $name:ident, unknown = $unknown:path {
            $($(#[$vmeta:meta])* $variant:ident = $text:literal,)+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        #[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
        }

        impl $name {
            /// Every value, in their stable order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The stable name stored in documents and shown to developers.
            pub fn name(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                }
            }

            /// Parses a stored or typed name (case-insensitive, trimmed).
            pub fn parse(text: &str) -> $crate::error::Result<Self> {
                let wanted = text.trim().to_ascii_lowercase();
                Self::ALL
                    .iter()
                    .copied()
                    .find(|v| v.name() == wanted)
                    .ok_or_else(|| $unknown(text.trim().to_owned()))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.name())
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::error::Error;
            fn from_str(text: &str) -> $crate::error::Result<Self> {
                Self::parse(text)
            }
        }
    };
}

pub(crate) use vocabulary;
