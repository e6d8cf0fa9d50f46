//! `cashi._cashi`: the native half of the Python SDK.
//!
//! Deliberately thin: argument conversion, error mapping and runtime glue over the `cashi`
//! core. The public API (`cashi.Client`, `cashi.AsyncClient`, the models and exception
//! classes) is the pure-Python package in `python/cashi/`, which calls into this module.
//!
//! * Sync calls run on the core's lazily built, fork-safe runtime with the GIL released,
//!   waking every [`SIGNAL_CHECK`] to let Ctrl-C interrupt a long wait.
//! * Async calls are spawned on the same runtime; the answer waits in the caller's loop's
//!   [`LoopInbox`] and the runtime thread wakes the loop without ever taking the GIL. The
//!   loop converts the answers of a batch to Python objects and completes their futures.
//! * Errors become instances of the Python exception classes through
//!   `cashi._errors._from_native`, the one place that maps codes to classes.

use std::future::Future;
use std::io::{Read, Write};
use std::os::fd::AsRawFd;
use std::os::unix::net::UnixStream;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use cashi::{CreateOrder, Error, ErrorKind};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use pyo3::IntoPyObjectExt;
use serde_json::{Map, Value};

/// The wheel's version (the crate's), sent in the user-agent as `cashi-python/VERSION`.
const VERSION: &str = env!("CARGO_PKG_VERSION");

/// How often a blocked sync call looks up from the network to check for Ctrl-C.
const SIGNAL_CHECK: Duration = Duration::from_millis(200);

// ---------------------------------------------------------------------------------------
// Errors

/// The Python exception for a core error, built by `cashi._errors._from_native` so the
/// code → class table lives in one place.
fn py_err(py: Python<'_>, e: &Error) -> PyErr {
    let build = || -> PyResult<PyErr> {
        let mismatch = e.mismatch_details().map(|m| {
            (
                m.order_id.clone(),
                m.expected_amount,
                m.actual_amount,
                m.status.clone(),
            )
        });
        let exc = py
            .import("cashi._errors")?
            .getattr("_from_native")?
            .call1((e.code(), e.message(), e.http_status(), mismatch))?;
        Ok(PyErr::from_value(exc))
    };
    build().unwrap_or_else(|import_failed| import_failed)
}

fn invalid(message: String) -> Error {
    Error::new(ErrorKind::InvalidArgument, message)
}

/// The name of a Python object's type, for messages ("str", "Decimal").
fn type_name(value: &Bound<'_, PyAny>) -> String {
    value
        .get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "object".to_string())
}

// ---------------------------------------------------------------------------------------
// Argument conversion

/// A Python value as whole rupiah. An `int` is exact; a `float` must be integral
/// (the core's `amount_from_f64`); `Decimal`/`Fraction`-like values must have no fraction.
/// Anything else (bool, str, None, ...) is `invalid_argument` naming the field, never a
/// `TypeError`, and nothing is ever rounded.
fn amount_arg(field: &str, value: &Bound<'_, PyAny>) -> Result<i64, Error> {
    let pass = "pass an int of whole rupiah, e.g. 15000";
    if value.is_none() {
        return Err(invalid(format!("{field}: is required (got None); {pass}")));
    }
    if value.is_instance_of::<PyBool>() {
        return Err(invalid(format!("{field}: a bool is not an amount; {pass}")));
    }
    if value.is_instance_of::<PyInt>() {
        return value.extract::<i64>().map_err(|_| {
            invalid(format!(
                "{field}: {} is too large to be an amount of rupiah",
                value.str().map(|s| s.to_string()).unwrap_or_default()
            ))
        });
    }
    if value.is_instance_of::<PyFloat>() {
        let f: f64 = value
            .extract()
            .map_err(|_| invalid(format!("{field}: is not a number; {pass}")))?;
        return cashi::validate::amount_from_f64(field, f);
    }
    if value.is_instance_of::<PyString>() || value.is_instance_of::<PyBytes>() {
        return Err(invalid(format!(
            "{field}: got a {}, which is not an amount; {pass}",
            type_name(value)
        )));
    }
    // Decimal, Fraction, NumPy numbers: exact when their ratio has denominator 1.
    if let Ok(ratio) = value.call_method0("as_integer_ratio") {
        let (numerator, denominator): (Bound<'_, PyAny>, Bound<'_, PyAny>) =
            ratio.extract().map_err(|_| {
                invalid(format!(
                    "{field}: got a {}, which is not an amount; {pass}",
                    type_name(value)
                ))
            })?;
        let denominator: i64 = denominator.extract().unwrap_or(0);
        if denominator != 1 {
            return Err(invalid(format!(
                "{field}: {} is not a whole number of rupiah; amounts are never rounded, {pass}",
                value.str().map(|s| s.to_string()).unwrap_or_default()
            )));
        }
        return amount_arg(field, &numerator);
    }
    if value.hasattr("__index__").unwrap_or(false) {
        if let Ok(index) = value.call_method0("__index__") {
            return amount_arg(field, &index);
        }
    }
    // NaN or infinite Decimals end up here too: `as_integer_ratio` refuses them.
    Err(invalid(format!(
        "{field}: got a {}, which is not a whole number of rupiah; {pass}",
        type_name(value)
    )))
}

