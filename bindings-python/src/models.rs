//! Results to Python, by name: every record the core hands over ([`Record::visit`]) becomes
//! an instance of the `cashi._models` class of its schema's name, its fields set under their
//! schema names (nested records recursively), with no positional coupling. `raw` is left
//! unconverted until read.
//!
//! The instances are built as unpickling builds them, without calling `__init__` (a frozen
//! dataclass's `__init__` sets each field through `object.__setattr__`): `object.__new__`,
//! then the fields straight into the instance's `__dict__`, under attribute names interned
//! once per process.

use cashi::model::{Field, Record, Schema, Value, SCHEMAS};
use cashi::{Error, ErrorKind};
use chrono::{Datelike, Timelike};
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyBytes, PyDict, PyFloat, PyList, PyString, PyTuple, PyType};
use serde_json::{Map, Value as Json};

use crate::error::py_err;

/// The Python class of one schema and its fields' attribute names, in the schema's order.
struct RecordClass {
    schema: &'static Schema,
    class: Py<PyType>,
    names: Vec<Py<PyString>>,
}

/// What building instances needs, looked up once per process: the class of every schema,
/// `object.__new__`, and `datetime` with the +07:00 zone the core's timestamps are at.
struct Classes {
    records: Vec<RecordClass>,
    new: Py<PyAny>,
    datetime: Py<PyAny>,
    timezone: Py<PyAny>,
    timedelta: Py<PyAny>,
    jakarta: (i32, Py<PyAny>),
}

static CLASSES: PyOnceLock<Classes> = PyOnceLock::new();

/// Jakarta's offset from UTC, the one the core gives every timestamp.
const JAKARTA_SECONDS: i32 = 7 * 3600;

fn classes(py: Python<'_>) -> PyResult<&Classes> {
    CLASSES.get_or_try_init(py, || {
        let models = py.import("cashi._models")?;
        let records = SCHEMAS
            .iter()
            .map(|schema| {
                Ok(RecordClass {
                    schema,
                    class: models.getattr(schema.name)?.cast_into::<PyType>()?.unbind(),
                    names: schema
                        .fields
                        .iter()
                        .map(|f| PyString::intern(py, f.name).unbind())
                        .collect(),
                })
            })
            .collect::<PyResult<Vec<_>>>()?;
        let datetime = py.import("datetime")?;
        let timedelta = datetime.getattr("timedelta")?;
        let timezone = datetime.getattr("timezone")?;
        let jakarta = timezone.call1((timedelta.call1((0, JAKARTA_SECONDS))?,))?;
        Ok(Classes {
            records,
            new: py
                .import("builtins")?
                .getattr("object")?
                .getattr("__new__")?
                .unbind(),
            datetime: datetime.getattr("datetime")?.unbind(),
            timezone: timezone.unbind(),
            timedelta: timedelta.unbind(),
            jakarta: (JAKARTA_SECONDS, jakarta.unbind()),
        })
    })
}

impl Classes {
    fn record(&self, schema: &Schema) -> &RecordClass {
        self.records
            .iter()
            .find(|r| std::ptr::eq(r.schema, schema))
            .expect("every record's schema is in SCHEMAS")
    }

    fn datetime<'py>(
        &self,
        py: Python<'py>,
        t: chrono::DateTime<chrono::FixedOffset>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let offset = t.offset().local_minus_utc();
        let zone = if offset == self.jakarta.0 {
            self.jakarta.1.bind(py).clone()
        } else {
            let delta = self.timedelta.bind(py).call1((0, offset))?;
            self.timezone.bind(py).call1((delta,))?
        };
        // A leap second (nanoseconds past 10^9) is the last microsecond of its second.
        let micros = (t.nanosecond() / 1000).min(999_999);
        let args = (
            t.year(),
            t.month(),
            t.day(),
            t.hour(),
            t.minute(),
            t.second(),
            micros,
            zone,
        );
        self.datetime.bind(py).call1(args)
    }
}

/// The record as an instance of its class, every field set by name; the instance's
/// `__dict__` is returned too, for the caller's own attributes (`_raw`, ...).
pub(crate) fn record_to_py<'py>(
    py: Python<'py>,
    record: &dyn Record,
) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyDict>)> {
    let classes = classes(py)?;
    let class = classes.record(record.schema());
    let instance = classes.new.bind(py).call1((class.class.bind(py),))?;
    let dict = instance
        .getattr(intern!(py, "__dict__"))?
        .cast_into::<PyDict>()?;
    let mut next = 0;
    let mut failed = None;
    record.visit(&mut |field, value| {
        if failed.is_some() {
            return;
        }
        let name = name_of(class, field, &mut next);
        if let Err(e) = value_to_py(py, classes, value).and_then(|v| dict.set_item(name, v)) {
            failed = Some(e);
        }
    });
    match failed {
        Some(e) => Err(e),
        None => Ok((instance, dict)),
    }
}

/// The interned name of `field`: the next one in the schema's order, as `visit` goes, or
/// found by the field's identity should it ever go otherwise.
fn name_of<'c>(
    class: &'c RecordClass,
    field: &'static Field,
    next: &mut usize,
) -> &'c Py<PyString> {
    let fields = class.schema.fields;
    let index = match fields.get(*next) {
        Some(expected) if std::ptr::eq(expected, field) => *next,
        _ => fields
            .iter()
            .position(|f| std::ptr::eq(f, field))
            .expect("visit hands over the schema's own fields"),
    };
    *next = index + 1;
    &class.names[index]
}

