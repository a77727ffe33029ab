//! `hearth-relay`: runs the relay.

fn main() {
    eprintln!("hearth-relay is not built yet; see the relay issue");
    std::process::exit(2);
}
