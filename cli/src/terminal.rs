//! What reaches the terminal: every byte the CLI prints goes through
//! [`Escaped`], which shows control characters as visible escapes. A
//! partner's entry, name or comment can hold `\x1b]0;…` (retitle the
//! window) or `\x1b[2J` (clear it); on this side they print as the text
//! `\x1b]0;…`, never act.

use std::io::{self, Write};

/// A writer that passes text through and escapes C0 controls (but line
/// feed and tab), DEL and the C1 controls (U+0080 to U+009F, which some
/// terminals obey like ESC sequences).
#[derive(Debug)]
pub struct Escaped<W: Write> {
    inner: W,
    /// A 0xC2 lead byte held back until the next byte says whether it
    /// starts a C1 control.
    pending_lead: bool,
}

impl<W: Write> Escaped<W> {
    /// Wraps `inner`.
    pub fn new(inner: W) -> Self {
        Self {
            inner,
            pending_lead: false,
        }
    }
}

impl<W: Write> Write for Escaped<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut out = Vec::with_capacity(buf.len());
        for &byte in buf {
            if self.pending_lead {
                self.pending_lead = false;
                if (0x80..=0x9f).contains(&byte) {
                    out.extend_from_slice(format!("\\u{{{byte:02x}}}").as_bytes());
                    continue;
                }
                out.push(0xc2);
            }
            match byte {
                b'\n' | b'\t' => out.push(byte),
                0x00..=0x1f | 0x7f => out.extend_from_slice(format!("\\x{byte:02x}").as_bytes()),
                0xc2 => self.pending_lead = true,
                _ => out.push(byte),
            }
        }
        self.inner.write_all(&out)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.pending_lead {
            self.pending_lead = false;
            self.inner.write_all(&[0xc2])?;
        }
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(parts: &[&[u8]]) -> String {
        let mut out = Escaped::new(Vec::new());
        for part in parts {
            out.write_all(part).unwrap();
        }
        out.flush().unwrap();
        String::from_utf8(out.inner).unwrap()
    }

    #[test]
    fn escape_sequences_are_shown_not_obeyed() {
        assert_eq!(
            shown(&[b"hi \x1b]0;owned\x07 \x1b[2J\r\n"]),
            "hi \\x1b]0;owned\\x07 \\x1b[2J\\x0d\n"
        );
        // U+009B (a one-character CSI), even split across writes.
        assert_eq!(shown(&[b"a\xc2", b"\x9b2Jb"]), "a\\u{9b}2Jb");
    }

    #[test]
    fn ordinary_text_passes_unchanged() {
        let text = "Tänk på det, 🌿 — «ça va?»\n\tnext line é\u{a0}";
        assert_eq!(shown(&[text.as_bytes()]), text);
    }
}
