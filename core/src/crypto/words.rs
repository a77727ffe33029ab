//! The pairing word list: 256 short, common English words, one per line in
//! `words.txt`, so each word carries one byte.
//!
//! The list is checked while compiling: exactly 256 lines, lowercase a-z,
//! 3 to 7 letters, sorted, and no two words starting with the same three
//! letters. That last rule lets a partner type just the first three letters
//! (or mistype the rest) and still land on the right word.

/// Number of words in the list; each word encodes one byte.
pub(crate) const WORD_COUNT: usize = 256;

/// Letters that decide a word when typing.
pub(crate) const PREFIX_LEN: usize = 3;

const MIN_WORD_LEN: usize = 3;
const MAX_WORD_LEN: usize = 7;

/// The list, in sorted order.
pub(crate) static WORDS: [&str; WORD_COUNT] = parse_word_list(include_str!("words.txt"));

/// The word at `index`.
pub(crate) fn word(index: u8) -> &'static str {
    WORDS[usize::from(index)]
}

/// Finds the list word a typed word means: an exact match, or else the one
/// word sharing its first three letters. `typed` must be lowercase.
pub(crate) fn lookup(typed: &str) -> Option<&'static str> {
    if typed.len() < PREFIX_LEN {
        return None;
    }
    let prefix = typed.get(..PREFIX_LEN)?;
    WORDS
        .binary_search_by(|w| w[..PREFIX_LEN].cmp(prefix))
        .ok()
        .map(|i| WORDS[i])
}

/// Parses and validates the list at compile time; any violation stops the
/// build with a message naming the rule.
const fn parse_word_list(text: &str) -> [&str; WORD_COUNT] {
    let bytes = text.as_bytes();
    let mut words = [""; WORD_COUNT];
    let mut count = 0;
    let mut start = 0;
    let mut i = 0;
    while i <= bytes.len() {
        let at_end = i == bytes.len();
        if at_end || bytes[i] == b'\n' {
            if i > start {
                assert!(count < WORD_COUNT, "words.txt has more than 256 words");
                let (_, rest) = bytes.split_at(start);
                let (line, _) = rest.split_at(i - start);
                words[count] = checked_word(line);
                if count > 0 {
                    assert!(
                        prefix_before(words[count - 1].as_bytes(), line),
                        "words.txt must be sorted with unique three-letter prefixes"
                    );
                }
                count += 1;
            } else {
                assert!(at_end, "words.txt must not contain blank lines");
            }
            start = i + 1;
        }
        i += 1;
    }
    assert!(count == WORD_COUNT, "words.txt must hold exactly 256 words");
    words
}

const fn checked_word(line: &[u8]) -> &str {
    assert!(
        line.len() >= MIN_WORD_LEN && line.len() <= MAX_WORD_LEN,
        "every word in words.txt has 3 to 7 letters"
    );
    let mut i = 0;
    while i < line.len() {
        assert!(
            line[i].is_ascii_lowercase(),
            "words.txt holds only lowercase a-z"
        );
        i += 1;
    }
    match core::str::from_utf8(line) {
        Ok(word) => word,
        Err(_) => panic!("words.txt must be UTF-8"),
    }
}

/// True when `a`'s three-letter prefix sorts strictly before `b`'s.
const fn prefix_before(a: &[u8], b: &[u8]) -> bool {
    let mut i = 0;
    while i < PREFIX_LEN {
        if a[i] != b[i] {
            return a[i] < b[i];
        }
        i += 1;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn list_has_256_distinct_words_and_prefixes() {
        let words: HashSet<_> = WORDS.iter().collect();
        let prefixes: HashSet<_> = WORDS.iter().map(|w| &w[..PREFIX_LEN]).collect();
        assert_eq!(words.len(), 256);
        assert_eq!(prefixes.len(), 256);
    }

    #[test]
    fn example_words_are_present() {
        for w in ["river", "lantern", "moss"] {
            assert_eq!(lookup(w), Some(w));
        }
    }

    #[test]
    fn every_word_is_found_by_itself_and_by_its_prefix() {
        for (i, w) in WORDS.iter().enumerate() {
            assert_eq!(word(i as u8), *w);
            assert_eq!(lookup(w), Some(*w));
            assert_eq!(lookup(&w[..PREFIX_LEN]), Some(*w));
        }
    }

    #[test]
    fn misspelled_tail_still_resolves_but_unknown_prefix_does_not() {
        assert_eq!(lookup("rivre"), Some("river"));
        assert_eq!(lookup("lanturn"), Some("lantern"));
        assert_eq!(lookup("xyzzy"), None);
        assert_eq!(lookup("ri"), None);
        assert_eq!(lookup(""), None);
    }

    #[test]
    fn known_homophones_are_kept_out() {
        // Pairs a partner could hear as the same word when a code is read
        // aloud: at most one side of each may be in the list.
        let pairs = [
            ("beach", "beech"),
            ("bear", "bare"),
            ("berry", "bury"),
            ("flower", "flour"),
            ("night", "knight"),
            ("rose", "rows"),
            ("sun", "son"),
            ("tail", "tale"),
            ("pear", "pair"),
            ("plum", "plumb"),
            ("rain", "reign"),
            ("creek", "creak"),
            ("coral", "choral"),
            ("poppy", "puppy"),
            ("wander", "wonder"),
            ("dew", "due"),
            ("deer", "dear"),
        ];
        let words: HashSet<_> = WORDS.iter().copied().collect();
        for (a, b) in pairs {
            assert!(
                !(words.contains(a) && words.contains(b)),
                "{a} and {b} sound alike"
            );
        }
    }
}
