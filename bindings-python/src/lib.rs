//! `cashi._cashi`: the native half of the Python SDK.
//!
//! Deliberately thin: argument conversion, error mapping and runtime glue over the `cashi`
//! core. The public API (`cashi.Client`, `cashi.AsyncClient`, the models and exception
//! classes) is the pure-Python package in `python/cashi/`, which calls into this module.
//!
//! * Sync calls run on the core's lazily built, fork-safe runtime with the GIL released,
//!   waking every [`SIGNAL_CHECK`] to let Ctrl-C interrupt a long wait.
//! * Async calls are spawned on the same runtime; the result travels back to the caller's
//!   asyncio loop through `loop.call_soon_threadsafe(deliver, future, ok, value)`, where
//!   `deliver` (Python) sets it unless the future was cancelled meanwhile.
//! * Errors become instances of the Python exception classes through
//!   `cashi._errors._from_native`, the one place that maps codes to classes.

use std::future::Future;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use cashi::{CreateOrder, Error, ErrorKind};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
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
// Results to Python: plain dicts; the Python layer turns them into its model classes.

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

/// The core's JSON view of each result (`to_json`), as a dict for the Python layer's models.
fn order_to_py(py: Python<'_>, order: cashi::Order) -> PyResult<Py<PyAny>> {
    Ok(json_to_py(py, &order.to_json())?.unbind())
}

fn status_to_py(py: Python<'_>, status: cashi::PaymentStatus) -> PyResult<Py<PyAny>> {
    Ok(json_to_py(py, &status.to_json())?.unbind())
}