fn value_to_py<'py>(
    py: Python<'py>,
    classes: &Classes,
    value: Value<'_>,
) -> PyResult<Bound<'py, PyAny>> {
    Ok(match value {
        Value::Text(Some(s)) => PyString::new(py, s).into_any(),
        Value::Integer(Some(i)) => i.into_pyobject(py)?.into_any(),
        Value::Decimal(Some(f)) => PyFloat::new(py, f).into_any(),
        Value::Boolean(Some(b)) => PyBool::new(py, b).to_owned().into_any(),
        Value::Timestamp(Some(t)) => classes.datetime(py, t)?,
        Value::Record(Some(nested)) => record_to_py(py, nested)?.0,
        Value::Text(None)
        | Value::Integer(None)
        | Value::Decimal(None)
        | Value::Boolean(None)
        | Value::Timestamp(None)
        | Value::Record(None) => py.None().into_bound(py),
    })
}

/// An order: its fields, and `_core`, the core's order (`qr_png`, `raw`).
pub(crate) fn order_to_py(py: Python<'_>, order: cashi::Order) -> PyResult<Py<PyAny>> {
    let (instance, dict) = record_to_py(py, &order)?;
    dict.set_item(
        intern!(py, "_core"),
        OrderCore {
            order,
            raw: PyOnceLock::new(),
        },
    )?;
    Ok(instance.unbind())
}

/// A payment status: its fields, and `_raw`, the answer as received.
pub(crate) fn status_to_py(py: Python<'_>, status: cashi::PaymentStatus) -> PyResult<Py<PyAny>> {
    let (instance, dict) = record_to_py(py, &status)?;
    let raw = RawJson {
        text: status.body().into(),
    };
    dict.set_item(intern!(py, "_raw"), raw)?;
    Ok(instance.unbind())
}

/// A webhook event: its fields, and the verified body it was read from, as `_raw` (parsed
/// on first read) and `_body` (what `confirm` reads the event from again).
pub(crate) fn event_to_py(
    py: Python<'_>,
    event: cashi::WebhookEvent,
    body: &Bound<'_, PyBytes>,
) -> PyResult<Py<PyAny>> {
    let (instance, dict) = record_to_py(py, &event)?;
    dict.set_item(intern!(py, "_raw"), body)?;
    dict.set_item(intern!(py, "_body"), body)?;
    Ok(instance.unbind())
}

fn json_to_py<'py>(py: Python<'py>, value: &Json) -> PyResult<Bound<'py, PyAny>> {
    Ok(match value {
        Json::Null => py.None().into_bound(py),
        Json::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Json::Number(n) => {
            if let Some(i) = n.as_i64() {
                i.into_pyobject(py)?.into_any()
            } else if let Some(u) = n.as_u64() {
                u.into_pyobject(py)?.into_any()
            } else {
                n.as_f64().unwrap_or(f64::NAN).into_pyobject(py)?.into_any()
            }
        }
        Json::String(s) => PyString::new(py, s).into_any(),
        Json::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(json_to_py(py, item)?)?;
            }
            list.into_any()
        }
        Json::Object(map) => map_to_py(py, map)?.into_any(),
    })
}

fn map_to_py<'py>(py: Python<'py>, map: &Map<String, Json>) -> PyResult<Bound<'py, PyDict>> {
    let dict = PyDict::new(py);
    for (key, value) in map {
        dict.set_item(key, json_to_py(py, value)?)?;
    }
    Ok(dict)
}

/// JSON text of an object the core already read as one, as a dict.
fn text_to_dict<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyDict>> {
    let map: Map<String, Json> = serde_json::from_str(text)
        .map_err(|e| py_err(py, &Error::new(ErrorKind::Decode, format!("raw: {e}"))))?;
    map_to_py(py, &map)
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
        text_to_dict(py, &self.text)
    }

    /// Pickled (and deep-copied) as the dict it stands for.
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<(Bound<'py, PyAny>, (&str,))> {
        let loads = py.import("json")?.getattr("loads")?;
        Ok((loads, (&self.text,)))
    }
}

/// The core's order behind a Python `Order`: its QR code is the core's to decode (and to
/// refuse, for an order without one), and its answer the core's to hand out as `raw`, a
/// dict made on first read and kept.
#[pyclass(frozen, module = "cashi._cashi")]
pub(crate) struct OrderCore {
    order: cashi::Order,
    raw: PyOnceLock<Py<PyDict>>,
}

#[pymethods]
impl OrderCore {
    /// Reads the order again from Cashi's answer (`body`) to the request it was made for:
    /// how an unpickled `Order` gets its core back.
    #[new]
    fn new(py: Python<'_>, body: &str, requested_amount: i64, order_id: String) -> PyResult<Self> {
        let request = cashi::CreateOrder::new(requested_amount).order_id(order_id);
        cashi::Order::from_http(200, body.as_bytes(), &request)
            .map(|order| OrderCore {
                order,
                raw: PyOnceLock::new(),
            })
            .map_err(|e| py_err(py, &e))
    }

    /// Cashi's whole answer as a dict, the same one on every call.
    fn raw<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        self.raw
            .get_or_try_init(py, || {
                text_to_dict(py, self.order.body()).map(Bound::unbind)
            })
            .map(|d| d.bind(py).clone())
    }

    /// The QR code as PNG bytes (`Order::qr_png`: a `decode` error when there is none).
    fn qr_png<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        self.order
            .qr_png()
            .map(|png| PyBytes::new(py, &png))
            .map_err(|e| py_err(py, &e))
    }

    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
    ) -> PyResult<(Bound<'py, PyType>, Bound<'py, PyTuple>)> {
        let py = slf.py();
        let order = &slf.get().order;
        let args = (
            order.body(),
            order.requested_amount,
            order.order_id.as_str(),
        )
            .into_pyobject(py)?;
        Ok((slf.get_type(), args))
    }
}