// ---------------------------------------------------------------------------------------
// Results to Python: tuples of the typed fields, in the order of the Python model's fields
// (the Python layer builds its dataclasses from them), and `raw` left unconverted until read.

fn json_to_py<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match value {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                i.into_pyobject(py)?.into_any()
            } else if let Some(u) = n.as_u64() {
                u.into_pyobject(py)?.into_any()
            } else {
                n.as_f64().unwrap_or(f64::NAN).into_pyobject(py)?.into_any()
            }
        }
        Value::String(s) => PyString::new(py, s).into_any(),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(json_to_py(py, item)?)?;
            }
            list.into_any()
        }
        Value::Object(map) => map_to_py(py, map)?.into_any(),
    })
}

fn map_to_py<'py>(py: Python<'py>, map: &Map<String, Value>) -> PyResult<Bound<'py, PyDict>> {
    let dict = PyDict::new(py);
    for (key, value) in map {
        dict.set_item(key, json_to_py(py, value)?)?;
    }
    Ok(dict)
}

/// A Python tuple of the values, each converted with `IntoPyObject`.
macro_rules! py_tuple {
    ($py:expr; $($value:expr),+ $(,)?) => {
        PyTuple::new($py, [$( $value.into_py_any($py)? ),+]).map(|t| t.into_any().unbind())
    };
}

/// Cashi's whole answer as the JSON text it came in: most callers never read `raw`, so it
/// is parsed and becomes Python objects only when they do (`to_dict`, once, by the model's
/// `raw`).
#[pyclass(frozen, module = "cashi._cashi")]
struct RawJson {
    text: Box<str>,
}

#[pymethods]
impl RawJson {
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        // The core read this text as a JSON object before handing it over.
        let map: Map<String, Value> = serde_json::from_str(&self.text)
            .map_err(|e| py_err(py, &Error::new(ErrorKind::Decode, format!("raw: {e}"))))?;
        map_to_py(py, &map)
    }

    /// Pickled (and deep-copied) as the dict it stands for.
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<(Bound<'py, PyAny>, (&str,))> {
        let loads = py.import("json")?.getattr("loads")?;
        Ok((loads, (&self.text,)))
    }
}

fn order_to_py(py: Python<'_>, order: cashi::Order) -> PyResult<Py<PyAny>> {
    let raw = order.body().into();
    let expires_at = order.expires_at.as_ref().map(cashi::timestamp::format);
    let virtual_account = match order.virtual_account {
        Some(va) => Some(
            py_tuple!(py; va.va_number, va.bank, va.bank_name, va.total_amount,
                                   va.admin_fee, va.kode_channel)?,
        ),
        None => None,
    };
    let retail = match order.retail {
        Some(r) => Some(py_tuple!(py; r.payment_code, r.retail_code, r.retail_name)?),
        None => None,
    };
    py_tuple!(py;
        order.order_id, order.amount, order.requested_amount, order.unique_code,
        order.checkout_url, order.qr_url, expires_at, order.provider, order.fee,
        order.expected_net, order.is_qris_custom, virtual_account, retail,
        RawJson { text: raw },
    )
}

