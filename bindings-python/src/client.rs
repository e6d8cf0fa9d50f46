//! The native client (`cashi._cashi.Client`) and its blocking and asyncio methods.

use std::future::Future;
use std::pin::Pin;

use cashi::{CreateOrder, Error};
use pyo3::exceptions::PyBaseException;
use pyo3::prelude::*;
use pyo3::types::PyList;

use crate::args::{amount_arg, retries_arg, seconds_arg};
use crate::error::py_err;
use crate::models::{order_to_py, status_to_py};
use crate::runtime::{run_blocking, spawn_async, LoopInbox, Pending};
use crate::VERSION;

/// The native client: one core `cashi::Client`, shared by threads and event loops.
#[pyclass(frozen, module = "cashi._cashi", name = "Client")]
pub(crate) struct NativeClient {
    inner: cashi::Client,
}

fn create_request(
    amount: &Bound<'_, PyAny>,
    order_id: Option<String>,
    channel: Option<String>,
    extra: Option<String>,
) -> Result<CreateOrder, Error> {
    let mut request = CreateOrder::new(amount_arg("amount", amount)?);
    if let Some(id) = order_id {
        request = request.order_id(id);
    }
    if let Some(channel) = channel {
        request = request.channel(channel.as_str());
    }
    // The caller's value as JSON text; the core checks it is an object and its keys.
    if let Some(extra) = extra {
        request = request.extra_text(&extra)?;
    }
    request.validate()?;
    Ok(request)
}

#[pymethods]
impl NativeClient {
    /// Only the settings the user gave are passed on (`None`: the core's default), each
    /// checked by the core's rule.
    #[new]
    #[pyo3(signature = (api_key, base_url, timeout, connect_timeout, max_retries, ca_bundle=None))]
    fn new(
        py: Python<'_>,
        api_key: Option<String>,
        base_url: Option<String>,
        timeout: Option<&Bound<'_, PyAny>>,
        connect_timeout: Option<&Bound<'_, PyAny>>,
        max_retries: Option<&Bound<'_, PyAny>>,
        ca_bundle: Option<std::path::PathBuf>,
    ) -> PyResult<Self> {
        let build = || -> cashi::Result<cashi::Client> {
            let mut builder = cashi::Client::builder()
                .binding("cashi-python", VERSION)
                .on_event(crate::events::listener());
            if let Some(timeout) = timeout {
                builder = builder.timeout(seconds_arg("timeout", timeout)?);
            }
            if let Some(timeout) = connect_timeout {
                builder = builder.connect_timeout(seconds_arg("connect_timeout", timeout)?);
            }
            if let Some(retries) = max_retries {
                builder = builder.max_retries(retries_arg(retries)?);
            }
            if let Some(key) = api_key {
                builder = builder.api_key(key);
            }
            if let Some(url) = base_url {
                builder = builder.base_url(url);
            }
            if let Some(path) = ca_bundle {
                builder = builder.ca_bundle(path);
            }
            builder.build()
        };
        build()
            .map(|inner| NativeClient { inner })
            .map_err(|e| py_err(py, &e))
    }

    /// The API's base URL, without a trailing slash.
    #[getter]
    fn base_url(&self) -> &str {
        self.inner.base_url()
    }

    /// The user-agent sent with every request.
    #[getter]
    fn user_agent(&self) -> &str {
        self.inner.user_agent()
    }

    fn __repr__(&self) -> String {
        format!("{:?}", self.inner)
    }

    /// Creates an order (blocking, GIL released): a `cashi.Order` (`order_to_py`).
    #[pyo3(signature = (amount, order_id, channel, extra))]
    fn create_order(
        &self,
        py: Python<'_>,
        amount: &Bound<'_, PyAny>,
        order_id: Option<String>,
        channel: Option<String>,
        extra: Option<String>,
    ) -> PyResult<Py<PyAny>> {
        let request =
            create_request(amount, order_id, channel, extra).map_err(|e| py_err(py, &e))?;
        let client = self.inner.clone();
        let order = run_blocking(py, async move { client.create_order(&request).await })?;
        order_to_py(py, order)
    }

