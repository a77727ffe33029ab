//! Pairing over the relay's mailbox: the crypto state machines
//! ([`crate::crypto::pairing`]) exchange their messages through a short-lived
//! mailbox the relay cannot read. A wrong code fails on both phones and the
//! mailbox is closed, which burns the code.

use hearth_protocol::{ErrorCode, Nameplate, PairingSide};

use super::client::{RelayClient, RelayError};
use crate::crypto::{
    self, DeviceKeys, HostPairing, JoinerPairing, LinkDetails, MemberProfile, PairingCode,
    PairingError, PairingOutcome, PairingStep, Purpose, SpaceKey,
};
use crate::error::{Error, Result};

/// How long one mailbox read waits for the other phone.
const WAIT_SECS: u64 = 20;

/// A mailbox opened by the host, waiting for the partner to type its code.
#[derive(Debug, Clone)]
pub(crate) struct Invite {
    pub code: PairingCode,
    pub nameplate: Nameplate,
    pub side: PairingSide,
    pub expires_at: u64,
    /// Pairing the partner, or linking a device of one's own.
    pub purpose: Purpose,
}

fn random_side() -> Result<PairingSide> {
    let mut bytes = [0u8; 16];
    crypto::fill_random(&mut bytes).map_err(Error::sync_failed)?;
    Ok(PairingSide::from_random_bytes(bytes))
}

/// Opens a mailbox and makes the code to show.
pub(crate) async fn invite(client: &RelayClient, purpose: Purpose) -> Result<Invite> {
    let side = random_side()?;
    let opened = client.open_pairing(&side).await?;
    let number: u32 = opened.nameplate.as_str().parse().map_err(|_| {
        Error::Pairing("the relay gave a mailbox number this app cannot use".into())
    })?;
    let code = PairingCode::generate(number).map_err(Error::pairing_failed)?;
    Ok(Invite {
        code,
        nameplate: opened.nameplate,
        side,
        expires_at: opened.expires_at,
        purpose,
    })
}

/// The host's half: waits for the partner and sends the space.
pub(crate) async fn host(
    client: &RelayClient,
    invite: &Invite,
    keys: &DeviceKeys,
    me: MemberProfile,
    space_id: &str,
    space_key: &SpaceKey,
) -> Result<PairingOutcome> {
    let (mut session, first) =
        HostPairing::start(&invite.code, keys, me, space_id.to_owned(), space_key)
            .map_err(pairing_error)?;
    exchange(client, &invite.nameplate, &invite.side, first, |m| {
        session.receive(m)
    })
    .await
}

/// The existing device's half of a link: waits for the new device and
/// sends it the space and `details`.
pub(crate) async fn host_link(
    client: &RelayClient,
    invite: &Invite,
    keys: &DeviceKeys,
    me: MemberProfile,
    space: (&str, &SpaceKey),
    details: LinkDetails,
) -> Result<PairingOutcome> {
    let (mut session, first) = HostPairing::start_link(
        invite.purpose,
        &invite.code,
        keys,
        me,
        (space.0.to_owned(), space.1),
        details,
    )
    .map_err(pairing_error)?;
    exchange(client, &invite.nameplate, &invite.side, first, |m| {
        session.receive(m)
    })
    .await
}

/// The new device's half of a link: claims the mailbox named by the code
/// and receives the space and the link details.
pub(crate) async fn join_link(
    client: &RelayClient,
    purpose: Purpose,
    code: &PairingCode,
    keys: &DeviceKeys,
    label: String,
) -> Result<PairingOutcome> {
    let (nameplate, side) = claim(client, code).await?;
    let (mut session, first) =
        JoinerPairing::start_link(purpose, code, keys, label).map_err(pairing_error)?;
    exchange(client, &nameplate, &side, first, |m| session.receive(m)).await
}

/// Claims the mailbox named by `code`.
async fn claim(client: &RelayClient, code: &PairingCode) -> Result<(Nameplate, PairingSide)> {
    let nameplate = Nameplate::parse(&code.nameplate().to_string()).map_err(|_| {
        Error::InvalidCode("the number at the start of the code is not valid".into())
    })?;
    let side = random_side()?;
    client
        .claim_pairing(&nameplate, &side)
        .await
        .map_err(mailbox_error)?;
    Ok((nameplate, side))
}

/// The joiner's half: claims the mailbox named by the code and receives the
/// space.
pub(crate) async fn join(
    client: &RelayClient,
    code: &PairingCode,
    keys: &DeviceKeys,
    me: MemberProfile,
) -> Result<PairingOutcome> {
    let (nameplate, side) = claim(client, code).await?;
    let (mut session, first) = JoinerPairing::start(code, keys, me).map_err(pairing_error)?;
    exchange(client, &nameplate, &side, first, |m| session.receive(m)).await
}

async fn exchange(
    client: &RelayClient,
    nameplate: &Nameplate,
    side: &PairingSide,
    first: Vec<u8>,
    mut receive: impl FnMut(&[u8]) -> Result<PairingStep, PairingError>,
) -> Result<PairingOutcome> {
    let result = run_exchange(client, nameplate, side, first, &mut receive).await;
    if result.is_err() {
        // Burn the code: nobody gets another guess at it, and the other
        // device stops waiting at once.
        let _ = client.close_pairing(nameplate, side).await;
    }
    result
}

async fn run_exchange(
    client: &RelayClient,
    nameplate: &Nameplate,
    side: &PairingSide,
    first: Vec<u8>,
    receive: &mut impl FnMut(&[u8]) -> Result<PairingStep, PairingError>,
) -> Result<PairingOutcome> {
    client
        .post_pairing(nameplate, side, first)
        .await
        .map_err(mailbox_error)?;
    let mut after = 0;
    loop {
        let read = client
            .read_pairing(nameplate, side, after, WAIT_SECS)
            .await
            .map_err(mailbox_error)?;
        for message in read.messages {
            after = message.seq;
            match receive(&message.body) {
                Ok(PairingStep::Send(reply)) => client
                    .post_pairing(nameplate, side, reply)
                    .await
                    .map_err(mailbox_error)?,
                Ok(PairingStep::Finished(outcome)) => return Ok(*outcome),
                Err(e) => return Err(pairing_error(e)),
            }
        }
    }
}

fn pairing_error(e: PairingError) -> Error {
    match e {
        PairingError::WrongCode => Error::WrongCode,
        other => Error::pairing_failed(other),
    }
}

fn mailbox_error(e: RelayError) -> Error {
    match e.code() {
        Some(ErrorCode::PairingExpired) => Error::PairingExpired,
        Some(ErrorCode::PairingClosed) => Error::PairingClosed,
        Some(ErrorCode::PairingUnknown) => Error::InvalidCode(
            "no pairing with this code is waiting: check the number at its start".into(),
        ),
        Some(ErrorCode::PairingFull) => {
            Error::InvalidCode("someone else already used this code: ask for a new one".into())
        }
        _ => e.into(),
    }
}
