//! The pairing wire messages (PAKE, key confirmation, the space offer and
//! its reply), fed to the real host and joiner state machines.
//!
//! Input: a mode byte, a step byte, then messages separated by
//! [`SEPARATOR`](crate::SEPARATOR).
//!
//! - mode 0: every message goes to the host, in order;
//! - mode 1: every message goes to the joiner;
//! - mode 2: an honest exchange in which message number `step % 6`
//!   (host PAKE, joiner PAKE, host confirm, joiner confirm, offer, reply)
//!   is replaced by the first message;
//! - mode 3: the same, with that message XORed by the first message, so
//!   the fuzzer edits a real message rather than inventing one.
//!
//! Whatever happens, nothing panics, and two phones that both finish hold
//! the same outcome.

use hearth_core::crypto::{
    DeviceKeys, HostPairing, JoinerPairing, MemberProfile, PairingCode, PairingOutcome,
    PairingStep, SpaceKey,
};

/// The code both phones type.
pub const CODE: &str = "7-river-lantern-moss";

fn keys(seed: u8) -> DeviceKeys {
    let mut bytes = vec![1u8];
    bytes.extend((0..64u8).map(|i| i.wrapping_add(seed)));
    DeviceKeys::from_secret_bytes(&bytes, "fuzz").expect("fixed keys")
}

fn profile(id: &str, name: &str) -> MemberProfile {
    MemberProfile {
        member_id: id.into(),
        display_name: name.into(),
    }
}

fn start() -> (HostPairing, Vec<u8>, JoinerPairing, Vec<u8>) {
    let code = PairingCode::parse(CODE).expect("a valid code");
    let (host, host_pake) = HostPairing::start(
        &code,
        &keys(1),
        profile("member-a", "Alex"),
        "space-42".into(),
        &SpaceKey::from_bytes([5; SpaceKey::LEN]),
    )
    .expect("the host starts");
    let (joiner, joiner_pake) = JoinerPairing::start(&code, &keys(2), profile("member-b", "Sam"))
        .expect("the joiner starts");
    (host, host_pake, joiner, joiner_pake)
}

/// Runs one input.
pub fn run(data: &[u8]) {
    crate::unwind_panics();
    let [mode, step, rest @ ..] = data else {
        return;
    };
    let messages = crate::records(rest, 8);
    let (mut host, host_pake, mut joiner, joiner_pake) = start();
    match mode % 4 {
        0 => {
            for m in messages {
                let _ = host.receive(m);
            }
        }
        1 => {
            for m in messages {
                let _ = joiner.receive(m);
            }
        }
        mode => {
            let edit = |index: usize, honest: Vec<u8>| -> Vec<u8> {
                if index != usize::from(*step) % 6 {
                    return honest;
                }
                let fuzz = messages.first().copied().unwrap_or_default();
                if mode == 2 {
                    return fuzz.to_vec();
                }
                let mut out = honest;
                for (i, b) in fuzz.iter().enumerate() {
                    match out.get_mut(i) {
                        Some(o) => *o ^= b,
                        None => out.push(*b),
                    }
                }
                out
            };
            honest_run(&mut host, &mut joiner, host_pake, joiner_pake, edit);
        }
    }
}

/// An exchange in which `edit` may change each message in flight.
fn honest_run(
    host: &mut HostPairing,
    joiner: &mut JoinerPairing,
    host_pake: Vec<u8>,
    joiner_pake: Vec<u8>,
    edit: impl Fn(usize, Vec<u8>) -> Vec<u8>,
) {
    let host_pake = edit(0, host_pake);
    let joiner_pake = edit(1, joiner_pake);
    let Ok(PairingStep::Send(host_confirm)) = host.receive(&joiner_pake) else {
        return;
    };
    let Ok(PairingStep::Send(joiner_confirm)) = joiner.receive(&host_pake) else {
        return;
    };
    let host_confirm = edit(2, host_confirm);
    let joiner_confirm = edit(3, joiner_confirm);
    let Ok(PairingStep::Send(offer)) = host.receive(&joiner_confirm) else {
        return;
    };
    let Ok(PairingStep::Send(reply)) = joiner.receive(&host_confirm) else {
        return;
    };
    let offer = edit(4, offer);
    let reply = edit(5, reply);
    let host_outcome = finished(host.receive(&reply));
    let joiner_outcome = finished(joiner.receive(&offer));
    if let (Some(h), Some(j)) = (host_outcome, joiner_outcome) {
        assert_eq!(h, j, "both phones finished pairing with different outcomes");
    }
}

fn finished<E>(step: Result<PairingStep, E>) -> Option<PairingOutcome> {
    match step {
        Ok(PairingStep::Finished(outcome)) => Some(*outcome),
        _ => None,
    }
}

/// The six messages of an honest exchange, in order (for the seeds).
#[must_use]
pub fn honest_messages() -> Vec<Vec<u8>> {
    let (mut host, host_pake, mut joiner, joiner_pake) = start();
    let send = |s| match s {
        Ok(PairingStep::Send(m)) => m,
        _ => panic!("an honest exchange goes on"),
    };
    let host_confirm = send(host.receive(&joiner_pake));
    let joiner_confirm = send(joiner.receive(&host_pake));
    let offer = send(host.receive(&joiner_confirm));
    let reply = send(joiner.receive(&host_confirm));
    vec![
        host_pake,
        joiner_pake,
        host_confirm,
        joiner_confirm,
        offer,
        reply,
    ]
}
