//! The tokio runtime the module's calls run on: napi's, given one worker thread instead of
//! one per CPU. A call's task and hyper's connection task then share that thread, and the
//! JavaScript thread's hand-off wakes one thread, not two: calls made one at a time are
//! faster, and 64 in flight are not slower (bench/FINDINGS.md §3). The JavaScript thread,
//! not this one, is what a Node process runs out of first.
//!
//! Also here: [`NativeCancel`], which stops a call running on that runtime.

/// Runs once per process, when the library is loaded (before any call). A panic here would
/// abort `require('cashi')` itself, webhook-only users included; if the thread cannot be
/// made now, napi builds its default runtime on the first call instead, which is only slower.
#[napi_derive::module_init]
fn one_worker_runtime() {
    if let Ok(runtime) = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
    {
        napi::bindgen_prelude::create_custom_tokio_runtime(runtime);
    }
}

use napi_derive::napi;

/// Stops a `waitForPayment` in flight (the native side of an AbortSignal).
#[napi]
pub struct NativeCancel {
    pub(crate) sender: tokio::sync::watch::Sender<bool>,
}

#[napi]
impl NativeCancel {
    #[napi(constructor)]
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        NativeCancel {
            sender: tokio::sync::watch::Sender::new(false),
        }
    }

    #[napi]
    pub fn cancel(&self) {
        self.sender.send_replace(true);
    }
}
