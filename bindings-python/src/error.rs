//! Core errors as Python exceptions, and the error codes.

use cashi::{Error, ErrorKind};
use pyo3::prelude::*;
use pyo3::types::PyTuple;

/// The Python exception for a core error, built by `cashi._errors._from_native` so the
/// code → class table lives in one place.
pub(crate) fn py_err(py: Python<'_>, e: &Error) -> PyErr {
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

pub(crate) fn invalid(message: String) -> Error {
    Error::new(ErrorKind::InvalidArgument, message)
}

/// The stable error codes, in the core's order.
#[pyfunction]
pub(crate) fn error_codes(py: Python<'_>) -> PyResult<Bound<'_, PyTuple>> {
    PyTuple::new(py, ErrorKind::ALL.iter().map(|k| k.code()))
}
