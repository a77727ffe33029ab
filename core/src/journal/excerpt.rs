//! The short excerpt shown with a search result: a few words around the
//! first match, with matching words marked `[like this]`.

/// Words shown around the first match.
const WINDOW: usize = 12;

/// The searched words, lowercased; the last one matches as a prefix (as the
/// search itself does).
pub(crate) fn query_words(text: &str) -> Vec<String> {
    words(text).map(|(_, w)| w.to_lowercase()).collect()
}

/// Splits text into words: runs of letters and digits, with byte offsets.
pub(crate) fn words(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(move |w| (w.as_ptr() as usize - text.as_ptr() as usize, w))
}

fn matches(word: &str, query: &[String]) -> bool {
    let word = word.to_lowercase();
    query.iter().enumerate().any(|(i, q)| {
        if i + 1 == query.len() {
            word.starts_with(q.as_str())
        } else {
            word == *q
        }
    })
}

/// An excerpt of `body` around the first word matching `query`, or its
/// opening words when only the title matched.
pub(crate) fn excerpt(body: &str, query: &[String]) -> String {
    let all: Vec<(usize, &str)> = words(body).collect();
    if all.is_empty() {
        return String::new();
    }
    let first_hit = all.iter().position(|(_, w)| matches(w, query)).unwrap_or(0);
    let start = first_hit.saturating_sub(WINDOW / 3);
    let end = (start + WINDOW).min(all.len());
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    let mut cursor = all[start].0;
    for &(at, word) in &all[start..end] {
        out.push_str(&body[cursor..at]);
        if matches(word, query) {
            out.push('[');
            out.push_str(word);
            out.push(']');
        } else {
            out.push_str(word);
        }
        cursor = at + word.len();
    }
    if end < all.len() {
        out.push('…');
    } else {
        out.push_str(&body[cursor..]);
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_matches_and_the_prefix_of_the_last_word() {
        let q = query_words("river du");
        assert_eq!(
            excerpt("We walked along the River at dusk.", &q),
            "We walked along the [River] at [dusk]."
        );
    }

    #[test]
    fn long_texts_show_a_window_with_ellipses() {
        let body = format!(
            "{} the lighthouse {}",
            "word ".repeat(30),
            "more ".repeat(30)
        );
        let e = excerpt(&body, &query_words("lighthouse"));
        assert!(e.starts_with('…') && e.ends_with('…'), "{e}");
        assert!(e.contains("[lighthouse]"));
        assert!(e.split_whitespace().count() <= WINDOW + 2);
    }

    #[test]
    fn a_title_only_match_shows_the_opening() {
        assert_eq!(
            excerpt("Short and sweet.", &query_words("sunday")),
            "Short and sweet."
        );
        assert_eq!(excerpt("", &query_words("x")), "");
    }
}
