//! `hearth`: a terminal client on the Hearth core.

fn main() {
    eprintln!("the hearth CLI is not built yet; see the bindings and CLI issue");
    std::process::exit(2);
}
