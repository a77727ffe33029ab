//! Figures for Hearth's crypto: envelope sizes and speeds, pairing time.
//!
//! Run: `cargo run --release -p hearth-core --example crypto_bench`

use std::hint::black_box;
use std::time::{Duration, Instant};

use hearth_core::crypto::{
    BlobContext, DeviceKeys, HostPairing, JoinerPairing, MemberProfile, PairingCode, PairingStep,
    SpaceKey, open, relay_doc_id, seal, sealed_len,
};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let space_key = SpaceKey::generate()?;
    let sender = DeviceKeys::generate()?;
    let context = BlobContext {
        space_id: "space-bench".into(),
        doc_id: relay_doc_id(&space_key, "entry-2024-05-01"),
        sender_device: sender.device_id(),
        blob_id: "blob-0001".into(),
    };

    println!("envelope size (plaintext -> sealed bytes, overhead):");
    for len in [0usize, 60, 100, 300, 600, 1_000, 4_000, 16_000, 100_000] {
        let sealed = sealed_len(len);
        let overhead = sealed - len;
        println!("  {len:>7} -> {sealed:>7}  (+{overhead} bytes)");
    }

    for len in [600usize, 16_000] {
        let plaintext = vec![0x61; len];
        let sealed = seal(&space_key, &sender, &context, &plaintext)?;
        let seal_time = per_op(2_000, || {
            black_box(seal(&space_key, &sender, &context, &plaintext).ok());
        });
        let open_time = per_op(2_000, || {
            black_box(open(&space_key, &context, &sender.public(), &sealed).ok());
        });
        println!(
            "{len}-byte blob: seal {:.1} us, open {:.1} us",
            micros(seal_time),
            micros(open_time)
        );
    }

    let doc_id_time = per_op(20_000, || {
        black_box(relay_doc_id(&space_key, "answer-2024-05-01"));
    });
    println!("relay_doc_id: {:.2} us", micros(doc_id_time));

    let keygen_time = per_op(2_000, || {
        black_box(DeviceKeys::generate().ok());
    });
    println!("DeviceKeys::generate: {:.1} us", micros(keygen_time));

    let pairing_time = per_op(200, || {
        black_box(pair(&space_key).ok());
    });
    println!(
        "pairing, both sides in one process (no network): {:.2} ms",
        micros(pairing_time) / 1000.0
    );
    Ok(())
}

/// One full pairing; returns the safety number.
fn pair(space_key: &SpaceKey) -> Result<String, Box<dyn std::error::Error>> {
    let code = PairingCode::generate(7)?;
    let a = DeviceKeys::generate()?;
    let b = DeviceKeys::generate()?;
    let profile = |id: &str| MemberProfile {
        member_id: id.into(),
        display_name: "Partner".into(),
    };
    let (mut host, host_pake) =
        HostPairing::start(&code, &a, profile("a"), "space".into(), space_key)?;
    let (mut joiner, joiner_pake) = JoinerPairing::start(&code, &b, profile("b"))?;
    let host_confirm = message(host.receive(&joiner_pake)?)?;
    let joiner_confirm = message(joiner.receive(&host_pake)?)?;
    let offer = message(host.receive(&joiner_confirm)?)?;
    let reply = message(joiner.receive(&host_confirm)?)?;
    host.receive(&reply)?;
    match joiner.receive(&offer)? {
        PairingStep::Finished(outcome) => Ok(outcome.safety_number),
        PairingStep::Send(_) => Err("pairing did not finish".into()),
    }
}

fn message(step: PairingStep) -> Result<Vec<u8>, Box<dyn std::error::Error>> {
    match step {
        PairingStep::Send(bytes) => Ok(bytes),
        PairingStep::Finished(_) => Err("pairing finished early".into()),
    }
}

fn per_op(iterations: u32, mut op: impl FnMut()) -> Duration {
    op(); // warm up
    let start = Instant::now();
    for _ in 0..iterations {
        op();
    }
    start.elapsed() / iterations
}

fn micros(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}
