//! Orders, unique codes and webhook deliveries: the sandbox's state and its rules.
//!
//! One mutex guards the whole store (see `state.rs`), which is what makes the unique-code
//! rule hold under concurrent create-orders. With a database every change is written
//! through before the lock is released, so a restart loses nothing that was answered.

use std::collections::{BTreeSet, HashMap, HashSet};

use serde::Serialize;

use crate::channels::{Channel, KNOWN_CODES};
use crate::clock::Millis;
use crate::delivery::{Delivery, DeliveryState};
use crate::order::{Order, OrderStatus};
use crate::persistence::Db;

/// Settings that `POST /api/sandbox/config` may change at runtime.
#[derive(Debug, Clone, Serialize)]
pub struct Settings {
    pub webhook_url: Option<String>,
    pub webhook_secret: String,
    pub redirect_url: Option<String>,
}

/// Why a store operation was refused; mapped to an HTTP answer by the routes.
#[derive(Debug)]
pub enum StoreError {
    NotFound(String),
    Conflict(String),
}

/// What create-order asks for, already validated for shape.
pub struct NewOrder {
    pub order_id: Option<String>,
    pub channel: Channel,
    pub amount: i64,
    /// The body's other fields, as received.
    pub extra: serde_json::Map<String, serde_json::Value>,
}

pub struct Store {
    orders: HashMap<String, Order>,
    /// amount to pay → order id, for every PENDING order that has a unique code.
    pending_amounts: HashMap<i64, String>,
    /// (expires_at, order id) of every PENDING order, to expire them in time order.
    pending_expiry: BTreeSet<(Millis, String)>,
    deliveries: Vec<Delivery>,
    in_flight: HashSet<u64>,
    next_delivery_id: u64,
    pub settings: Settings,
    db: Option<Db>,
}

fn random_alnum(n: usize) -> String {
    const CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    (0..n)
        .map(|_| CHARS[fastrand::usize(..CHARS.len())] as char)
        .collect()
}

/// Random decimal digits, the first one non-zero.
pub fn random_digits(n: usize) -> String {
    let mut s = fastrand::u8(1..=9).to_string();
    for _ in 1..n {
        s.push(char::from(b'0' + fastrand::u8(0..10)));
    }
    s
}

impl Store {
    pub fn new(
        settings: Settings,
        db: Option<Db>,
        orders: Vec<Order>,
        deliveries: Vec<Delivery>,
    ) -> Self {
        let next_delivery_id = deliveries.iter().map(|d| d.id + 1).max().unwrap_or(1);
        let mut store = Store {
            next_delivery_id,
            orders: HashMap::new(),
            pending_amounts: HashMap::new(),
            pending_expiry: BTreeSet::new(),
            deliveries,
            in_flight: HashSet::new(),
            settings,
            db,
        };
        store.deliveries.sort_by_key(|d| d.id);
        for o in orders {
            store.index(&o);
            store.orders.insert(o.order_id.clone(), o);
        }
        store
    }

    fn index(&mut self, o: &Order) {
        if o.status == OrderStatus::Pending {
            if o.unique_code > 0 {
                self.pending_amounts.insert(o.amount, o.order_id.clone());
            }
            self.pending_expiry
                .insert((o.expires_at, o.order_id.clone()));
        }
    }

    fn unindex(&mut self, o: &Order) {
        if self.pending_amounts.get(&o.amount) == Some(&o.order_id) {
            self.pending_amounts.remove(&o.amount);
        }
        self.pending_expiry
            .remove(&(o.expires_at, o.order_id.clone()));
    }

    fn save_order(&self, o: &Order) {
        if let Some(db) = &self.db {
            db.save_order(o);
        }
    }

    fn save_delivery(&self, d: &Delivery) {
        if let Some(db) = &self.db {
            db.save_delivery(d);
        }
    }

    pub fn save_clock_offset(&self, offset_ms: i64) {
        if let Some(db) = &self.db {
            db.save_clock_offset(offset_ms);
        }
    }

    /// Turns every PENDING order whose time is up into EXPIRED, freeing its unique code.
    pub fn expire_due(&mut self, now: Millis) {
        while let Some((at, id)) = self.pending_expiry.first().cloned() {
            if at > now {
                break;
            }
            self.pending_expiry.pop_first();
            if let Some(mut o) = self.orders.get(&id).cloned() {
                self.unindex(&o);
                o.status = OrderStatus::Expired;
                self.save_order(&o);
                self.orders.insert(id, o);
            }
        }
    }

    /// Picks a unique code 1–99 so that `base + code` is no PENDING order's amount to pay.
    fn pick_code(&self, base: i64) -> Option<i64> {
        let start = fastrand::i64(0..99);
        (0..99)
            .map(|i| (start + i) % 99 + 1)
            .find(|c| !self.pending_amounts.contains_key(&(base + c)))
    }

