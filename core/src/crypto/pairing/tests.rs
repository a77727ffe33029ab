//! Runs both sides of pairing against each other in memory, the way the
//! sync engine will run them over the relay mailbox.

use super::*;

struct Phone {
    keys: DeviceKeys,
    profile: MemberProfile,
}

fn phone(member_id: &str, name: &str) -> Phone {
    Phone {
        keys: DeviceKeys::generate().unwrap(),
        profile: MemberProfile {
            member_id: member_id.into(),
            display_name: name.into(),
        },
    }
}

fn code(text: &str) -> PairingCode {
    PairingCode::parse(text).unwrap()
}

fn send(step: PairingStep) -> Vec<u8> {
    match step {
        PairingStep::Send(bytes) => bytes,
        PairingStep::Finished(_) => panic!("expected a message to send"),
    }
}

fn finished(step: PairingStep) -> PairingOutcome {
    match step {
        PairingStep::Finished(outcome) => *outcome,
        PairingStep::Send(_) => panic!("expected the outcome"),
    }
}

struct Setup {
    host: HostPairing,
    joiner: JoinerPairing,
    host_pake: Vec<u8>,
    joiner_pake: Vec<u8>,
    space_key: SpaceKey,
    a: Phone,
    b: Phone,
}

fn setup(host_code: &str, joiner_code: &str) -> Setup {
    let a = phone("member-a", "Alex");
    let b = phone("member-b", "Sam");
    let space_key = SpaceKey::generate().unwrap();
    let (host, host_pake) = HostPairing::start(
        &code(host_code),
        &a.keys,
        a.profile.clone(),
        "space-42".into(),
        &space_key,
    )
    .unwrap();
    let (joiner, joiner_pake) =
        JoinerPairing::start(&code(joiner_code), &b.keys, b.profile.clone()).unwrap();
    Setup {
        host,
        joiner,
        host_pake,
        joiner_pake,
        space_key,
        a,
        b,
    }
}

/// Messages of a full run, for inspection.
/// Each phone refuses the other's confirmation with `error`.
fn both_refuse(s: &mut Setup, host_confirm: &[u8], joiner_confirm: &[u8], error: PairingError) {
    assert_eq!(s.host.receive(joiner_confirm).unwrap_err(), error);
    assert_eq!(s.joiner.receive(host_confirm).unwrap_err(), error);
}

struct Run {
    host_outcome: PairingOutcome,
    joiner_outcome: PairingOutcome,
    messages: Vec<Vec<u8>>,
}

fn run(mut s: Setup) -> Run {
    let host_confirm = send(s.host.receive(&s.joiner_pake).unwrap());
    let joiner_confirm = send(s.joiner.receive(&s.host_pake).unwrap());
    let offer = send(s.host.receive(&joiner_confirm).unwrap());
    let reply = send(s.joiner.receive(&host_confirm).unwrap());
    let host_outcome = finished(s.host.receive(&reply).unwrap());
    let joiner_outcome = finished(s.joiner.receive(&offer).unwrap());
    Run {
        host_outcome,
        joiner_outcome,
        messages: vec![
            s.host_pake,
            s.joiner_pake,
            host_confirm,
            joiner_confirm,
            offer,
            reply,
        ],
    }
}

#[test]
fn a_peer_with_this_phones_own_member_id_is_refused_on_both_sides() {
    let a = phone("member-a", "Alex");
    let b = phone("member-a", "Alex again");
    let space_key = SpaceKey::generate().unwrap();
    let text = "7-river-lantern-moss";
    let (mut host, host_pake) = HostPairing::start(
        &code(text),
        &a.keys,
        a.profile.clone(),
        "space-42".into(),
        &space_key,
    )
    .unwrap();
    let (mut joiner, joiner_pake) =
        JoinerPairing::start(&code(text), &b.keys, b.profile.clone()).unwrap();
    let host_confirm = send(host.receive(&joiner_pake).unwrap());
    let joiner_confirm = send(joiner.receive(&host_pake).unwrap());
    let offer = send(host.receive(&joiner_confirm).unwrap());
    let reply = send(joiner.receive(&host_confirm).unwrap());
    assert_eq!(host.receive(&reply).unwrap_err(), PairingError::SameMember);
    assert_eq!(
        joiner.receive(&offer).unwrap_err(),
        PairingError::SameMember
    );
}