    /// Reads an order's status (blocking, GIL released): a `cashi.PaymentStatus`
    /// (`status_to_py`).
    fn check_status(&self, py: Python<'_>, order_id: String) -> PyResult<Py<PyAny>> {
        let client = self.inner.clone();
        let status = run_blocking(py, async move { client.check_status(&order_id).await })?;
        status_to_py(py, status)
    }

    /// Polls until settled, expired or `timeout` seconds (blocking, GIL released).
    fn wait_for_payment(
        &self,
        py: Python<'_>,
        order_id: String,
        timeout: &Bound<'_, PyAny>,
    ) -> PyResult<Py<PyAny>> {
        let limit = seconds_arg("timeout", timeout).map_err(|e| py_err(py, &e))?;
        let client = self.inner.clone();
        let status = run_blocking(py, async move {
            client.wait_for_payment(&order_id, limit).await
        })?;
        status_to_py(py, status)
    }

    /// Re-reads the status; a `PaymentMismatchError` unless SETTLED with `expected_amount`.
    fn confirm(
        &self,
        py: Python<'_>,
        order_id: String,
        expected_amount: &Bound<'_, PyAny>,
    ) -> PyResult<Py<PyAny>> {
        let expected =
            amount_arg("expected_amount", expected_amount).map_err(|e| py_err(py, &e))?;
        let client = self.inner.clone();
        let status = run_blocking(py, async move {
            client.confirm(order_id.as_str(), expected).await
        })?;
        status_to_py(py, status)
    }

    /// `confirm` for a verified webhook event, given the body it was verified from: the
    /// core then relies on the event's signed amount when Cashi's answer carries none.
    fn confirm_event(
        &self,
        py: Python<'_>,
        verified_body: &[u8],
        expected_amount: &Bound<'_, PyAny>,
    ) -> PyResult<Py<PyAny>> {
        let (event, expected) =
            event_and_amount(verified_body, expected_amount).map_err(|e| py_err(py, &e))?;
        let client = self.inner.clone();
        let status = run_blocking(py, async move { client.confirm(&event, expected).await })?;
        status_to_py(py, status)
    }

    /// `check_status` for each id, concurrently (the core's batch), blocking with the GIL
    /// released: a list of `PaymentStatus` or exception instances (`Batch`).
    fn check_statuses(&self, py: Python<'_>, items: Vec<Bound<'_, PyAny>>) -> PyResult<Py<PyAny>> {
        let (ids, batch) = Batch::of(items, status_item, String::new);
        let client = self.inner.clone();
        let results = run_blocking(py, statuses_batch(client, ids))?;
        batch.into_list(py, results, status_to_py)
    }

    /// `create_order` for each request, concurrently (the core's batch), blocking with the
    /// GIL released: a list of `Order` or exception instances (`Batch`).
    fn create_orders(&self, py: Python<'_>, items: Vec<Bound<'_, PyAny>>) -> PyResult<Py<PyAny>> {
        let (requests, batch) = Batch::of(items, order_item, refused_order);
        let client = self.inner.clone();
        let results = run_blocking(py, orders_batch(client, requests))?;
        batch.into_list(py, results, order_to_py)
    }

    // The awaitable forms: validate now (raising in the caller), run on the runtime, and
    // hand the result to the caller's loop through its inbox.

