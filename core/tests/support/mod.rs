//! A scriptable HTTP/1.1 server on loopback: answers each request with the next scripted
//! reply (or a default), records what it received, and can misbehave on purpose (drop the
//! connection, answer late, truncate) in ways a mock library cannot.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

#[derive(Clone, Debug)]
pub enum Reply {
    Json(u16, String),
    With {
        status: u16,
        headers: Vec<(String, String)>,
        body: String,
    },
    /// Read the request, then close without a byte of answer.
    Drop,
    /// Wait, then answer.
    Late(Duration, Box<Reply>),
}

#[derive(Clone, Debug)]
pub struct Seen {
    pub method: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Seen {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Default)]
struct State {
    script: VecDeque<Reply>,
    fallback: Option<Reply>,
    seen: Vec<Seen>,
    /// Connections waiting this long for their next request are closed.
    idle_timeout: Option<Duration>,
}

pub struct MockServer {
    addr: SocketAddr,
    state: Arc<Mutex<State>>,
}

impl MockServer {
    pub async fn start() -> MockServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let state = Arc::new(Mutex::new(State::default()));
        let shared = state.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve(stream, shared.clone()));
            }
        });
        MockServer { addr, state }
    }

    pub fn base_url(&self) -> String {
        format!("http://{}/api", self.addr)
    }

    /// Queues replies for the next requests, in order.
    pub fn script(&self, replies: impl IntoIterator<Item = Reply>) {
        self.state.lock().unwrap().script.extend(replies);
    }

    /// The reply once the script is used up.
    pub fn fallback(&self, reply: Reply) {
        self.state.lock().unwrap().fallback = Some(reply);
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.state.lock().unwrap().seen.clone()
    }

    /// Closes a keep-alive connection once it has waited `idle` for its next request, as
    /// servers do (Cashi after about a minute).
    pub fn close_idle_after(&self, idle: Duration) {
        self.state.lock().unwrap().idle_timeout = Some(idle);
    }
}

async fn serve(mut stream: TcpStream, state: Arc<Mutex<State>>) {
    let mut buf = Vec::new();
    loop {
        let idle_timeout = state.lock().unwrap().idle_timeout;
        let next = match idle_timeout {
            Some(idle) => tokio::time::timeout(idle, read_request(&mut stream, &mut buf))
                .await
                .ok()
                .flatten(),
            None => read_request(&mut stream, &mut buf).await,
        };
        let Some(seen) = next else {
            return;
        };
        let reply = {
            let mut s = state.lock().unwrap();
            s.seen.push(seen);
            s.script
                .pop_front()
                .or_else(|| s.fallback.clone())
                .unwrap_or(Reply::Json(500, "{}".into()))
        };
        if !write_reply(&mut stream, reply).await {
            return;
        }
    }
}

async fn read_request(stream: &mut TcpStream, buf: &mut Vec<u8>) -> Option<Seen> {
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_string();
            let mut lines = head.split("\r\n");
            let mut first = lines.next()?.split(' ');
            let method = first.next()?.to_string();
            let path = first.next()?.to_string();
            let headers: Vec<(String, String)> = lines
                .filter_map(|l| l.split_once(':'))
                .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
                .collect();
            let len: usize = headers
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
                .and_then(|(_, v)| v.parse().ok())
                .unwrap_or(0);
            while buf.len() < end + 4 + len {
                let mut chunk = [0u8; 4096];
                let n = stream.read(&mut chunk).await.ok()?;
                if n == 0 {
                    return None;
                }
                buf.extend_from_slice(&chunk[..n]);
            }
            let body = String::from_utf8_lossy(&buf[end + 4..end + 4 + len]).to_string();
            buf.drain(..end + 4 + len);
            return Some(Seen {
                method,
                path,
                headers,
                body,
            });
        }
        let mut chunk = [0u8; 4096];
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}

/// Returns whether the connection stays open.
async fn write_reply(stream: &mut TcpStream, reply: Reply) -> bool {
    let (status, headers, body) = match reply {
        Reply::Drop => return false,
        Reply::Late(delay, inner) => {
            tokio::time::sleep(delay).await;
            return Box::pin(write_reply(stream, *inner)).await;
        }
        Reply::Json(status, body) => (
            status,
            vec![("content-type".to_string(), "application/json".to_string())],
            body,
        ),
        Reply::With {
            status,
            headers,
            body,
        } => (status, headers, body),
    };
    let mut out = format!("HTTP/1.1 {status} X\r\ncontent-length: {}\r\n", body.len());
    for (n, v) in headers {
        out.push_str(&format!("{n}: {v}\r\n"));
    }
    out.push_str("\r\n");
    out.push_str(&body);
    stream.write_all(out.as_bytes()).await.is_ok()
}
