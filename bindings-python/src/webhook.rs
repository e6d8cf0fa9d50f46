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
            .map(|mut inner| {
                inner.on_event(crate::events::listener());
                NativeWebhook { inner }
            })
            .map_err(|e| py_err(py, &e))
    }

    fn __repr__(&self) -> String {
        format!("{:?}", self.inner)
    }

    /// Checks the signature on the raw body, then reads the event: a `cashi.WebhookEvent`
    /// (`event_to_py`).
    fn verify(
        &self,
        py: Python<'_>,
        raw_body: &Bound<'_, PyBytes>,
        signature: String,
    ) -> PyResult<Py<PyAny>> {
        match self.inner.verify(raw_body.as_bytes(), &signature) {
            Ok(event) => event_to_py(py, event, raw_body),
            Err(e) => Err(py_err(py, &e)),
        }
    }

    /// Reads a body that came with no signature: a `cashi.WebhookEvent`, `is_verified` false.
    #[staticmethod]
    fn parse_unverified(py: Python<'_>, raw_body: &Bound<'_, PyBytes>) -> PyResult<Py<PyAny>> {
        match cashi::Webhook::parse_unverified(raw_body.as_bytes()) {
            Ok(event) => event_to_py(py, event, raw_body),
            Err(e) => Err(py_err(py, &e)),
        }
    }

    /// Whether (name, value) header pairs carry the signature header, by the core's rule.
    #[staticmethod]
    fn is_signed(headers: Vec<(String, String)>) -> bool {
        cashi::webhook::is_signed(headers)
    }

    /// Like `verify`, taking the signature from (name, value) header pairs.
    fn verify_headers(
        &self,
        py: Python<'_>,
        raw_body: &Bound<'_, PyBytes>,
        headers: Vec<(String, String)>,
    ) -> PyResult<Py<PyAny>> {
        match self.inner.verify_headers(raw_body.as_bytes(), headers) {
            Ok(event) => event_to_py(py, event, raw_body),
            Err(e) => Err(py_err(py, &e)),
        }
    }
}
