//! What sealing personal data at rest costs (docs/data-protection.md): sealing and opening an
//! uploaded image's bytes and an execution's outcome under a data key, and opening a wrapped
//! data key, beside a peer that every upload already pays (SHA-256 of the same bytes, the
//! file's fingerprint). Run with: cargo bench -p verifyd-domain --bench sealing

use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use sha2::{Digest, Sha256};
use uuid::Uuid;
use verifyd_domain::envelope::Envelope;
use verifyd_domain::keyring::Keyring;
use verifyd_domain::random::Random;

/// Distinct bytes on every call (nonces must not repeat), without the OS.
#[derive(Default)]
struct Counter(AtomicU64);

impl Random for Counter {
    fn fill(&self, buf: &mut [u8]) {
        for chunk in buf.chunks_mut(8) {
            let next = self.0.fetch_add(1, Ordering::Relaxed).to_le_bytes();
            let length = chunk.len();
            chunk.copy_from_slice(&next[..length]);
        }
    }
}

fn sealing(c: &mut Criterion) {
    let envelope = Envelope::new(&Keyring::derive(&[3; 32]), Arc::new(Counter::default()));
    let owner = Uuid::from_u128(1);
    let Ok(wrapped) = envelope.new_data_key(owner) else {
        return;
    };
    let Ok(key) = envelope.unwrap_key(owner, &wrapped) else {
        return;
    };

    c.bench_function("unwrap a data key", |b| {
        b.iter(|| envelope.unwrap_key(black_box(owner), black_box(&wrapped)))
    });

    // A phone photo of a document as uploaded (1.5 MB), and a scan (300 KB).
    let mut group = c.benchmark_group("blob");
    for size in [300_000usize, 1_500_000] {
        let bytes: Vec<u8> = (0..size).map(|i| (i * 31 % 251) as u8).collect();
        let Ok(sealed) = envelope.seal(&key, "tenants/t/accounts/a/x", &bytes) else {
            return;
        };
        group.throughput(Throughput::Bytes(size as u64));
        group.bench_with_input(BenchmarkId::new("seal", size), &bytes, |b, bytes| {
            b.iter(|| envelope.seal(&key, "tenants/t/accounts/a/x", black_box(bytes)))
        });
        group.bench_with_input(BenchmarkId::new("open", size), &sealed, |b, sealed| {
            b.iter(|| envelope.open(&key, "tenants/t/accounts/a/x", black_box(sealed)))
        });
        group.bench_with_input(
            BenchmarkId::new("sha256 (peer)", size),
            &bytes,
            |b, bytes| b.iter(|| Sha256::digest(black_box(bytes))),
        );
    }
    group.finish();

    // An execution's outcome with a passport's extraction: about 6 KB of JSON.
    let outcome = format!(
        r#"{{"capabilities":{{"extraction":[{{"data":{{"firstName":"ANNA","lastName":"ERIKSSON","documentNumber":"L898902C3"}},"pad":"{}"}}]}}}}"#,
        "x".repeat(6_000)
    );
    let Ok(sealed) = envelope.seal_text(&key, "workflow_executions.outcome/1", &outcome) else {
        return;
    };
    c.bench_function("seal an outcome (6 KB)", |b| {
        b.iter(|| envelope.seal_text(&key, "workflow_executions.outcome/1", black_box(&outcome)))
    });
    c.bench_function("open an outcome (6 KB)", |b| {
        b.iter(|| envelope.open_text(&key, "workflow_executions.outcome/1", black_box(&sealed)))
    });
}

criterion_group!(benches, sealing);
criterion_main!(benches);