fn status_to_py(py: Python<'_>, status: cashi::PaymentStatus) -> PyResult<Py<PyAny>> {
    let (is_settled, is_final) = (status.is_settled(), status.state.is_final());
    let raw = status.body().into();
    py_tuple!(py;
        status.order_id, status.state.as_str(), status.amount, status.provider_tx_id,
        is_settled, is_final, status.amount_from_webhook, RawJson { text: raw },
    )
}

/// The event's fields; the Python layer adds `raw` from the body it already holds.
fn event_to_py(py: Python<'_>, event: cashi::WebhookEvent) -> PyResult<Py<PyAny>> {
    let paid_at_time = event.paid_at_time().as_ref().map(cashi::timestamp::format);
    let (is_test, is_settled) = (event.is_test(), event.is_settled());
    py_tuple!(py;
        event.event.as_str(), event.order_id, event.status.as_str(), event.amount,
        event.payment_method, event.paid_at, paid_at_time, event.transaction_id, is_test,
        is_settled,
    )
}

// ---------------------------------------------------------------------------------------
// Runtime glue

/// Runs a core future on the calling thread's own runtime (`block_on_local`: the I/O runs
/// here, no hand-off to a worker thread) with the GIL released. Every [`SIGNAL_CHECK`] the
/// thread re-attaches to run Python's signal handlers, so Ctrl-C interrupts a long
/// `wait_for_payment` (the request is then dropped, which cancels it).
fn run_blocking<T, F>(py: Python<'_>, future: F) -> PyResult<T>
where
    F: Future<Output = cashi::Result<T>> + Send,
    T: Send,
{
    let mut future = std::pin::pin!(future);
    loop {
        let polled = py.detach(|| {
            // The timer is made inside the runtime: a tokio timer needs one to exist.
            cashi::runtime::block_on_local(async {
                tokio::time::timeout(SIGNAL_CHECK, &mut future).await
            })
        });
        match polled {
            Ok(Ok(value)) => return Ok(value),
            Ok(Err(e)) => return Err(py_err(py, &e)),
            Err(_still_running) => py.check_signals()?,
        }
    }
}

/// An answer waiting in an [`Inbox`] for its event loop: the asyncio future to complete and
/// the result, turned into Python objects only on the loop's thread.
struct Completed {
    future: Py<PyAny>,
    result: Box<ToPython>,
}

/// A call's outcome, waiting to become a Python value (or exception) under the GIL.
type ToPython = dyn FnOnce(Python<'_>) -> PyResult<Py<PyAny>> + Send;

/// Where runtime threads leave answers for one event loop. They never take the GIL: an
/// answer is pushed here, and only the first answer of a batch wakes the loop, by writing
/// one byte to a socket the loop watches (`loop.add_reader`). The loop then converts and
/// delivers every answer that arrived meanwhile ([`LoopInbox::drain`]).
struct Inbox {
    queue: Mutex<Vec<Completed>>,
    wake: UnixStream,
}

impl Inbox {
    fn push(&self, done: Completed) {
        let first = {
            let mut queue = self.queue.lock().unwrap_or_else(|p| p.into_inner());
            queue.push(done);
            queue.len() == 1
        };
        if first {
            // Non-blocking: a full socket already holds a wake-up the loop has not read.
            let _ = (&self.wake).write(&[1]);
        }
    }
}

/// One event loop's inbox (made once per loop by `cashi._client`, which registers
/// `fileno()` with `loop.add_reader(fd, drain)`).
#[pyclass(frozen, module = "cashi._cashi")]
struct LoopInbox {
    inbox: Arc<Inbox>,
    woken: UnixStream,
}

#[pymethods]
impl LoopInbox {
    #[new]
    fn new() -> PyResult<Self> {
        let (wake, woken) = UnixStream::pair()?;
        wake.set_nonblocking(true)?;
        woken.set_nonblocking(true)?;
        Ok(LoopInbox {
            inbox: Arc::new(Inbox {
                queue: Mutex::new(Vec::new()),
                wake,
            }),
            woken,
        })
    }

    /// The descriptor that becomes readable when answers are waiting.
    fn fileno(&self) -> i32 {
        self.woken.as_raw_fd()
    }

    /// Runs on the loop: completes the future of every waiting answer with
    /// `deliver(future, ok, value)` (which skips futures cancelled meanwhile).
    fn drain(&self, py: Python<'_>, deliver: &Bound<'_, PyAny>) -> PyResult<()> {
        let mut sink = [0u8; 64];
        while matches!((&self.woken).read(&mut sink), Ok(n) if n > 0) {}
        let batch =
            std::mem::take(&mut *self.inbox.queue.lock().unwrap_or_else(|p| p.into_inner()));
        // Every answer is delivered even if one delivery fails; the first failure is then
        // raised for asyncio to report.
        let mut first_failure = None;
        for done in batch {
            let (ok, value) = match (done.result)(py) {
                Ok(value) => (true, value),
                Err(err) => (false, err.into_value(py).into_any()),
            };
            if let Err(failure) = deliver.call1((done.future, ok, value)) {
                first_failure.get_or_insert(failure);
            }
        }
        first_failure.map_or(Ok(()), Err)
    }
}

/// The handle an `AsyncClient` keeps to abort the Rust side when its awaitable is cancelled.
#[pyclass(frozen, module = "cashi._cashi")]
struct Pending {
    handle: tokio::task::AbortHandle,
}

#[pymethods]
impl Pending {
    /// Abandons the call (its asyncio future was cancelled).
    fn cancel(&self) {
        self.handle.abort();
    }
}

/// Runs `future` on the runtime; its answer goes to `inbox` for `asyncio_future`, converted
/// by `convert` on the loop's thread.
fn spawn_async<T, F, C>(
    future: F,
    convert: C,
    inbox: &LoopInbox,
    asyncio_future: Py<PyAny>,
) -> Pending
where
    F: Future<Output = cashi::Result<T>> + Send + 'static,
    T: Send + 'static,
    C: FnOnce(Python<'_>, T) -> PyResult<Py<PyAny>> + Send + 'static,
{
    let inbox = Arc::clone(&inbox.inbox);
    let task = cashi::runtime::get().spawn(async move {
        let result = future.await;
        inbox.push(Completed {
            future: asyncio_future,
            result: Box::new(move |py| {
                result
                    .map_err(|e| py_err(py, &e))
                    .and_then(|v| convert(py, v))
            }),
        });
    });
    Pending {
        handle: task.abort_handle(),
    }
}

// ---------------------------------------------------------------------------------------
// The client

/// The native client: one core `cashi::Client`, shared by threads and event loops.
#[pyclass(frozen, module = "cashi._cashi", name = "Client")]
struct NativeClient {
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
    #[new]
    #[pyo3(signature = (api_key, base_url, timeout, connect_timeout, max_retries, ca_bundle=None))]
    fn new(
        py: Python<'_>,
        api_key: Option<String>,
        base_url: Option<String>,
        timeout: f64,
        connect_timeout: f64,
        max_retries: u32,
        ca_bundle: Option<std::path::PathBuf>,
    ) -> PyResult<Self> {
        let build = || -> cashi::Result<cashi::Client> {
            let mut builder = cashi::Client::builder()
                .binding("cashi-python", VERSION)
                .timeout(cashi::validate::seconds("timeout", timeout)?)
                .connect_timeout(cashi::validate::seconds(
                    "connect_timeout",
                    connect_timeout,
                )?)
                .max_retries(max_retries);
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

    /// Creates an order (blocking, GIL released); returns its fields as a tuple (`order_to_py`).
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

    /// Reads an order's status (blocking, GIL released); returns its fields as a tuple
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
        timeout: f64,
    ) -> PyResult<Py<PyAny>> {
        let limit = cashi::validate::seconds("timeout", timeout).map_err(|e| py_err(py, &e))?;
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
        timeout: f64,
        inbox: PyRef<'_, LoopInbox>,
        future: Py<PyAny>,
    ) -> PyResult<Pending> {
        let limit = cashi::validate::seconds("timeout", timeout).map_err(|e| py_err(py, &e))?;
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
}

/// The event a `WebhookEvent` was made from (its body was verified when it was made, so it
/// is read again, not verified again) and the amount `confirm` expects.
fn event_and_amount(
    verified_body: &[u8],
    expected_amount: &Bound<'_, PyAny>,
) -> Result<(cashi::WebhookEvent, i64), Error> {
    let expected = amount_arg("expected_amount", expected_amount)?;
    Ok((cashi::WebhookEvent::parse(verified_body)?, expected))
}

// ---------------------------------------------------------------------------------------
// Webhooks

/// The native webhook verifier over one or more secrets (bytes).
#[pyclass(frozen, module = "cashi._cashi", name = "Webhook")]
struct NativeWebhook {
    inner: cashi::Webhook,
}

#[pymethods]
impl NativeWebhook {
    #[new]
    fn new(py: Python<'_>, secrets: Vec<Bound<'_, PyBytes>>) -> PyResult<Self> {
        cashi::Webhook::with_secrets(secrets.iter().map(|s| s.as_bytes()))
            .map(|inner| NativeWebhook { inner })
            .map_err(|e| py_err(py, &e))
    }

    fn __repr__(&self) -> String {
        format!("{:?}", self.inner)
    }

    /// Checks the signature on the raw body, then reads the event: its fields as a tuple
    /// (`event_to_py`).
    fn verify(&self, py: Python<'_>, raw_body: &[u8], signature: String) -> PyResult<Py<PyAny>> {
        match self.inner.verify(raw_body, &signature) {
            Ok(event) => event_to_py(py, event),
            Err(e) => Err(py_err(py, &e)),
        }
    }

    /// Like `verify`, taking the signature from (name, value) header pairs.
    fn verify_headers(
        &self,
        py: Python<'_>,
        raw_body: &[u8],
        headers: Vec<(String, String)>,
    ) -> PyResult<Py<PyAny>> {
        match self.inner.verify_headers(raw_body, headers) {
            Ok(event) => event_to_py(py, event),
            Err(e) => Err(py_err(py, &e)),
        }
    }
}

/// The signature Cashi would send for `body` under `secret`.
#[pyfunction]
fn sign(secret: &[u8], body: &[u8]) -> String {
    cashi::testing::sign(secret, body)
}

/// A compact webhook body as Cashi sends it.
#[pyfunction]
fn webhook_body(py: Python<'_>, order_id: String, amount: &Bound<'_, PyAny>) -> PyResult<String> {
    let amount = amount_arg("amount", amount).map_err(|e| py_err(py, &e))?;
    Ok(cashi::testing::webhook_body(&order_id, amount))
}

/// The PNG bytes of a `data:image/png;base64,...` URI.
#[pyfunction]
fn decode_png<'py>(py: Python<'py>, uri: String) -> PyResult<Bound<'py, PyBytes>> {
    cashi::data_uri::decode_png(&uri)
        .map(|png| PyBytes::new(py, &png))
        .map_err(|e| py_err(py, &e))
}

/// The stable error codes, in the core's order.
#[pyfunction]
fn error_codes(py: Python<'_>) -> PyResult<Bound<'_, PyTuple>> {
    PyTuple::new(py, ErrorKind::ALL.iter().map(|k| k.code()))
}

#[pymodule]
fn _cashi(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", VERSION)?;
    m.add("CORE_VERSION", cashi::VERSION)?;
    m.add("DEFAULT_BASE_URL", cashi::DEFAULT_BASE_URL)?;
    m.add("SIGNATURE_HEADER", cashi::webhook::SIGNATURE_HEADER)?;
    m.add_class::<NativeClient>()?;
    m.add_class::<NativeWebhook>()?;
    m.add_class::<Pending>()?;
    m.add_class::<LoopInbox>()?;
    m.add_class::<RawJson>()?;
    m.add_function(wrap_pyfunction!(sign, m)?)?;
    m.add_function(wrap_pyfunction!(webhook_body, m)?)?;
    m.add_function(wrap_pyfunction!(decode_png, m)?)?;
    m.add_function(wrap_pyfunction!(error_codes, m)?)?;
    Ok(())
}
