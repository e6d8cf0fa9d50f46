//! What hyper-util's pooled client costs a blocking call, against one hyper HTTP/1.1
//! connection driven in the same `block_on` (no pool, no connection task): sequential
//! check-status GETs on a current-thread runtime, the way the C ABI, PHP and Python's sync
//! client make them, alternating 0.4 s slices of each (bench/FINDINGS.md §4).
//!
//!   BENCH_BASE_URL=http://127.0.0.1:PORT/api cargo run --release --bin pool_cost

use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Empty};
use hyper::client::conn::http1;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};

const ROUNDS: usize = 10;
const SLICE: Duration = Duration::from_millis(400);

fn main() {
    let base = std::env::var("BENCH_BASE_URL").unwrap_or("http://127.0.0.1:8080/api".into());
    let uri: hyper::Uri = format!("{base}/check-status/INV-1").parse().expect("a URL");
    let authority = uri.authority().expect("a host and port").clone();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();

    let pooled: Client<HttpConnector, Empty<Bytes>> = Client::builder(TokioExecutor::new())
        .pool_timer(TokioTimer::new())
        .build(HttpConnector::new());
    let (mut sender, connection) = rt.block_on(async {
        let stream = tokio::net::TcpStream::connect(authority.as_str())
            .await
            .expect("the server answers");
        stream.set_nodelay(true).unwrap();
        http1::handshake(TokioIo::new(stream)).await.unwrap()
    });
    let mut connection = Box::pin(connection);

    let request = |target: &hyper::Uri| {
        hyper::Request::get(target.clone())
            .header("host", authority.as_str())
            .header("x-api-key", "CASHI-SANDBOX01")
            .header("accept", "application/json")
            .body(Empty::<Bytes>::new())
            .unwrap()
    };
    let path: hyper::Uri = uri.path().parse().unwrap();
    let mut calls = [0u64; 2];
    let mut spent = [Duration::ZERO; 2];
    for round in 0..=ROUNDS {
        for (side, (n, secs)) in calls.iter_mut().zip(spent.iter_mut()).enumerate() {
            let start = Instant::now();
            let mut made = 0;
            while start.elapsed() < SLICE {
                let body = rt.block_on(async {
                    if side == 0 {
                        let answer = pooled.request(request(&uri)).await.unwrap();
                        answer.into_body().collect().await.unwrap().to_bytes()
                    } else {
                        let call = async {
                            sender.ready().await.unwrap();
                            let answer = sender.send_request(request(&path)).await.unwrap();
                            answer.into_body().collect().await.unwrap().to_bytes()
                        };
                        // The connection is polled by the call itself: no task to wake.
                        tokio::select! {
                            biased;
                            body = call => body,
                            ended = &mut connection => panic!("the connection ended: {ended:?}"),
                        }
                    }
                });
                assert!(!body.is_empty());
                made += 1;
            }
            if round > 0 {
                // round 0 warms both up
                *n += made;
                *secs += start.elapsed();
            }
        }
    }
    let rate = |i: usize| calls[i] as f64 / spent[i].as_secs_f64();
    println!(
        "hyper-util pooled client {:.0} calls/s, one hyper connection {:.0} calls/s: {:.3}x",
        rate(0),
        rate(1),
        rate(1) / rate(0)
    );
}