    /// `create_order` for asyncio: the answer completes `future` through the loop's `inbox`.
    #[allow(clippy::too_many_arguments)]
    #[pyo3(signature = (amount, order_id, channel, extra, inbox, future))]
    fn create_order_async(
        &self,
        py: Python<'_>,
        amount: &Bound<'_, PyAny>,
        order_id: Option<String>,
        channel: Option<String>,
        extra: Option<String>,
        inbox: PyRef<'_, LoopInbox>,
        future: Py<PyAny>,
    ) -> PyResult<Pending> {
        let request =
            create_request(amount, order_id, channel, extra).map_err(|e| py_err(py, &e))?;
        let client = self.inner.clone();
        Ok(spawn_async(
            async move { client.create_order(&request).await },
            order_to_py,
            &inbox,
            future,
        ))
    }

    /// `check_status` for asyncio.
    fn check_status_async(
        &self,
        order_id: String,
        inbox: PyRef<'_, LoopInbox>,
        future: Py<PyAny>,
    ) -> Pending {
        let client = self.inner.clone();
        spawn_async(
            async move { client.check_status(&order_id).await },
            status_to_py,
            &inbox,
            future,
        )
    }

    /// `wait_for_payment` for asyncio.
    fn wait_for_payment_async(
        &self,
        py: Python<'_>,
        order_id: String,
        timeout: &Bound<'_, PyAny>,
        inbox: PyRef<'_, LoopInbox>,
        future: Py<PyAny>,
    ) -> PyResult<Pending> {
        let limit = seconds_arg("timeout", timeout).map_err(|e| py_err(py, &e))?;
        let client = self.inner.clone();
        Ok(spawn_async(
            async move { client.wait_for_payment(&order_id, limit).await },
            status_to_py,
            &inbox,
            future,
        ))
    }

    /// `confirm` for asyncio.
    fn confirm_async(
        &self,
        py: Python<'_>,
        order_id: String,
        expected_amount: &Bound<'_, PyAny>,
        inbox: PyRef<'_, LoopInbox>,
        future: Py<PyAny>,
    ) -> PyResult<Pending> {
        let expected =
            amount_arg("expected_amount", expected_amount).map_err(|e| py_err(py, &e))?;
        let client = self.inner.clone();
        Ok(spawn_async(
            async move { client.confirm(order_id.as_str(), expected).await },
            status_to_py,
            &inbox,
            future,
        ))
    }

    /// `confirm_event` for asyncio.
    fn confirm_event_async(
        &self,
        py: Python<'_>,
        verified_body: &[u8],
        expected_amount: &Bound<'_, PyAny>,
        inbox: PyRef<'_, LoopInbox>,
        future: Py<PyAny>,
    ) -> PyResult<Pending> {
        let (event, expected) =
            event_and_amount(verified_body, expected_amount).map_err(|e| py_err(py, &e))?;
        let client = self.inner.clone();
        Ok(spawn_async(
            async move { client.confirm(&event, expected).await },
            status_to_py,
            &inbox,
            future,
        ))
    }

    /// `check_statuses` for asyncio.
    fn check_statuses_async(
        &self,
        items: Vec<Bound<'_, PyAny>>,
        inbox: PyRef<'_, LoopInbox>,
        future: Py<PyAny>,
    ) -> Pending {
        let (ids, batch) = Batch::of(items, status_item, String::new);
        let client = self.inner.clone();
        spawn_async(
            statuses_batch(client, ids),
            move |py, results| batch.into_list(py, results, status_to_py),
            &inbox,
            future,
        )
    }

    /// `create_orders` for asyncio.
    fn create_orders_async(
        &self,
        items: Vec<Bound<'_, PyAny>>,
        inbox: PyRef<'_, LoopInbox>,
        future: Py<PyAny>,
    ) -> Pending {
        let (requests, batch) = Batch::of(items, order_item, refused_order);
        let client = self.inner.clone();
        spawn_async(
            orders_batch(client, requests),
            move |py, results| batch.into_list(py, results, order_to_py),
            &inbox,
            future,
        )
    }
}

