//! A TCP proxy that adds a round-trip time to a loopback link: every chunk read from one
//! side is written to the other RTT/2 after it arrived, in order, in both directions. The
//! TCP handshake the loopback skips is added too: a connection's first client chunk is
//! forwarded no earlier than 1.5 RTT after the connection was accepted, when it would have
//! reached the server had the client's connect() taken the RTT a real SYN / SYN-ACK takes.
//!
//! ```text
//! delay-proxy --listen 127.0.0.1:0 --upstream 127.0.0.1:8443 --rtt-ms 10 \
//!             --port-file PATH [--stats-file PATH]
//! ```
//!
//! `--port-file` receives the port it listens on (written once listening). `--stats-file` is
//! rewritten every 100 ms with one JSON object of cumulative counters: connections, chunks,
//! bytes, and how late chunks were written after their due time (a histogram), so a run can
//! tell whether the proxy kept its RTT under load. One thread per direction and connection
//! reads, another writes (sleeping until each chunk is due): a blocking write never delays
//! the reads behind it, and nothing rounds a hold to a timer tick. A thread wakes some tens
//! of microseconds after the time it asked for; the writers sleep that much less (a running
//! average of the oversleep, shared by all), so a chunk's hold averages the RTT/2 asked.

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering::Relaxed};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

/// Upper bounds, in microseconds, of the lateness histogram's buckets (the last is open).
const LATE_BOUNDS_US: [u64; 8] = [50, 100, 250, 500, 1_000, 2_000, 5_000, 10_000];

/// How much later than asked a sleeping writer wakes (µs, a running average): writers
/// sleep this much less than the time to a chunk's due time. Capped: it is meant for the
/// wake-up's own delay, and a burst of CPU contention must not make later chunks early.
static OVERSLEEP_US: AtomicI64 = AtomicI64::new(60);
const OVERSLEEP_CAP_US: i64 = 250;

struct Stats {
    connections: AtomicU64,
    upstream_failures: AtomicU64,
    chunks: AtomicU64,
    bytes: AtomicU64,
    /// Signed: a chunk written before its due time (the oversleep was overestimated)
    /// counts negative here, and in the histogram's first bucket.
    late_sum_us: AtomicI64,
    late_max_us: AtomicU64,
    late_hist: [AtomicU64; LATE_BOUNDS_US.len() + 1],
}

static STATS: Stats = Stats {
    connections: AtomicU64::new(0),
    upstream_failures: AtomicU64::new(0),
    chunks: AtomicU64::new(0),
    bytes: AtomicU64::new(0),
    late_sum_us: AtomicI64::new(0),
    late_max_us: AtomicU64::new(0),
    late_hist: [const { AtomicU64::new(0) }; LATE_BOUNDS_US.len() + 1],
};

impl Stats {
    fn written(&self, bytes: usize, late_us: i64) {
        let us = u64::try_from(late_us).unwrap_or(0);
        self.chunks.fetch_add(1, Relaxed);
        self.bytes.fetch_add(bytes as u64, Relaxed);
        self.late_sum_us.fetch_add(late_us, Relaxed);
        self.late_max_us.fetch_max(us, Relaxed);
        let bucket = LATE_BOUNDS_US
            .iter()
            .position(|&bound| us < bound)
            .unwrap_or(LATE_BOUNDS_US.len());
        self.late_hist[bucket].fetch_add(1, Relaxed);
    }

    fn json(&self) -> String {
        let hist: Vec<String> = self
            .late_hist
            .iter()
            .map(|n| n.load(Relaxed).to_string())
            .collect();
        let bounds: Vec<String> = LATE_BOUNDS_US.iter().map(u64::to_string).collect();
        format!(
            "{{\"connections\":{},\"upstream_failures\":{},\"chunks\":{},\"bytes\":{},\
             \"late_sum_us\":{},\"late_max_us\":{},\"late_bounds_us\":[{}],\"late_hist\":[{}],\
             \"oversleep_us\":{}}}\n",
            self.connections.load(Relaxed),
            self.upstream_failures.load(Relaxed),
            self.chunks.load(Relaxed),
            self.bytes.load(Relaxed),
            self.late_sum_us.load(Relaxed),
            self.late_max_us.load(Relaxed),
            bounds.join(","),
            hist.join(","),
            OVERSLEEP_US.load(Relaxed),
        )
    }
}

struct Config {
    listen: SocketAddr,
    upstream: SocketAddr,
    half_rtt: Duration,
    port_file: Option<PathBuf>,
    stats_file: Option<PathBuf>,
}

fn parse_args() -> Result<Config, String> {
    let mut listen = None;
    let mut upstream = None;
    let mut rtt_ms: Option<f64> = None;
    let mut port_file = None;
    let mut stats_file = None;
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || {
            args.next()
                .ok_or(format!("{flag}: expected a value after it"))
        };
        match flag.as_str() {
            "--listen" => listen = Some(addr(&flag, &value()?)?),
            "--upstream" => upstream = Some(addr(&flag, &value()?)?),
            "--rtt-ms" => {
                let v = value()?;
                let ms: f64 = v
                    .parse()
                    .map_err(|_| format!("--rtt-ms: expected milliseconds, got {v:?}"))?;
                if !(0.0..=10_000.0).contains(&ms) {
                    return Err(format!("--rtt-ms: must be between 0 and 10000, got {ms}"));
                }
                rtt_ms = Some(ms);
            }
            "--port-file" => port_file = Some(PathBuf::from(value()?)),
            "--stats-file" => stats_file = Some(PathBuf::from(value()?)),
            other => {
                return Err(format!(
                    "unknown argument {other:?} (see the source's header)"
                ))
            }
        }
    }
    Ok(Config {
        listen: listen.ok_or("--listen: required (e.g. 127.0.0.1:0)")?,
        upstream: upstream.ok_or("--upstream: required (host:port of the server)")?,
        half_rtt: Duration::from_secs_f64(rtt_ms.ok_or("--rtt-ms: required")? / 2_000.0),
        port_file,
        stats_file,
    })
}

