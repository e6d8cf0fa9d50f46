//! Batches: many calls at once, each retried as its single form is, for callers with no
//! concurrency of their own (PHP, a cron job reconciling pending orders) or whose threads
//! cost (Python's GIL). The calls run as tasks of the caller's future, at most
//! [`BATCH_IN_FLIGHT`] at a time; the batch answers when every call has, with a result per
//! item in the items' order. One failed item does not stop the others.

use std::future::Future;

use futures_util::stream::{FuturesUnordered, StreamExt};
use futures_util::FutureExt;

use crate::client::Client;
use crate::error::{Error, Result};
use crate::order::{CreateOrder, Order};
use crate::status::PaymentStatus;

/// How many requests of one batch are in flight at once: enough to hide the network's
/// latency, few enough not to look like a flood to Cashi.
pub const BATCH_IN_FLIGHT: usize = 64;

/// The most items one batch takes; more is refused rather than queued, so a runaway list
/// fails at once instead of holding a worker for minutes.
pub const MAX_BATCH_ITEMS: usize = 10_000;

impl Client {
    /// [`check_status`](Self::check_status) for each of `order_ids`: `Err` (the batch did
    /// not run) only for more than [`MAX_BATCH_ITEMS`] ids; otherwise each id's status or
    /// error, in the ids' order.
    pub async fn check_statuses<S: AsRef<str>>(
        &self,
        order_ids: &[S],
    ) -> Result<Vec<Result<PaymentStatus>>> {
        check_size("order_ids", order_ids.len())?;
        Ok(run_all(order_ids.len(), |i| {
            self.check_status(order_ids[i].as_ref())
        })
        .await)
    }

    /// [`create_order`](Self::create_order) for each of `requests`: `Err` (the batch did not
    /// run) only for more than [`MAX_BATCH_ITEMS`] requests; otherwise each request's order
    /// or error, in the requests' order.
    pub async fn create_orders(&self, requests: &[CreateOrder]) -> Result<Vec<Result<Order>>> {
        check_size("requests", requests.len())?;
        Ok(run_all(requests.len(), |i| self.create_order(&requests[i])).await)
    }
}

fn check_size(field: &str, count: usize) -> Result<()> {
    if count > MAX_BATCH_ITEMS {
        return Err(Error::invalid(format!(
            "{field}: {count} items; a batch takes at most {MAX_BATCH_ITEMS}, split it"
        )));
    }
    Ok(())
}

/// Runs `call(0)` to `call(count - 1)`, at most [`BATCH_IN_FLIGHT`] at a time, each made
/// when a place frees up; the results come back in the calls' order.
///
/// The calls are made by index, and their answers tagged with it, rather than streamed
/// from an iterator over the items: closures taking the items by reference would make the
/// batch's future one the compiler cannot prove `Send` (rust-lang/rust#102211), and the
/// bindings spawn it on a runtime's workers.
async fn run_all<T, F, C>(count: usize, call: C) -> Vec<Result<T>>
where
    C: Fn(usize) -> F,
    F: Future<Output = Result<T>>,
{
    let mut results: Vec<Option<Result<T>>> = Vec::with_capacity(count);
    results.resize_with(count, || None);
    let mut next = 0;
    let mut in_flight = FuturesUnordered::new();
    loop {
        while next < count && in_flight.len() < BATCH_IN_FLIGHT {
            let i = next;
            in_flight.push(call(i).map(move |result| (i, result)));
            next += 1;
        }
        match in_flight.next().await {
            Some((i, result)) => results[i] = Some(result),
            None => break,
        }
    }
    results
        .into_iter()
        .map(|r| r.expect("every call of a batch answers once"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send<T: Send>(_: &T) {}

    /// The bindings spawn batches on a multi-threaded runtime (Python's AsyncClient, Node).
    #[test]
    fn batch_futures_are_send() {
        let client = Client::builder()
            .api_key("CASHI-SENDCHECK1")
            .base_url("http://127.0.0.1:1/api")
            .build()
            .unwrap();
        let ids = vec![String::from("A")];
        let requests = vec![CreateOrder::new(15000)];
        let client2 = client.clone();
        let statuses = async move { client.check_statuses(&ids).await };
        let orders = async move { client2.create_orders(&requests).await };
        assert_send(&statuses);
        assert_send(&orders);
    }
}