#[test]
fn right_code_gives_both_phones_the_same_outcome() {
    let s = setup("7-river-lantern-moss", "7 River lantern MOSS");
    let (space_key, a_public, b_public) =
        (s.space_key.clone(), s.a.keys.public(), s.b.keys.public());
    let r = run(s);
    assert_eq!(r.host_outcome, r.joiner_outcome);
    let o = r.joiner_outcome;
    assert_eq!(o.space_id, "space-42");
    assert_eq!(o.space_key, space_key);
    assert_eq!(o.host.device, a_public);
    assert_eq!(o.host.member_id, "member-a");
    assert_eq!(o.host.display_name, "Alex");
    assert_eq!(o.joiner.device, b_public);
    assert_eq!(o.joiner.member_id, "member-b");
    assert_eq!(o.joiner.display_name, "Sam");
}

#[test]
fn safety_number_is_twelve_grouped_digits_and_differs_between_runs() {
    let first = run(setup("7-river-lantern-moss", "7-river-lantern-moss"));
    let second = run(setup("7-river-lantern-moss", "7-river-lantern-moss"));
    let number = &first.host_outcome.safety_number;
    assert_eq!(number.len(), SAFETY_NUMBER_DIGITS + 2);
    let groups: Vec<&str> = number.split(' ').collect();
    assert_eq!(groups.len(), 3);
    assert!(
        groups
            .iter()
            .all(|g| g.len() == 4 && g.bytes().all(|b| b.is_ascii_digit()))
    );
    // Other devices and another exchange give another number.
    assert_ne!(
        first.host_outcome.safety_number,
        second.host_outcome.safety_number
    );
}

#[test]
fn safety_number_depends_on_every_input() {
    let a = DeviceKeys::generate().unwrap().public();
    let b = DeviceKeys::generate().unwrap().public();
    let c = DeviceKeys::generate().unwrap().public();
    let t1 = [1u8; 32];
    let t2 = [2u8; 32];
    let base = session::safety_number(&t1, &a, &b);
    assert_eq!(base, session::safety_number(&t1, &a, &b));
    assert_ne!(base, session::safety_number(&t2, &a, &b));
    assert_ne!(base, session::safety_number(&t1, &a, &c));
    assert_ne!(base, session::safety_number(&t1, &c, &b));
    assert_ne!(base, session::safety_number(&t1, &b, &a));
}

#[test]
fn wrong_code_fails_on_both_sides_before_any_secret_moves() {
    let mut s = setup("7-river-lantern-moss", "7-river-lantern-oak");
    let host_confirm = send(s.host.receive(&s.joiner_pake).unwrap());
    let joiner_confirm = send(s.joiner.receive(&s.host_pake).unwrap());
    both_refuse(
        &mut s,
        &host_confirm,
        &joiner_confirm,
        PairingError::WrongCode,
    );

    // Nothing B (or the relay) saw carries the space key in any form.
    let key = s.space_key.as_bytes();
    let key_b64 = URL_SAFE_NO_PAD.encode(key);
    let key_json = serde_json::to_string(key).unwrap();
    for message in [&s.host_pake, &host_confirm] {
        assert!(!message.windows(32).any(|w| w == key));
        let text = String::from_utf8(message.clone()).unwrap();
        assert!(!text.contains(&key_b64));
        assert!(!text.contains(&key_json));
        assert!(!text.contains("space-42"));
        // No sealed message was ever produced.
        assert_ne!(message_kind(message), MessageKind::Sealed);
    }

    // Both exchanges are closed for good.
    both_refuse(&mut s, &host_confirm, &joiner_confirm, PairingError::Closed);
}