    /// Creates a PENDING order. `build` fills in what needs the final id and amount (the
    /// QRIS payload) and runs under the lock, so it must be cheap.
    pub fn create(
        &mut self,
        req: NewOrder,
        now: Millis,
        ttl_ms: i64,
        qris_payload: impl FnOnce(&str, i64) -> String,
    ) -> Result<Order, StoreError> {
        self.expire_due(now);
        let order_id = match req.order_id {
            Some(id) => {
                if self.orders.contains_key(&id) {
                    return Err(StoreError::Conflict(format!(
                        "order_id '{id}' already exists; every order needs a new unique order_id"
                    )));
                }
                id
            }
            None => loop {
                let id = format!("ORD-{}", random_alnum(12));
                if !self.orders.contains_key(&id) {
                    break id;
                }
            },
        };
        let unique_code = if req.channel.is_qris() {
            self.pick_code(req.amount).ok_or_else(|| {
                StoreError::Conflict(format!(
                    "all 99 unique codes are in use for amount {} by pending orders; retry \
                     later (when one is paid or expires) or vary the amount",
                    req.amount
                ))
            })?
        } else {
            0
        };
        let amount = req.amount + unique_code;
        let payment_code = match req.channel {
            Channel::Va(bank) => Some(format!(
                "{}{}",
                bank.va_prefix(),
                random_digits(16 - bank.va_prefix().len())
            )),
            Channel::Retail(_) => Some(random_digits(16)),
            _ => None,
        };
        let qris_payload = req
            .channel
            .is_qris()
            .then(|| qris_payload(&order_id, amount));
        let order = Order {
            order_id: order_id.clone(),
            channel: req.channel,
            base_amount: req.amount,
            amount,
            unique_code,
            created_at: now,
            expires_at: now + ttl_ms,
            status: OrderStatus::Pending,
            paid_amount: None,
            paid_at: None,
            provider_tx_id: None,
            payment_code,
            qris_payload,
            request_extra: req.extra,
        };
        self.index(&order);
        self.save_order(&order);
        self.orders.insert(order_id, order.clone());
        Ok(order)
    }

    pub fn get(&mut self, id: &str, now: Millis) -> Option<Order> {
        self.expire_due(now);
        self.orders.get(id).cloned()
    }

    fn pending(&mut self, id: &str, now: Millis, verb: &str) -> Result<Order, StoreError> {
        let o = self
            .get(id, now)
            .ok_or_else(|| StoreError::NotFound(format!("order '{id}' not found")))?;
        if o.status != OrderStatus::Pending {
            return Err(StoreError::Conflict(format!(
                "order '{id}' is {}; only a PENDING order can be {verb}",
                o.status.as_str()
            )));
        }
        Ok(o)
    }

    /// Marks a PENDING order SETTLED with `paid_amount` (default: the amount to pay).
    pub fn settle(
        &mut self,
        id: &str,
        paid_amount: Option<i64>,
        now: Millis,
    ) -> Result<Order, StoreError> {
        let mut o = self.pending(id, now, "paid")?;
        self.unindex(&o);
        o.status = OrderStatus::Settled;
        o.paid_amount = Some(paid_amount.unwrap_or(o.amount));
        o.paid_at = Some(now);
        o.provider_tx_id = Some(random_digits(11));
        self.save_order(&o);
        self.orders.insert(o.order_id.clone(), o.clone());
        Ok(o)
    }

    pub fn expire(&mut self, id: &str, now: Millis) -> Result<Order, StoreError> {
        let mut o = self.pending(id, now, "expired")?;
        self.unindex(&o);
        o.status = OrderStatus::Expired;
        self.save_order(&o);
        self.orders.insert(o.order_id.clone(), o.clone());
        Ok(o)
    }

    pub fn next_delivery_id(&mut self) -> u64 {
        let id = self.next_delivery_id;
        self.next_delivery_id += 1;
        id
    }

    /// Adds a delivery; `in_flight` marks it as being sent by the caller right now.
    pub fn add_delivery(&mut self, d: Delivery, in_flight: bool) {
        if in_flight {
            self.in_flight.insert(d.id);
        }
        self.save_delivery(&d);
        self.deliveries.push(d);
    }

    fn delivery_mut(&mut self, id: u64) -> Option<&mut Delivery> {
        self.deliveries
            .binary_search_by_key(&id, |d| d.id)
            .ok()
            .map(|i| &mut self.deliveries[i])
    }

    /// Pending deliveries due at `now` that nobody is sending; they are marked in flight,
    /// so each delivery has at most one attempt under way.
    pub fn take_due(&mut self, now: Millis) -> Vec<Delivery> {
        let due: Vec<Delivery> = self
            .deliveries
            .iter()
            .filter(|d| {
                d.state == DeliveryState::Pending
                    && !self.in_flight.contains(&d.id)
                    && d.next_attempt_at.is_some_and(|t| t <= now)
            })
            .cloned()
            .collect();
        for d in &due {
            self.in_flight.insert(d.id);
        }
        due
    }

    /// Records an attempt's outcome and clears the in-flight mark.
    /// `None` if the delivery is gone (a reset happened while the attempt was under way).
    pub fn finish_attempt(
        &mut self,
        id: u64,
        update: impl FnOnce(&mut Delivery),
    ) -> Option<Delivery> {
        self.in_flight.remove(&id);
        let d = self.delivery_mut(id)?;
        update(d);
        let d = d.clone();
        self.save_delivery(&d);
        Some(d)
    }

    /// Forgets every order and delivery (`POST /api/sandbox/reset`), so one long-lived
    /// sandbox can serve a whole test session. Delivery ids keep counting up, so an attempt
    /// still under way from before cannot touch a new delivery.
    pub fn reset(&mut self) {
        self.orders.clear();
        self.pending_amounts.clear();
        self.pending_expiry.clear();
        self.deliveries.clear();
        self.in_flight.clear();
        if let Some(db) = &self.db {
            db.clear();
        }
    }

    pub fn deliveries(&self) -> &[Delivery] {
        &self.deliveries
    }
}

/// Error text listing the accepted channel codes.
pub fn unknown_channel_message(code: &str) -> String {
    format!("unknown kode_channel '{code}'; use one of {KNOWN_CODES}, or leave it out for QRIS")
}
