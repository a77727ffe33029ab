//! The core's errors in a terminal's words. The core speaks to phone
//! users too ("in Settings", "this phone"); here each failure that names a
//! screen or a phone says which command to run instead. The rest keep the
//! core's words, which already say what to do.

use hearth_core::Error;

/// How to try a code again, for pairing and linking alike.
const AGAIN: &str = "make a new code (`hearth pair create` for your partner, `hearth devices link` for a device of yours) and type that one";

/// What to print for a core failure.
pub fn core_error(error: &Error) -> String {
    match error {
        Error::NotOptedIn => "this is only offered once you have both chosen to see sexual content: each of you runs `hearth opt-in yes`".into(),
        Error::NotShared => "private entries stay in this profile, so they take no reactions or comments: share the entry first with `hearth share ID`".into(),
        Error::EntryNotFound(id) => format!("there is no journal entry with id {id} in this profile: `hearth list` shows the ids"),
        Error::NotFound { what, id } => {
            let list = match *what {
                "exercise" | "turn-based drill" => " (`hearth exercises` lists them)",
                "daily question" => " (`hearth today` shows today's)",
                "program" => " (`hearth programs` lists them)",
                "goal" => " (`hearth goals` lists them)",
                "date idea" => " (`hearth dates` lists them)",
                "drill" => " (`hearth drill` lists the open ones)",
                "game round" => " (`hearth game` lists them)",
                "partner" => ": pair first with `hearth pair create` or `hearth pair join CODE`",
                _ => "",
            };
            format!("there is no {what} with id {id}{list}")
        }
        Error::NoRelay => "no relay is set: choose the relay to sync through with `hearth relay URL`".into(),
        Error::NotPaired => "this profile is not paired with a partner yet: pair first (`hearth pair create`, or `hearth pair join CODE`), then sync".into(),
        Error::NeedsPartner => "this needs your partner: pair first with `hearth pair create` or `hearth pair join CODE`".into(),
        Error::AlreadyPaired => "this profile is already paired with your partner, and a space holds two people: nothing was shared. To pair with someone else, leave the shared space first (`hearth leave`)".into(),
        Error::Relay(e) => format!("{e}; your changes are kept in this profile and go at the next `hearth sync`"),
        Error::WrongCode => format!("the code did not match on both sides, so nothing was shared: {AGAIN}"),
        Error::PairingExpired => format!("this code has expired: {AGAIN}"),
        Error::PairingClosed => format!("the other side stopped (a mistyped code does this too), so nothing was shared: {AGAIN}"),
        Error::SpaceClosed => "your shared space was closed, so the shared journal is read-only here: you can still read and export it. To pair again, start afresh with `hearth new-space` (this journal is kept)".into(),
        Error::ProfileExists => "this data folder already holds a Hearth profile, and linking sets up a new one: choose an empty folder with `hearth --data-dir DIR link CODE --relay URL`".into(),
        Error::NoPairingInProgress => "no pairing is in progress: start one with `hearth pair create`".into(),
        Error::Keys(e) => format!("this profile's keys could not be used ({e}); check that the files in the profile's keys folder are yours and readable, then try again"),
        Error::DamagedDatabase(e) => format!("the Hearth database could not be read ({e}); restore the profile from a backup, or run `hearth start-over` and import an export"),
        Error::DamagedProfile(damage) => format!("{damage}; nothing was changed. Put the file (or the key) back from a backup and run the command again, or run `hearth start-over` (the old files are kept in a set-aside folder)"),
        Error::Database(e) => format!("Hearth's database failed ({e}); if this keeps happening, check free space and run the command again"),
        Error::Background(e) => format!("Hearth could not start its background work ({e}); run the command again"),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_failure_speaks_of_phones_or_settings() {
        let failures = [
            Error::NotOptedIn,
            Error::NotShared,
            Error::EntryNotFound("e1".into()),
            Error::NoRelay,
            Error::NotPaired,
            Error::NeedsPartner,
            Error::AlreadyPaired,
            Error::WrongCode,
            Error::PairingExpired,
            Error::PairingClosed,
            Error::ProfileExists,
            Error::SpaceClosed,
            Error::Background("no threads".into()),
        ];
        for failure in failures {
            let said = core_error(&failure);
            for phone_word in ["phone", "Settings", "the app"] {
                assert!(!said.contains(phone_word), "{said}");
            }
            assert!(
                said.contains("hearth") || said.contains("run the command again"),
                "{said}"
            );
        }
    }
}
