//! Parsing and the small checks every content file shares: non-empty text,
//! well-formed and unique ids. Each file's own rules live with its types.

use std::collections::HashSet;

use serde::de::DeserializeOwned;

use super::error::ContentError;

/// Parses one embedded TOML file into its typed shape.
pub(crate) fn parse<T: DeserializeOwned>(
    file: &'static str,
    text: &str,
) -> Result<T, ContentError> {
    toml::from_str(text).map_err(|e| ContentError::Parse {
        file,
        message: e.message().to_owned(),
    })
}

/// Collects every problem in a file so one test run lists them all.
#[derive(Debug)]
pub(crate) struct Problems {
    file: &'static str,
    list: Vec<String>,
}

impl Problems {
    pub(crate) fn new(file: &'static str) -> Self {
        Problems {
            file,
            list: Vec::new(),
        }
    }

    pub(crate) fn push(&mut self, problem: impl Into<String>) {
        self.list.push(problem.into());
    }

    /// Flags a value that is empty or only whitespace.
    pub(crate) fn text(&mut self, owner: &str, field: &str, value: &str) {
        if value.trim().is_empty() {
            self.push(format!("{owner}: {field} is empty"));
        } else if value.trim() != value {
            self.push(format!("{owner}: {field} has leading or trailing spaces"));
        }
    }

    /// Flags empty entries in a list of texts, and an empty list.
    pub(crate) fn texts(&mut self, owner: &str, field: &str, values: &[String]) {
        if values.is_empty() {
            self.push(format!("{owner}: {field} has no entries"));
        }
        for (i, v) in values.iter().enumerate() {
            self.text(owner, &format!("{field}[{}]", i + 1), v);
        }
    }

    /// Flags ids that are not lowercase words joined by `-`, `_` or `.`.
    pub(crate) fn id(&mut self, kind: &str, id: &str) {
        let well_formed = !id.is_empty()
            && id.chars().all(|c| {
                c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.')
            })
            && id.starts_with(|c: char| c.is_ascii_lowercase());
        if !well_formed {
            self.push(format!(
                "{kind} id {id:?} must start with a lowercase letter and use only a-z, 0-9, '-', '_' or '.'"
            ));
        }
    }

    /// Flags ids that appear more than once.
    pub(crate) fn unique<'a>(&mut self, kind: &str, ids: impl IntoIterator<Item = &'a str>) {
        let mut seen = HashSet::new();
        for id in ids {
            if !seen.insert(id) {
                self.push(format!("{kind} id {id:?} is used more than once"));
            }
        }
    }

    /// Flags a list that holds the same value twice.
    pub(crate) fn no_repeats<T: PartialEq + std::fmt::Debug>(
        &mut self,
        owner: &str,
        field: &str,
        values: &[T],
    ) {
        for (i, v) in values.iter().enumerate() {
            if values[..i].contains(v) {
                self.push(format!("{owner}: {field} lists {v:?} twice"));
            }
        }
    }

    pub(crate) fn finish(self) -> Result<(), ContentError> {
        if self.list.is_empty() {
            Ok(())
        } else {
            Err(ContentError::Invalid {
                file: self.file,
                problems: self.list,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collects_every_problem() {
        let mut p = Problems::new("x.toml");
        p.text("a", "title", "  ");
        p.text("a", "summary", " padded");
        p.text("a", "fine", "fine");
        p.id("exercise", "Bad Id");
        p.id("exercise", "good-id_2.x");
        p.unique("exercise", ["a", "b", "a"]);
        p.no_repeats("a", "dimensions", &[1, 2, 1]);
        match p.finish() {
            Err(ContentError::Invalid { file, problems }) => {
                assert_eq!(file, "x.toml");
                assert_eq!(problems.len(), 5, "{problems:?}");
            }
            other => panic!("expected Invalid, got {other:?}"),
        }
        assert!(Problems::new("y.toml").finish().is_ok());
    }

    #[test]
    fn parse_errors_name_the_file() {
        #[derive(Debug, serde::Deserialize)]
        struct Shape {
            #[allow(dead_code)]
            n: u32,
        }
        let err = parse::<Shape>("shape.toml", "n = \"x\"").unwrap_err();
        assert!(matches!(
            err,
            ContentError::Parse {
                file: "shape.toml",
                ..
            }
        ));
        assert!(err.to_string().contains("shape.toml"));
    }
}
