//! The native webhook verifier (`cashi._cashi.Webhook`).

use pyo3::prelude::*;
use pyo3::types::PyBytes;

use crate::error::py_err;
use crate::models::event_to_py;

/// The native webhook verifier over one or more secrets (bytes).
#[pyclass(frozen, module = "cashi._cashi", name = "Webhook")]
pub(crate) struct NativeWebhook {
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

    /// Reads a body that came with no signature: the event's fields, `is_verified` false.
    #[staticmethod]
    fn parse_unverified(py: Python<'_>, raw_body: &[u8]) -> PyResult<Py<PyAny>> {
        match cashi::Webhook::parse_unverified(raw_body) {
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
