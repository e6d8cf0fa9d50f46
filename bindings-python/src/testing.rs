//! The helpers of `cashi.testing`: sign webhook bodies as Cashi does.

use pyo3::prelude::*;

use crate::args::amount_arg;
use crate::error::py_err;

/// The signature Cashi would send for `body` under `secret`.
#[pyfunction]
pub(crate) fn sign(secret: &[u8], body: &[u8]) -> String {
    cashi::testing::sign(secret, body)
}

/// A compact webhook body as Cashi sends it.
#[pyfunction]
pub(crate) fn webhook_body(
    py: Python<'_>,
    order_id: String,
    amount: &Bound<'_, PyAny>,
) -> PyResult<String> {
    let amount = amount_arg("amount", amount).map_err(|e| py_err(py, &e))?;
    Ok(cashi::testing::webhook_body(&order_id, amount))
}
