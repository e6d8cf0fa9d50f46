//! Results to Python: tuples of the typed fields, in the order of the Python model's fields
//! (the Python layer builds its dataclasses from them), and `raw` left unconverted until read.

use cashi::{Error, ErrorKind};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyDict, PyList, PyString, PyTuple};
use pyo3::IntoPyObjectExt;
use serde_json::{Map, Value};

use crate::error::py_err;

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
pub(crate) struct RawJson {
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

pub(crate) fn order_to_py(py: Python<'_>, order: cashi::Order) -> PyResult<Py<PyAny>> {
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

pub(crate) fn status_to_py(py: Python<'_>, status: cashi::PaymentStatus) -> PyResult<Py<PyAny>> {
    let (is_settled, is_final) = (status.is_settled(), status.state.is_final());
    let raw = status.body().into();
    py_tuple!(py;
        status.order_id, status.state.as_str(), status.amount, status.provider_tx_id,
        is_settled, is_final, status.amount_from_webhook, RawJson { text: raw },
    )
}

/// The event's fields; the Python layer adds `raw` from the body it already holds.
pub(crate) fn event_to_py(py: Python<'_>, event: cashi::WebhookEvent) -> PyResult<Py<PyAny>> {
    let paid_at_time = event.paid_at_time().as_ref().map(cashi::timestamp::format);
    let (is_test, is_settled, is_verified) =
        (event.is_test(), event.is_settled(), event.is_verified());
    py_tuple!(py;
        event.event.as_str(), event.order_id, event.status.as_str(), event.amount,
        event.payment_method, event.paid_at, paid_at_time, event.transaction_id, is_test,
        is_settled, is_verified,
    )
}

/// The PNG bytes of a `data:image/png;base64,...` URI.
#[pyfunction]
pub(crate) fn decode_png<'py>(py: Python<'py>, uri: String) -> PyResult<Bound<'py, PyBytes>> {
    cashi::data_uri::decode_png(&uri)
        .map(|png| PyBytes::new(py, &png))
        .map_err(|e| py_err(py, &e))
}