#[test]
fn a_different_nameplate_is_a_wrong_code() {
    let mut s = setup("7-river-lantern-moss", "8-river-lantern-moss");
    let host_confirm = send(s.host.receive(&s.joiner_pake).unwrap());
    let joiner_confirm = send(s.joiner.receive(&s.host_pake).unwrap());
    both_refuse(
        &mut s,
        &host_confirm,
        &joiner_confirm,
        PairingError::WrongCode,
    );
}

#[test]
fn the_space_key_travels_only_encrypted() {
    let s = setup("3-oak-moon-tulip", "3-oak-moon-tulip");
    let key = s.space_key.clone();
    let r = run(s);
    let key_b64 = URL_SAFE_NO_PAD.encode(key.as_bytes());
    let key_json = serde_json::to_string(key.as_bytes()).unwrap();
    for message in &r.messages {
        let text = String::from_utf8(message.clone()).unwrap();
        assert!(!text.contains(&key_b64));
        assert!(!text.contains(&key_json));
        assert!(!text.contains("space-42"));
        assert!(!text.contains("Alex"));
    }
}

#[test]
fn messages_are_versioned_json() {
    let s = setup("7-river-lantern-moss", "7-river-lantern-moss");
    let value: serde_json::Value = serde_json::from_slice(&s.host_pake).unwrap();
    assert_eq!(value["v"], 1);
    assert_eq!(value["from"], "host");
    assert_eq!(value["kind"], "pake");
    assert_eq!(message_sender(&s.host_pake), Ok(PairingRole::Host));
    assert_eq!(message_sender(&s.joiner_pake), Ok(PairingRole::Joiner));
}

#[test]
fn a_newer_version_is_reported_as_such() {
    let mut s = setup("7-river-lantern-moss", "7-river-lantern-moss");
    let newer = edit(&s.joiner_pake, |v| v["v"] = 2.into());
    assert_eq!(
        s.host.receive(&newer).unwrap_err(),
        PairingError::UnsupportedVersion { version: 2 }
    );
}

#[test]
fn reordered_messages_get_typed_errors() {
    // A confirm where the key exchange was expected.
    let mut s = setup("7-river-lantern-moss", "7-river-lantern-moss");
    let joiner_confirm = send(s.joiner.receive(&s.host_pake).unwrap());
    assert!(matches!(
        s.host.receive(&joiner_confirm),
        Err(PairingError::UnexpectedMessage { .. })
    ));

    // The sealed details before the confirmation.
    let mut s = setup("7-river-lantern-moss", "7-river-lantern-moss");
    let host_confirm = send(s.host.receive(&s.joiner_pake).unwrap());
    let joiner_confirm = send(s.joiner.receive(&s.host_pake).unwrap());
    let offer = send(s.host.receive(&joiner_confirm).unwrap());
    assert!(matches!(
        s.joiner.receive(&offer),
        Err(PairingError::UnexpectedMessage { .. })
    ));
    // ...which closes the joiner's side: the confirm no longer helps.
    assert_eq!(
        s.joiner.receive(&host_confirm).unwrap_err(),
        PairingError::Closed
    );
}

#[test]
fn own_and_repeated_messages_are_refused() {
    let mut s = setup("7-river-lantern-moss", "7-river-lantern-moss");
    assert!(matches!(
        s.host.receive(&s.host_pake.clone()),
        Err(PairingError::UnexpectedMessage { .. })
    ));

    let mut s = setup("7-river-lantern-moss", "7-river-lantern-moss");
    send(s.host.receive(&s.joiner_pake).unwrap());
    assert!(matches!(
        s.host.receive(&s.joiner_pake),
        Err(PairingError::UnexpectedMessage { .. })
    ));
}

#[test]
fn a_relabelled_message_is_refused() {
    // The joiner's key exchange message relabelled as coming from the host
    // and reflected back to the joiner.
    let mut s = setup("7-river-lantern-moss", "7-river-lantern-moss");
    let reflected = edit(&s.joiner_pake, |v| v["from"] = "host".into());
    assert!(matches!(
        s.joiner.receive(&reflected),
        Err(PairingError::UnexpectedMessage { .. })
    ));
}

