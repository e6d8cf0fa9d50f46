//! Batches: many calls at once, each retried as its single form is, for callers with no
//! concurrency of their own (PHP, a cron job reconciling pending orders) or whose threads
//! cost (Python's GIL). The calls run as tasks of the caller's future, at most
//! [`BATCH_IN_FLIGHT`] at a time; the batch answers when every call has, with a result per
//! item in the items' order. One failed item does not stop the others.

use std::future::Future;

use futures_util::stream::{self, StreamExt};

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
        Ok(run_all(order_ids.iter().map(|id| self.check_status(id.as_ref()))).await)
    }

    /// [`create_order`](Self::create_order) for each of `requests`: `Err` (the batch did not
    /// run) only for more than [`MAX_BATCH_ITEMS`] requests; otherwise each request's order
    /// or error, in the requests' order.
    pub async fn create_orders(&self, requests: &[CreateOrder]) -> Result<Vec<Result<Order>>> {
        check_size("requests", requests.len())?;
        Ok(run_all(requests.iter().map(|r| self.create_order(r))).await)
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

/// Runs the calls, at most [`BATCH_IN_FLIGHT`] at a time; the results come back in the
/// calls' order.
async fn run_all<T, F>(calls: impl Iterator<Item = F>) -> Vec<Result<T>>
where
    F: Future<Output = Result<T>>,
{
    let mut results: Vec<Option<Result<T>>> = Vec::new();
    let mut answers = stream::iter(calls.enumerate())
        .map(|(i, call)| async move { (i, call.await) })
        .buffer_unordered(BATCH_IN_FLIGHT);
    while let Some((i, result)) = answers.next().await {
        if results.len() <= i {
            results.resize_with(i + 1, || None);
        }
        results[i] = Some(result);
    }
    results
        .into_iter()
        .map(|r| r.expect("every call of a batch answers once"))
        .collect()
}
