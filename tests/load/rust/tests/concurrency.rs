//! One shared client, many threads: 8 OS threads × CASHI_THREAD_CALLS (default 100;
//! 500 in `scripts/robustness.sh`) blocking calls, all correct. Each call goes through
//! `cashi::runtime::block_on_local`, the path the C ABI, PHP and Python's sync client take.

use cashi::runtime::block_on_local;
use cashi_load::{sandbox_on_process_runtime as sandbox, shutdown, size};

#[test]
fn eight_threads_share_one_client() {
    let sb = sandbox();
    let client = cashi::Client::builder()
        .api_key(sb.api_key())
        .base_url(sb.base_url())
        .build()
        .unwrap();
    let calls = size("CASHI_THREAD_CALLS", 100);
    std::thread::scope(|scope| {
        for t in 0..8 {
            let client = client.clone();
            scope.spawn(move || {
                for i in 0..calls {
                    let id = format!("T{t}-{i}");
                    // Base amounts 100 apart, so no two orders compete for the same amounts to pay.
                    let amount = 20_000 + 100 * (t * calls + i) as i64;
                    let order = block_on_local(
                        client.create_order(&cashi::CreateOrder::new(amount).order_id(&id)),
                    )
                    .unwrap();
                    assert_eq!(order.order_id, id);
                    assert_eq!(order.requested_amount, amount);
                    let status = block_on_local(client.check_status(&id)).unwrap();
                    assert_eq!(status.order_id, id);
                    assert_eq!(status.amount, Some(order.amount));
                }
            });
        }
    });
    shutdown(sb);
}
