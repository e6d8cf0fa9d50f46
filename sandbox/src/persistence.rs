//! SQLite write-through for `--db`: orders, deliveries (attempts and next-due time
//! included) and the clock offset survive a restart.
//!
//! Records are stored as JSON next to their key: the sandbox reads everything back at
//! start and never queries by field, so a schema per field would only add migrations.

use std::path::Path;
use std::sync::Mutex;

use rusqlite::{params, Connection, OptionalExtension};

use crate::error::SandboxError;
use crate::store::Order;
use crate::webhooks::Delivery;

pub struct Db {
    conn: Mutex<Connection>,
}

/// Everything a restart needs.
pub struct Loaded {
    pub orders: Vec<Order>,
    pub deliveries: Vec<Delivery>,
    pub clock_offset_ms: i64,
}

impl Db {
    pub fn open(path: &Path) -> Result<(Db, Loaded), SandboxError> {
        let conn = Connection::open(path)?;
        conn.execute_batch(
            "PRAGMA journal_mode=WAL;
             PRAGMA synchronous=NORMAL;
             CREATE TABLE IF NOT EXISTS orders (order_id TEXT PRIMARY KEY, data TEXT NOT NULL);
             CREATE TABLE IF NOT EXISTS deliveries (id INTEGER PRIMARY KEY, data TEXT NOT NULL);
             CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);",
        )?;
        let orders = load(&conn, "SELECT data FROM orders")?;
        let deliveries = load(&conn, "SELECT data FROM deliveries ORDER BY id")?;
        let clock_offset_ms = conn
            .query_row(
                "SELECT value FROM meta WHERE key = 'clock_offset_ms'",
                [],
                |r| r.get::<_, String>(0),
            )
            .optional()?
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        Ok((
            Db {
                conn: Mutex::new(conn),
            },
            Loaded {
                orders,
                deliveries,
                clock_offset_ms,
            },
        ))
    }

    fn write(&self, sql: &str, key: &dyn rusqlite::ToSql, value: &str) {
        let conn = self.conn.lock().unwrap();
        if let Err(e) = conn.execute(sql, params![key, value]) {
            // The request has already been decided; a lost write is reported, not hidden.
            eprintln!("cashi-sandbox: database write failed: {e}");
        }
    }

    pub fn save_order(&self, o: &Order) {
        let json = serde_json::to_string(o).expect("serializable");
        self.write(
            "INSERT OR REPLACE INTO orders (order_id, data) VALUES (?1, ?2)",
            &o.order_id,
            &json,
        );
    }

    pub fn save_delivery(&self, d: &Delivery) {
        let json = serde_json::to_string(d).expect("serializable");
        self.write(
            "INSERT OR REPLACE INTO deliveries (id, data) VALUES (?1, ?2)",
            &(d.id as i64),
            &json,
        );
    }

    /// Drops every order and delivery (the clock offset is kept by the caller's choice).
    pub fn clear(&self) {
        let conn = self.conn.lock().unwrap();
        if let Err(e) = conn.execute_batch("DELETE FROM orders; DELETE FROM deliveries;") {
            eprintln!("cashi-sandbox: database reset failed: {e}");
        }
    }

    pub fn save_clock_offset(&self, offset_ms: i64) {
        self.write(
            "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)",
            &"clock_offset_ms",
            &offset_ms.to_string(),
        );
    }
}

fn load<T: serde::de::DeserializeOwned>(
    conn: &Connection,
    sql: &str,
) -> Result<Vec<T>, SandboxError> {
    let mut stmt = conn.prepare(sql)?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    let mut out = Vec::new();
    for row in rows {
        let text = row?;
        out.push(serde_json::from_str(&text).map_err(|e| {
            SandboxError::Database(format!("unreadable record in the database: {e}"))
        })?);
    }
    Ok(out)
}