#[test]
fn a_tampered_key_exchange_fails_as_a_wrong_code_or_malformed() {
    for position in [1usize, 5, 20, 32] {
        let mut s = setup("7-river-lantern-moss", "7-river-lantern-moss");
        let tampered = edit_body(&s.joiner_pake, |b| b[position] ^= 0x01);
        let host_confirm = match s.host.receive(&tampered) {
            Ok(step) => send(step),
            Err(e) => {
                assert!(matches!(e, PairingError::Malformed { .. }), "{e:?}");
                continue;
            }
        };
        let joiner_confirm = send(s.joiner.receive(&s.host_pake).unwrap());
        both_refuse(
            &mut s,
            &host_confirm,
            &joiner_confirm,
            PairingError::WrongCode,
        );
    }
}

#[test]
fn a_tampered_confirmation_is_a_wrong_code() {
    let mut s = setup("7-river-lantern-moss", "7-river-lantern-moss");
    send(s.host.receive(&s.joiner_pake).unwrap());
    let joiner_confirm = send(s.joiner.receive(&s.host_pake).unwrap());
    let tampered = edit_body(&joiner_confirm, |b| b[0] ^= 0x80);
    assert_eq!(
        s.host.receive(&tampered).unwrap_err(),
        PairingError::WrongCode
    );
}

#[test]
fn tampered_sealed_details_are_rejected() {
    for flip_at in [0usize, 30, 200] {
        let mut s = setup("7-river-lantern-moss", "7-river-lantern-moss");
        let host_confirm = send(s.host.receive(&s.joiner_pake).unwrap());
        let joiner_confirm = send(s.joiner.receive(&s.host_pake).unwrap());
        let offer = send(s.host.receive(&joiner_confirm).unwrap());
        send(s.joiner.receive(&host_confirm).unwrap());
        let tampered = edit_body(&offer, |b| b[flip_at] ^= 0x01);
        assert_eq!(
            s.joiner.receive(&tampered).unwrap_err(),
            PairingError::Tampered
        );
    }
}

#[test]
fn details_from_another_exchange_are_rejected() {
    // The relay runs two pairings with the same code and swaps the offers.
    let mut s1 = setup("7-river-lantern-moss", "7-river-lantern-moss");
    let mut s2 = setup("7-river-lantern-moss", "7-river-lantern-moss");
    let drive = |s: &mut Setup| {
        let hc = send(s.host.receive(&s.joiner_pake).unwrap());
        let jc = send(s.joiner.receive(&s.host_pake).unwrap());
        let offer = send(s.host.receive(&jc).unwrap());
        send(s.joiner.receive(&hc).unwrap());
        offer
    };
    let _offer1 = drive(&mut s1);
    let offer2 = drive(&mut s2);
    assert_eq!(
        s1.joiner.receive(&offer2).unwrap_err(),
        PairingError::Tampered
    );
}

#[test]
fn garbage_and_oversized_messages_are_malformed() {
    let mut s = setup("7-river-lantern-moss", "7-river-lantern-moss");
    assert!(matches!(
        s.host.receive(b"not json"),
        Err(PairingError::Malformed { .. })
    ));
    let mut s2 = setup("7-river-lantern-moss", "7-river-lantern-moss");
    let huge = vec![b' '; 10_000];
    assert!(matches!(
        s2.host.receive(&huge),
        Err(PairingError::Malformed { .. })
    ));
    let mut s3 = setup("7-river-lantern-moss", "7-river-lantern-moss");
    let extra = edit(&s3.joiner_pake, |v| v["extra"] = 1.into());
    assert!(matches!(
        s3.host.receive(&extra),
        Err(PairingError::Malformed { .. })
    ));
    let bad_b64 = edit(&s.joiner_pake, |v| v["body"] = "***".into());
    let mut s4 = setup("7-river-lantern-moss", "7-river-lantern-moss");
    assert!(matches!(
        s4.host.receive(&bad_b64),
        Err(PairingError::Malformed { .. })
    ));
    let short = edit_body(&s.joiner_pake, |b| b.truncate(10));
    let mut s5 = setup("7-river-lantern-moss", "7-river-lantern-moss");
    assert!(matches!(
        s5.host.receive(&short),
        Err(PairingError::Malformed { .. })
    ));
}