/// The event a `WebhookEvent` was made from (its body was verified when it was made, so it
/// is read again, not verified again) and the amount `confirm` expects.
fn event_and_amount(
    verified_body: &[u8],
    expected_amount: &Bound<'_, PyAny>,
) -> Result<(cashi::WebhookEvent, i64), Error> {
    let expected = amount_arg("expected_amount", expected_amount)?;
    Ok((
        cashi::WebhookEvent::parse_verified(verified_body)?,
        expected,
    ))
}

/// The items of a batch the Python layer could not make a call of (an order id that is not
/// a `str`, a request that is not a dict): each holds the exception its single call would
/// have raised, which becomes that item's result. The core still gets one call per item, a
/// placeholder it refuses before sending anything for each of these, so the batch's size,
/// and its limit, are the core's.
struct Batch {
    refused: Vec<Option<Py<PyAny>>>,
}

impl Batch {
    /// The calls of `items`: each read by `call`, or, when `call` fails or the item is
    /// already an exception, a `placeholder()` and the exception.
    fn of<T>(
        items: Vec<Bound<'_, PyAny>>,
        call: impl Fn(&Bound<'_, PyAny>) -> PyResult<T>,
        placeholder: impl Fn() -> T,
    ) -> (Vec<T>, Batch) {
        let mut calls = Vec::with_capacity(items.len());
        let mut refused = Vec::with_capacity(items.len());
        for item in &items {
            let read = if item.is_instance_of::<PyBaseException>() {
                Err(item.clone().unbind())
            } else {
                call(item).map_err(|e| e.into_value(item.py()).into_any())
            };
            match read {
                Ok(value) => {
                    calls.push(value);
                    refused.push(None);
                }
                Err(exception) => {
                    calls.push(placeholder());
                    refused.push(Some(exception));
                }
            }
        }
        (calls, Batch { refused })
    }

    /// The batch's results as a Python list, in the items' order: each the converted
    /// result, or the exception its call raised (an instance, not raised). An item that
    /// cannot be converted holds that exception: the others, done, are not lost with it.
    fn into_list<T>(
        self,
        py: Python<'_>,
        results: Vec<cashi::Result<T>>,
        convert: fn(Python<'_>, T) -> PyResult<Py<PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        let list = PyList::empty(py);
        for (result, refused) in results.into_iter().zip(self.refused) {
            let item = match (refused, result) {
                (Some(exception), _) => exception,
                (None, Ok(value)) => {
                    convert(py, value).unwrap_or_else(|e| e.into_value(py).into_any())
                }
                (None, Err(e)) => py_err(py, &e).into_value(py).into_any(),
            };
            list.append(item)?;
        }
        Ok(list.into_any().unbind())
    }
}

/// An order id of `check_statuses`.
fn status_item(item: &Bound<'_, PyAny>) -> PyResult<String> {
    item.extract()
}

/// A request of `create_orders`: create_order's arguments as a tuple (amount, order_id,
/// channel, extra as JSON text), which the Python layer made of the user's dict.
fn order_item(item: &Bound<'_, PyAny>) -> PyResult<CreateOrder> {
    let (amount, order_id, channel, extra): (
        Bound<'_, PyAny>,
        Option<String>,
        Option<String>,
        Option<String>,
    ) = item.extract()?;
    create_request(&amount, order_id, channel, extra).map_err(|e| py_err(item.py(), &e))
}

/// A request the core refuses unsent (no amount): the place of an item already refused.
fn refused_order() -> CreateOrder {
    CreateOrder::new(0)
}

type BatchFuture<T> = Pin<Box<dyn Future<Output = cashi::Result<Vec<cashi::Result<T>>>> + Send>>;

fn statuses_batch(client: cashi::Client, ids: Vec<String>) -> BatchFuture<cashi::PaymentStatus> {
    Box::pin(async move { client.check_statuses(&ids).await })
}

fn orders_batch(client: cashi::Client, requests: Vec<CreateOrder>) -> BatchFuture<cashi::Order> {
    Box::pin(async move { client.create_orders(&requests).await })
}