fn addr(flag: &str, v: &str) -> Result<SocketAddr, String> {
    v.parse()
        .map_err(|_| format!("{flag}: expected an IP address and port (127.0.0.1:8443), got {v:?}"))
}

fn main() -> ExitCode {
    let config = match parse_args() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("delay-proxy: {e}");
            return ExitCode::from(2);
        }
    };
    let listener = match TcpListener::bind(config.listen) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("delay-proxy: --listen {}: {e}", config.listen);
            return ExitCode::from(1);
        }
    };
    let port = listener.local_addr().map(|a| a.port()).unwrap_or(0);
    if let Some(path) = &config.stats_file {
        let path = path.clone();
        thread::spawn(move || write_stats(&path));
    }
    if let Some(path) = &config.port_file {
        // Written whole, then renamed: a reader never sees a partial port.
        let tmp = path.with_extension("tmp");
        if let Err(e) =
            std::fs::write(&tmp, format!("{port}\n")).and_then(|()| std::fs::rename(&tmp, path))
        {
            eprintln!("delay-proxy: --port-file {}: {e}", path.display());
            return ExitCode::from(1);
        }
    }
    for client in listener.incoming() {
        let accepted = Instant::now();
        let Ok(client) = client else { continue };
        STATS.connections.fetch_add(1, Relaxed);
        let (upstream, half_rtt) = (config.upstream, config.half_rtt);
        thread::spawn(move || serve(client, accepted, upstream, half_rtt));
    }
    ExitCode::SUCCESS
}

fn write_stats(path: &PathBuf) {
    let tmp = path.with_extension("tmp");
    loop {
        if std::fs::write(&tmp, STATS.json()).is_ok() {
            let _ = std::fs::rename(&tmp, path);
        }
        thread::sleep(Duration::from_millis(100));
    }
}

/// One proxied connection: this thread carries client → upstream, three more do the rest.
fn serve(client: TcpStream, accepted: Instant, upstream: SocketAddr, half_rtt: Duration) {
    let Ok(server) = TcpStream::connect(upstream) else {
        STATS.upstream_failures.fetch_add(1, Relaxed);
        return;
    };
    for s in [&client, &server] {
        let _ = s.set_nodelay(true);
    }
    let (Ok(client2), Ok(server2)) = (client.try_clone(), server.try_clone()) else {
        return;
    };
    let back = thread::spawn(move || pump(server2, client2, half_rtt, None));
    // The SYN / SYN-ACK round trip: the client's first bytes are due 1.5 RTT after accept.
    pump(client, server, half_rtt, Some(accepted + half_rtt * 2));
    let _ = back.join();
}

enum Chunk {
    Data(Instant, Vec<u8>),
    End(Instant),
}

/// Reads `from` and hands each chunk, stamped with its due time, to a writer thread that
/// writes it to `to` when due. The first chunk is due no earlier than `first_not_before`
/// plus the hold.
fn pump(mut from: TcpStream, to: TcpStream, hold: Duration, mut first_not_before: Option<Instant>) {
    let (tx, rx) = mpsc::channel::<Chunk>();
    let from2 = from.try_clone().ok();
    let writer = thread::spawn(move || deliver(rx, to, from2));
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = from.read(&mut buf);
        let now = Instant::now();
        let due = first_not_before.take().map_or(now, |t| t.max(now)) + hold;
        let chunk = match n {
            Ok(0) | Err(_) => Chunk::End(due),
            Ok(n) => Chunk::Data(due, buf[..n].to_vec()),
        };
        let end = matches!(chunk, Chunk::End(_));
        if tx.send(chunk).is_err() || end {
            break;
        }
    }
    drop(tx);
    let _ = writer.join();
}

/// `a - b` in microseconds, negative when `a` is earlier.
fn signed_us(a: Instant, b: Instant) -> i64 {
    match a.checked_duration_since(b) {
        Some(d) => i64::try_from(d.as_micros()).unwrap_or(i64::MAX),
        None => -i64::try_from((b - a).as_micros()).unwrap_or(i64::MAX),
    }
}

fn deliver(rx: mpsc::Receiver<Chunk>, mut to: TcpStream, from: Option<TcpStream>) {
    for chunk in rx {
        let due = match &chunk {
            Chunk::Data(t, _) | Chunk::End(t) => *t,
        };
        let oversleep = Duration::from_micros(OVERSLEEP_US.load(Relaxed).max(0) as u64);
        let wake = due.checked_sub(oversleep).unwrap_or(due);
        let now = Instant::now();
        if wake > now {
            thread::sleep(wake - now);
            let over = signed_us(Instant::now(), wake);
            // A running average (1/8 weight), shared by every writer.
            let old = OVERSLEEP_US.load(Relaxed);
            OVERSLEEP_US.store((old + (over - old) / 8).clamp(0, OVERSLEEP_CAP_US), Relaxed);
        }
        let late = signed_us(Instant::now(), due);
        match chunk {
            Chunk::Data(_, data) => {
                if to.write_all(&data).is_err() {
                    // The peer is gone: end both directions of this connection.
                    let _ = to.shutdown(Shutdown::Both);
                    if let Some(f) = &from {
                        let _ = f.shutdown(Shutdown::Both);
                    }
                    return;
                }
                STATS.written(data.len(), late);
            }
            Chunk::End(_) => {
                let _ = to.shutdown(Shutdown::Write);
                return;
            }
        }
    }
}