#[test]
fn invalid_own_details_are_refused_up_front() {
    let a = phone("", "Alex");
    let key = SpaceKey::generate().unwrap();
    let c = code("7-river-lantern-moss");
    assert!(matches!(
        HostPairing::start(&c, &a.keys, a.profile.clone(), "space".into(), &key),
        Err(PairingError::InvalidInput { .. })
    ));
    let a = phone("member-a", "Alex");
    assert!(matches!(
        HostPairing::start(&c, &a.keys, a.profile.clone(), String::new(), &key),
        Err(PairingError::InvalidInput { .. })
    ));
    let long = phone("member-b", &"n".repeat(MAX_DISPLAY_NAME_LEN + 1));
    assert!(matches!(
        JoinerPairing::start(&c, &long.keys, long.profile.clone()),
        Err(PairingError::InvalidInput { .. })
    ));
}

#[test]
fn debug_output_hides_names_keys_and_codes() {
    let s = setup("7-river-lantern-moss", "7-river-lantern-moss");
    let debug = format!("{:?} {:?}", s.host, s.joiner);
    assert!(!debug.contains("river"));
    let r = run(s);
    let debug = format!("{:?}", r.host_outcome);
    assert!(!debug.contains("Alex"));
    assert!(!debug.contains("Sam"));
    assert!(debug.contains("redacted"));
}

fn message_kind(bytes: &[u8]) -> MessageKind {
    PairingMessage::from_bytes(bytes).unwrap().kind
}

fn edit(bytes: &[u8], change: impl FnOnce(&mut serde_json::Value)) -> Vec<u8> {
    let mut value: serde_json::Value = serde_json::from_slice(bytes).unwrap();
    change(&mut value);
    serde_json::to_vec(&value).unwrap()
}

fn edit_body(bytes: &[u8], change: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
    let mut message = PairingMessage::from_bytes(bytes).unwrap();
    let mut body = message.body_bytes().unwrap();
    change(&mut body);
    message.body = URL_SAFE_NO_PAD.encode(&body);
    message.to_bytes().unwrap()
}

fn link_setup(host_code: &str, joiner_code: &str) -> (Setup, LinkDetails) {
    link_setup_for(Purpose::Link, host_code, joiner_code)
}

fn link_setup_for(purpose: Purpose, host_code: &str, joiner_code: &str) -> (Setup, LinkDetails) {
    let a = phone("member-a", "Alex");
    let laptop = phone("unused", "unused");
    let space_key = SpaceKey::generate().unwrap();
    let details = LinkDetails(Zeroizing::new(b"the device list and later keys".to_vec()));
    let (host, host_pake) = HostPairing::start_link(
        purpose,
        &code(host_code),
        &a.keys,
        a.profile.clone(),
        ("space-42".into(), &space_key),
        details.clone(),
    )
    .unwrap();
    let (joiner, joiner_pake) =
        JoinerPairing::start_link(purpose, &code(joiner_code), &laptop.keys, "laptop".into())
            .unwrap();
    let setup = Setup {
        host,
        joiner,
        host_pake,
        joiner_pake,
        space_key,
        a,
        b: laptop,
    };
    (setup, details)
}

