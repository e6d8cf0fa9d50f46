//! Runtime glue: sync calls block on the core's runtime with the GIL released; async calls
//! are spawned on it and their answers wait in the event loop's inbox.

use std::future::Future;
use std::io::{Read, Write};
use std::os::fd::AsRawFd;
use std::os::unix::net::UnixStream;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use pyo3::prelude::*;

use crate::error::py_err;
use crate::events::{self, Record};

/// How often a blocked sync call looks up from the network to check for Ctrl-C.
pub(crate) const SIGNAL_CHECK: Duration = Duration::from_millis(200);

/// Runs a core future on the calling thread's own runtime (`block_on_local`: the I/O runs
/// here, no hand-off to a worker thread) with the GIL released. Every [`SIGNAL_CHECK`] the
/// thread re-attaches to run Python's signal handlers, so Ctrl-C interrupts a long
/// `wait_for_payment` (the request is then dropped, which cancels it).
pub(crate) fn run_blocking<T, F>(py: Python<'_>, future: F) -> PyResult<T>
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
    /// Events of the loop's calls for the `cashi` logger (see `events`), logged by `drain`
    /// before the answers.
    logs: Mutex<Vec<Record>>,
    wake: UnixStream,
}

impl Inbox {
    fn push(&self, done: Completed) {
        self.wake_if_first(&self.queue, done);
    }

    fn wake_if_first<T>(&self, queue: &Mutex<Vec<T>>, item: T) {
        let first = {
            let mut queue = queue.lock().unwrap_or_else(|p| p.into_inner());
            queue.push(item);
            queue.len() == 1
        };
        if first {
            // Non-blocking: a full socket already holds a wake-up the loop has not read.
            let _ = (&self.wake).write(&[1]);
        }
    }
}

tokio::task_local! {
    /// The inbox of the event loop an asyncio call (a task of [`spawn_async`]) answers to.
    static LOOP: Arc<Inbox>;
}

/// Leaves `record` in the inbox of the event loop whose call is running, for the loop to
/// log; gives it back outside such a call.
pub(crate) fn to_loop(record: Record) -> Result<(), Record> {
    let mut record = Some(record);
    let _ = LOOP.try_with(|inbox| {
        if let Some(record) = record.take() {
            inbox.wake_if_first(&inbox.logs, record);
        }
    });
    record.map_or(Ok(()), Err)
}

/// One event loop's inbox (made once per loop by `cashi._client`, which registers
/// `fileno()` with `loop.add_reader(fd, drain)`).
#[pyclass(frozen, module = "cashi._cashi")]
pub(crate) struct LoopInbox {
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
                logs: Mutex::new(Vec::new()),
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
        // Taken after the answers, so the events of every call answered in this batch (left
        // before its answer) are logged before the answer is delivered.
        let logs = std::mem::take(&mut *self.inbox.logs.lock().unwrap_or_else(|p| p.into_inner()));
        for record in logs {
            events::emit(py, record);
        }
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
pub(crate) struct Pending {
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
pub(crate) fn spawn_async<T, F, C>(
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
    let task = cashi::runtime::get().spawn(LOOP.scope(Arc::clone(&inbox), async move {
        let result = future.await;
        inbox.push(Completed {
            future: asyncio_future,
            result: Box::new(move |py| {
                result
                    .map_err(|e| py_err(py, &e))
                    .and_then(|v| convert(py, v))
            }),
        });
    }));
    Pending {
        handle: task.abort_handle(),
    }
}
