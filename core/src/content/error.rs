//! The error for content that fails to load. The pure functions over the
//! content have their own small errors next to them.

/// The embedded content could not be loaded. These are mistakes made when
/// building the app, caught by `cargo test -p hearth-core content`; at run
/// time they mean a build shipped with broken content files.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ContentError {
    /// A file is not valid TOML or does not have the expected fields.
    #[error("content file {file} could not be read ({message}); fix its syntax or field names")]
    Parse {
        /// The file, relative to core/content/.
        file: &'static str,
        /// What the TOML parser reported.
        message: String,
    },
    /// A file parsed but breaks content rules (ids, references, coverage).
    #[error(
        "content file {file} breaks {} content rule(s): {}; fix the entries named",
        problems.len(),
        problems.join("; ")
    )]
    Invalid {
        /// The file, relative to core/content/.
        file: &'static str,
        /// Each rule broken, naming the entry.
        problems: Vec<String>,
    },
}