#[test]
fn a_linked_device_takes_the_hosts_person_and_receives_the_details() {
    let (s, details) = link_setup("7-river-lantern-moss", "7-river-lantern-moss");
    let (space_key, laptop) = (s.space_key.clone(), s.b.keys.public());
    let r = run(s);
    let new = &r.joiner_outcome;
    assert_eq!(new.space_key, space_key);
    assert_eq!(new.joiner.member_id, "member-a", "the laptop is Alex's");
    assert_eq!(new.joiner.device, laptop);
    assert_eq!(new.joiner.display_name, "laptop");
    assert_eq!(new.link.as_ref(), Some(&details));
    // The host learns the same, without the details it sent.
    assert_eq!(r.host_outcome.joiner, new.joiner);
    assert_eq!(r.host_outcome.host, new.host);
    assert_eq!(r.host_outcome.safety_number, new.safety_number);
    assert!(r.host_outcome.link.is_none());
    // The details never travel in the clear.
    let needle = b"the device list";
    for message in &r.messages {
        assert!(!message.windows(needle.len()).any(|w| w == needle));
    }
}

/// Runs the key exchange, then checks that each side refuses the other's
/// confirmation as a wrong code.
fn confirmations_refused(mut s: Setup) {
    let host_confirm = send(s.host.receive(&s.joiner_pake).unwrap());
    let joiner_confirm = send(s.joiner.receive(&s.host_pake).unwrap());
    both_refuse(
        &mut s,
        &host_confirm,
        &joiner_confirm,
        PairingError::WrongCode,
    );
}

#[test]
fn a_code_made_to_pair_never_links_a_device_nor_the_reverse() {
    let text = "7-river-lantern-moss";
    // The host links, the other side thinks it is pairing as a partner.
    let (mut s, _) = link_setup(text, text);
    let b = phone("member-b", "Sam");
    let (joiner, joiner_pake) = JoinerPairing::start(&code(text), &b.keys, b.profile).unwrap();
    s.joiner = joiner;
    s.joiner_pake = joiner_pake;
    confirmations_refused(s);

    // A partner's host, and a device that wants to link.
    let mut s = setup(text, text);
    let laptop = DeviceKeys::generate().unwrap();
    let (joiner, joiner_pake) =
        JoinerPairing::start_link(Purpose::Link, &code(text), &laptop, "laptop".into()).unwrap();
    s.joiner = joiner;
    s.joiner_pake = joiner_pake;
    confirmations_refused(s);
}

#[test]
fn a_recovery_sends_the_details_and_keeps_the_person_out_of_the_exchange() {
    let text = "7-river-lantern-moss";
    let (s, details) = link_setup_for(Purpose::Recover, text, text);
    let phone_b = s.b.keys.public();
    let r = run(s);
    let new = &r.joiner_outcome;
    assert_eq!(new.link.as_ref(), Some(&details));
    // Not the host's person: the person travels in the details.
    assert_ne!(new.joiner.member_id, "member-a");
    assert_eq!(new.joiner.device, phone_b);
    assert_eq!(r.host_outcome.joiner, new.joiner);
    assert_eq!(r.host_outcome.safety_number, new.safety_number);
}

#[test]
fn a_recovery_code_neither_links_nor_pairs() {
    let text = "7-river-lantern-moss";
    // The partner's phone lets someone back in; the other side links.
    let (mut s, _) = link_setup_for(Purpose::Recover, text, text);
    let laptop = DeviceKeys::generate().unwrap();
    let (joiner, joiner_pake) =
        JoinerPairing::start_link(Purpose::Link, &code(text), &laptop, "laptop".into()).unwrap();
    s.joiner = joiner;
    s.joiner_pake = joiner_pake;
    confirmations_refused(s);

    // A partner's host, and a device that wants back in.
    let mut s = setup(text, text);
    let (joiner, joiner_pake) =
        JoinerPairing::start_link(Purpose::Recover, &code(text), &laptop, "phone".into()).unwrap();
    s.joiner = joiner;
    s.joiner_pake = joiner_pake;
    confirmations_refused(s);

    // Pairing sends no details.
    assert!(
        JoinerPairing::start_link(Purpose::Pair, &code(text), &laptop, "phone".into()).is_err()
    );
}
