//! The tokio runtime the module's calls run on: napi's, given one worker thread instead of
//! one per CPU. A call's task and hyper's connection task then share that thread, and the
//! JavaScript thread's hand-off wakes one thread, not two: one call at a time, check-status
//! went from 0.88–1.24× to 1.16–1.29× of `undici.request` in six alternated runs (create-order
//! 1.10–1.32× to 1.23–1.43×), while 64 calls in flight stayed 1.5–2.9× of it either way
//! (bench/FINDINGS.md §11). The JavaScript thread, not this one, is what a Node process runs
//! out of first.

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
