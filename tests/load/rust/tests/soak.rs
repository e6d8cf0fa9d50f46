//! A soak of mixed calls (create, status, not found, webhook verify) on one client, with
//! resident memory after warm-up and at the end. Its own test binary, so nothing else
//! runs in this process. Calls go through `cashi::runtime::block_on_local`, the path the C
//! ABI, PHP and Python's sync client take. Size: CASHI_SOAK_CALLS (default 2,000; 20,000 in
//! `scripts/robustness.sh`).

use cashi::runtime::block_on_local;
use cashi_load::{sandbox_on_process_runtime as sandbox, shutdown, size};

#[test]
fn soak_keeps_memory_bounded() {
    let sb = sandbox();
    let client = cashi::Client::builder()
        .api_key(sb.api_key())
        .base_url(sb.base_url())
        .build()
        .unwrap();
    let calls = size("CASHI_SOAK_CALLS", 2_000);
    let webhook = cashi::Webhook::new("sk_soak").unwrap();
    let body = cashi::testing::webhook_body("SOAK", 15023);
    let signature = cashi::testing::sign("sk_soak", &body);
    let mut warm = 0;
    let mut start_rss = 0;
    for i in 0..calls {
        if i == calls / 10 {
            warm = i;
            start_rss = cashi_load::rss_kib();
        }
        match i % 4 {
            0 => {
                block_on_local(
                    client.create_order(
                        &cashi::CreateOrder::new(30_000 + 100 * (i / 4) as i64)
                            .order_id(format!("S{i}")),
                    ),
                )
                .unwrap();
            }
            1 => {
                block_on_local(client.check_status(&format!("S{}", i - 1))).unwrap();
            }
            2 => {
                let e = block_on_local(client.check_status("MISSING")).unwrap_err();
                assert_eq!(e.code(), "not_found");
            }
            _ => {
                webhook.verify(body.as_bytes(), &signature).unwrap();
            }
        }
    }
    let end_rss = cashi_load::rss_kib();
    println!("soak: {} calls, RSS after warm-up ({warm} calls) {start_rss} KiB, at the end {end_rss} KiB", calls);
    // A leak of even 1 KiB per call would add megabytes here; allow for allocator noise
    // and the sandbox's own growing order table in this process.
    let per_call = (end_rss.saturating_sub(start_rss) * 1024) as f64 / (calls - warm) as f64;
    assert!(
        per_call < 1024.0,
        "memory grew {per_call:.0} bytes per call"
    );
    shutdown(sb);
}
