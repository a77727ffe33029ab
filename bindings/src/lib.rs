//! UniFFI exports of the Hearth core facade, and nothing else.