fn event_to_py(py: Python<'_>, event: cashi::WebhookEvent) -> PyResult<Py<PyAny>> {
    Ok(json_to_py(py, &event.to_json())?.unbind())
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

/// Where an async call's result goes: `loop.call_soon_threadsafe(deliver, future, ok, value)`.
struct Delivery {
    event_loop: Py<PyAny>,
    future: Py<PyAny>,
    deliver: Py<PyAny>,
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

/// Set at interpreter exit (see [`shutdown`]): no runtime thread may enter Python after it.
static EXITING: AtomicBool = AtomicBool::new(false);
/// Runtime threads inside Python right now, delivering an async result.
static DELIVERING: AtomicUsize = AtomicUsize::new(0);

/// A runtime thread's permission to enter Python to deliver one result; `None` once the
/// interpreter is exiting. Held until the thread is out of Python again.
struct Delivering;

impl Delivering {
    fn start() -> Option<Delivering> {
        DELIVERING.fetch_add(1, Ordering::SeqCst);
        if EXITING.load(Ordering::SeqCst) {
            DELIVERING.fetch_sub(1, Ordering::SeqCst);
            return None;
        }
        Some(Delivering)
    }
}

impl Drop for Delivering {
    fn drop(&mut self) {
        DELIVERING.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Called by `atexit`: waits (GIL released) until no runtime thread is inside Python and
/// lets none enter again. Without it, a thread delivering a result while the interpreter
/// finalizes (its `call_soon_threadsafe` releases the GIL to write the loop's self-pipe) is
/// killed by Python when it takes the GIL back, which aborts the process at exit.
#[pyfunction]
fn shutdown(py: Python<'_>) {
    EXITING.store(true, Ordering::SeqCst);
    py.detach(|| {
        while DELIVERING.load(Ordering::SeqCst) > 0 {
            std::thread::sleep(Duration::from_millis(1));
        }
    });
}

fn spawn_async<T, F, C>(future: F, convert: C, to: Delivery) -> Pending
where
    F: Future<Output = cashi::Result<T>> + Send + 'static,
    T: Send + 'static,
    C: FnOnce(Python<'_>, T) -> PyResult<Py<PyAny>> + Send + 'static,
{
    let task = cashi::runtime::get().spawn(async move {
        let result = future.await;
        let Some(_delivering) = Delivering::start() else {
            return; // the interpreter is exiting: nobody awaits this any more
        };
        // `try_attach`: an interpreter that is shutting down gets no answer, and no panic.
        Python::try_attach(move |py| {
            let (ok, value) = match result
                .map_err(|e| py_err(py, &e))
                .and_then(|v| convert(py, v))
            {
                Ok(value) => (true, value),
                Err(err) => (false, err.into_value(py).into_any()),
            };
            // A closed loop raises here: nobody is waiting any more, so it is dropped.
            let _ = to.event_loop.call_method1(
                py,
                "call_soon_threadsafe",
                (to.deliver.clone_ref(py), to.future.clone_ref(py), ok, value),
            );
            drop(to);
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
) -> Result<CreateOrder, Error> {
    let mut request = CreateOrder::new(amount_arg("amount", amount)?);
    if let Some(id) = order_id {
        request = request.order_id(id);
    }
    if let Some(channel) = channel {
        request = request.channel(channel.as_str());
    }
    request.validate()?;
    Ok(request)
}

#[pymethods]
impl NativeClient {
    #[new]
    #[pyo3(signature = (api_key, base_url, timeout, connect_timeout, max_retries))]
    fn new(
        py: Python<'_>,
        api_key: Option<String>,
        base_url: Option<String>,
        timeout: f64,
        connect_timeout: f64,
        max_retries: u32,
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

    /// Creates an order (blocking, GIL released); returns its fields as a dict.
    #[pyo3(signature = (amount, order_id, channel))]
    fn create_order(
        &self,
        py: Python<'_>,
        amount: &Bound<'_, PyAny>,
        order_id: Option<String>,
        channel: Option<String>,
    ) -> PyResult<Py<PyAny>> {
        let request = create_request(amount, order_id, channel).map_err(|e| py_err(py, &e))?;
        let client = self.inner.clone();
        let order = run_blocking(py, async move { client.create_order(&request).await })?;
        order_to_py(py, order)
    }

    /// Reads an order's status (blocking, GIL released); returns its fields as a dict.
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

    // The awaitable forms: validate now (raising in the caller), run on the runtime, and
    // hand the result to `deliver` on the caller's loop.

    /// `create_order` for asyncio: the result goes to `deliver(future, ok, value)` on `event_loop`.
    #[allow(clippy::too_many_arguments)]
    #[pyo3(signature = (amount, order_id, channel, event_loop, future, deliver))]
    fn create_order_async(
        &self,
        py: Python<'_>,
        amount: &Bound<'_, PyAny>,
        order_id: Option<String>,
        channel: Option<String>,
        event_loop: Py<PyAny>,
        future: Py<PyAny>,
        deliver: Py<PyAny>,
    ) -> PyResult<Pending> {
        let request = create_request(amount, order_id, channel).map_err(|e| py_err(py, &e))?;
        let client = self.inner.clone();
        Ok(spawn_async(
            async move { client.create_order(&request).await },
            order_to_py,
            Delivery {
                event_loop,
                future,
                deliver,
            },
        ))
    }

    /// `check_status` for asyncio.
    fn check_status_async(
        &self,
        order_id: String,
        event_loop: Py<PyAny>,
        future: Py<PyAny>,
        deliver: Py<PyAny>,
    ) -> Pending {
        let client = self.inner.clone();
        spawn_async(
            async move { client.check_status(&order_id).await },
            status_to_py,
            Delivery {
                event_loop,
                future,
                deliver,
            },
        )
    }

    /// `wait_for_payment` for asyncio.
    fn wait_for_payment_async(
        &self,
        py: Python<'_>,
        order_id: String,
        timeout: f64,
        event_loop: Py<PyAny>,
        future: Py<PyAny>,
        deliver: Py<PyAny>,
    ) -> PyResult<Pending> {
        let limit = cashi::validate::seconds("timeout", timeout).map_err(|e| py_err(py, &e))?;
        let client = self.inner.clone();
        Ok(spawn_async(
            async move { client.wait_for_payment(&order_id, limit).await },
            status_to_py,
            Delivery {
                event_loop,
                future,
                deliver,
            },
        ))
    }

    /// `confirm` for asyncio.
    fn confirm_async(
        &self,
        py: Python<'_>,
        order_id: String,
        expected_amount: &Bound<'_, PyAny>,
        event_loop: Py<PyAny>,
        future: Py<PyAny>,
        deliver: Py<PyAny>,
    ) -> PyResult<Pending> {
        let expected =
            amount_arg("expected_amount", expected_amount).map_err(|e| py_err(py, &e))?;
        let client = self.inner.clone();
        Ok(spawn_async(
            async move { client.confirm(order_id.as_str(), expected).await },
            status_to_py,
            Delivery {
                event_loop,
                future,
                deliver,
            },
        ))
    }
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

    /// Checks the signature on the raw body, then reads the event (a dict).
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
    m.add_function(wrap_pyfunction!(sign, m)?)?;
    m.add_function(wrap_pyfunction!(shutdown, m)?)?;
    m.add_function(wrap_pyfunction!(webhook_body, m)?)?;
    m.add_function(wrap_pyfunction!(decode_png, m)?)?;
    m.add_function(wrap_pyfunction!(error_codes, m)?)?;
    Ok(())
}
