//! SQLite write-through for `--db`: orders, deliveries (attempts and next-due time
//! included) and the clock offset survive a restart.
//!
//! Records are stored as JSON next to their key: the sandbox reads everything back at
//! start and never queries by field, so a schema per field would only add migrations.

use std::collections::HashMap;
use std::path::Path;

use rusqlite::{params, Connection, OptionalExtension};

use crate::delivery::Delivery;
use crate::error::SandboxError;
use crate::limits::MAX_CLOCK_OFFSET_MS;
use crate::lock::Lock;
use crate::order::{Order, OrderStatus};

pub struct Db {
    conn: Lock<Connection>,
}

/// Everything a restart needs.
pub struct Loaded {
    pub orders: Vec<Order>,
    pub deliveries: Vec<Delivery>,
    pub clock_offset_ms: i64,
}

impl Db {
    /// Opens (or creates) the file and reads everything back, checking each record: a
    /// record the sandbox would not have written is refused, naming it and the field.
    pub fn open(path: &Path) -> Result<(Db, Loaded), SandboxError> {
        let refuse = |what: String| {
            SandboxError::Database(format!(
                "cannot load {}: {what}; fix or delete that record, or move the file away to \
                 start empty",
                path.display()
            ))
        };
        let conn = Connection::open(path)?;
        conn.execute_batch(
            "PRAGMA journal_mode=WAL;
             PRAGMA synchronous=NORMAL;
             CREATE TABLE IF NOT EXISTS orders (order_id TEXT PRIMARY KEY, data TEXT NOT NULL);
             CREATE TABLE IF NOT EXISTS deliveries (id INTEGER PRIMARY KEY, data TEXT NOT NULL);
             CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);",
        )?;
        let mut orders: Vec<Order> = Vec::new();
        for (key, data) in rows::<String>(&conn, "SELECT order_id, data FROM orders")? {
            let what = |m: String| refuse(format!("order '{key}': {m}"));
            let order: Order = parse(&data, "an order").map_err(what)?;
            if order.order_id != key {
                return Err(what(format!(
                    "its record names order_id '{}'",
                    order.order_id
                )));
            }
            order.check().map_err(what)?;
            orders.push(order);
        }
        let mut pending: HashMap<i64, &str> = HashMap::new();
        for o in orders.iter().filter(|o| o.status == OrderStatus::Pending) {
            if o.unique_code > 0 {
                if let Some(other) = pending.insert(o.amount, &o.order_id) {
                    return Err(refuse(format!(
                        "orders '{other}' and '{}' are both PENDING with amount {} to pay \
                         (unique codes keep pending amounts apart)",
                        o.order_id, o.amount
                    )));
                }
            }
        }
        let mut deliveries: Vec<Delivery> = Vec::new();
        for (key, data) in rows::<i64>(&conn, "SELECT id, data FROM deliveries ORDER BY id")? {
            let what = |m: String| refuse(format!("delivery {key}: {m}"));
            let delivery: Delivery = parse(&data, "a delivery").map_err(what)?;
            delivery.check(key).map_err(what)?;
            deliveries.push(delivery);
        }
        let clock_offset_ms = match conn
            .query_row(
                "SELECT value FROM meta WHERE key = 'clock_offset_ms'",
                [],
                |r| r.get::<_, String>(0),
            )
            .optional()?
        {
            None => 0,
            Some(v) => v
                .parse::<i64>()
                .ok()
                .filter(|ms| (0..=MAX_CLOCK_OFFSET_MS).contains(ms))
                .ok_or_else(|| {
                    refuse(format!(
                        "meta clock_offset_ms {v:?} is not a whole number of milliseconds from \
                         0 to {MAX_CLOCK_OFFSET_MS} (100 years)"
                    ))
                })?,
        };
        Ok((
            Db {
                conn: Lock::new(conn),
            },
            Loaded {
                orders,
                deliveries,
                clock_offset_ms,
            },
        ))
    }

    fn write(&self, sql: &str, key: &dyn rusqlite::ToSql, value: &str) {
        let conn = self.conn.lock();
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
        let conn = self.conn.lock();
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

/// Every (key, data) row of a query.
fn rows<K: rusqlite::types::FromSql>(
    conn: &Connection,
    sql: &str,
) -> Result<Vec<(K, String)>, SandboxError> {
    let mut stmt = conn.prepare(sql)?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, K>(0)?, r.get::<_, String>(1)?)))?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

fn parse<T: serde::de::DeserializeOwned>(data: &str, what: &str) -> Result<T, String> {
    serde_json::from_str(data).map_err(|e| format!("the record is not valid JSON of {what} ({e})"))
}
