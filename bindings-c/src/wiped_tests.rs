//! No memory libcashi frees still holds the API key or a webhook secret: the copies it
//! makes (client options, the client's key, a verifier's secrets) are wiped first, or not
//! made at all. A global allocator of the unit-test binary looks into every block as it
//! is freed while the one test here watches (no other test uses these secrets).

use std::alloc::{GlobalAlloc, Layout, System};
use std::ffi::{c_char, CStr};
use std::ptr;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use crate::*;

const KEY: &CStr = c"CASHI-SECRETKEY99";
const SECRET: &CStr = c"sk_0123456789abcdef0123456789abcdef";
const OLD_SECRET: &CStr = c"sk_fedcba9876543210fedcba9876543210";

static WATCHING: AtomicBool = AtomicBool::new(false);
static FREED_WITH_A_SECRET: AtomicUsize = AtomicUsize::new(0);

struct Watch;

fn holds(block: &[u8], needle: &[u8]) -> bool {
    block.windows(needle.len()).any(|w| w == needle)
}

unsafe impl GlobalAlloc for Watch {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        System.alloc(layout)
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        System.alloc_zeroed(layout)
    }

    unsafe fn dealloc(&self, p: *mut u8, layout: Layout) {
        if WATCHING.load(Ordering::SeqCst) {
            // SAFETY: the block is still allocated, `layout.size()` bytes long.
            let block = std::slice::from_raw_parts(p, layout.size());
            if [KEY, SECRET, OLD_SECRET]
                .iter()
                .any(|s| holds(block, s.to_bytes()))
            {
                FREED_WITH_A_SECRET.fetch_add(1, Ordering::SeqCst);
            }
        }
        System.dealloc(p, layout)
    }
}

#[global_allocator]
static ALLOCATOR: Watch = Watch;

fn ok(result: cashi_result, err: *mut cashi_error, what: &str) {
    if result != cashi_result::Ok {
        let message = unsafe { CStr::from_ptr(cashi_error_message(err)) };
        panic!("{what}: {result:?} {message:?}");
    }
}

/// Runs `f` with the watch on; the count of freed blocks that held a secret.
fn watched(f: impl FnOnce()) -> usize {
    FREED_WITH_A_SECRET.store(0, Ordering::SeqCst);
    WATCHING.store(true, Ordering::SeqCst);
    f();
    WATCHING.store(false, Ordering::SeqCst);
    FREED_WITH_A_SECRET.load(Ordering::SeqCst)
}

fn client_from_options(key: Option<&CStr>, base_url: &CStr) -> cashi_result {
    let mut err = ptr::null_mut();
    let options = cashi_client_options_new();
    if let Some(key) = key {
        // Set twice: the first copy is replaced.
        for _ in 0..2 {
            let result = cashi_client_options_set_api_key(options, key.as_ptr(), &mut err);
            ok(result, err, "set_api_key");
        }
    }
    let result = cashi_client_options_set_base_url(options, base_url.as_ptr(), &mut err);
    ok(result, err, "set_base_url");
    let mut client = ptr::null_mut();
    let result = cashi_client_new(options, &mut client, &mut err);
    cashi_client_options_free(options);
    cashi_client_free(client);
    cashi_error_free(err);
    result
}

#[test]
fn freed_memory_never_holds_the_key_or_a_secret() {
    // The key from the environment: set before the watch (setting it copies it).
    std::env::set_var("CASHI_API_KEY", KEY.to_str().unwrap());

    let found = watched(|| {
        let made = client_from_options(Some(KEY), c"http://127.0.0.1:9/api");
        assert_eq!(made, cashi_result::Ok);
        // Refused after the key was read: the builder's copy goes on the error path.
        let refused = client_from_options(Some(KEY), c"http://example.com/api");
        assert_eq!(refused, cashi_result::InvalidArgument);
        let from_env = client_from_options(None, c"http://127.0.0.1:9/api");
        assert_eq!(from_env, cashi_result::Ok);
    });
    assert_eq!(found, 0, "freed blocks still holding the API key");

    let found = watched(|| {
        let mut err = ptr::null_mut();
        let mut webhook = ptr::null_mut();
        ok(
            cashi_webhook_new(SECRET.as_ptr(), &mut webhook, &mut err),
            err,
            "webhook_new",
        );
        ok(
            cashi_webhook_add_secret(webhook, OLD_SECRET.as_ptr(), &mut err),
            err,
            "add_secret",
        );
        let empty = c"";
        assert_eq!(
            cashi_webhook_add_secret(webhook, empty.as_ptr(), &mut err),
            cashi_result::InvalidArgument
        );
        cashi_error_free(err);
        cashi_webhook_free(webhook);

        let both: [*const c_char; 2] = [SECRET.as_ptr(), OLD_SECRET.as_ptr()];
        let mut err = ptr::null_mut();
        let mut webhook = ptr::null_mut();
        ok(
            cashi_webhook_new_with_secrets(both.as_ptr(), 2, &mut webhook, &mut err),
            err,
            "new_with_secrets",
        );
        cashi_webhook_free(webhook);
    });
    assert_eq!(found, 0, "freed blocks still holding a webhook secret");
}
