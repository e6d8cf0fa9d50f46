//! Batches: the core's `Client::check_statuses` and `Client::create_orders` (bounded
//! concurrency, its limits, a result or an error per item), run on the calling thread's
//! own runtime (`cashi::runtime::block_on_local`) for callers that have no threads or
//! event loop of their own (PHP).

use std::ffi::c_char;

use cashi::{CreateOrder, Error};

use crate::client::cashi_client;
use crate::error::{cashi_error, cashi_result, guard, invalid};
use crate::order::cashi_order;
use crate::status::cashi_status;
use crate::util::{handle, opt_text, text};

/// One order for `cashi_client_create_orders`: the arguments of `cashi_client_create_order`.
#[repr(C)]
pub struct cashi_order_request {
    /// Whole rupiah, before Cashi's unique code.
    pub amount: i64,
    /// The merchant's own unique order id (recommended), or NULL to let Cashi pick one.
    pub order_id: *const c_char,
    /// `BCA`, `ALFAMART`, `QRIS_CUSTOM`, ...; NULL = standard QRIS.
    pub channel: *const c_char,
}

/// A batch ready to run: the client, and the out-arrays for its results and errors.
type Prepared<'a, T> = (
    &'a cashi_client,
    &'a mut [*mut T],
    &'a mut [*mut cashi_error],
);

/// Checks a batch's arguments that are not its items, and clears both out-arrays (so they
/// hold only NULL whenever the call fails). Returns the client and the two out-arrays, or
/// `None` for an empty batch, which has nothing to do (its arrays may then be NULL, as
/// `malloc(0)` may return). Whether the batch is too big is the core's to say.
///
/// # Safety
/// `out_items` and `out_errors` are NULL or point at `count` writable slots each.
unsafe fn prepare<'a, T>(
    client: *const cashi_client,
    items: *const std::ffi::c_void,
    items_field: &str,
    count: usize,
    out_items: *mut *mut T,
    out_items_field: &str,
    out_errors: *mut *mut cashi_error,
) -> Result<Option<Prepared<'a, T>>, Error> {
    if count == 0 {
        handle(client, "client")?;
        return Ok(None);
    }
    if out_items.is_null() {
        return Err(invalid(format!(
            "{out_items_field}: is NULL; pass an array of count slots for the results"
        )));
    }
    if out_errors.is_null() {
        return Err(invalid(
            "out_errors: is NULL; pass an array of count slots for the errors",
        ));
    }
    let results = std::slice::from_raw_parts_mut(out_items, count);
    let errors = std::slice::from_raw_parts_mut(out_errors, count);
    results.fill(std::ptr::null_mut());
    errors.fill(std::ptr::null_mut());
    let client = handle(client, "client")?;
    if items.is_null() {
        return Err(invalid(format!(
            "{items_field}: is NULL; pass an array of count items"
        )));
    }
    Ok(Some((client, results, errors)))
}

/// The core's results for the items it was given, with each item that could not be read
/// from C (invalid UTF-8, ...) given its own error instead. Such an item went to the core
/// as a placeholder it refuses before sending anything (an empty order id, an amount of 0),
/// so the core saw the batch's true size, and its answer for it is dropped here.
fn merge<T>(
    results: Vec<Result<T, Error>>,
    items: Vec<Result<(), Error>>,
) -> Vec<Result<T, Error>> {
    results
        .into_iter()
        .zip(items)
        .map(|(result, item)| item.and(result))
        .collect()
}

/// Stores each item's handle or error in its slot. Everything is boxed first, so a panic
/// while converting leaks nothing and leaves the slots NULL.
fn deliver<R, T>(
    results: Vec<Result<R, Error>>,
    convert: impl Fn(R) -> Result<T, Error>,
    slots: &mut [*mut T],
    errors: &mut [*mut cashi_error],
) {
    let boxed: Vec<Result<Box<T>, Box<cashi_error>>> = results
        .into_iter()
        .map(|r| match r.and_then(&convert) {
            Ok(value) => Ok(Box::new(value)),
            Err(e) => Err(cashi_error::boxed(&e)),
        })
        .collect();
    for ((item, slot), error) in boxed.into_iter().zip(slots).zip(errors) {
        match item {
            Ok(value) => *slot = Box::into_raw(value),
            Err(e) => *error = Box::into_raw(e),
        }
    }
}

/// Creates `count` orders at once (blocking until all are done): the core's batch of
/// `cashi_client_create_order` for each of `requests[0..count]`, up to 64 requests in
/// flight at a time and each one retried as the single call is. For each `i`,
/// either `out_orders[i]` holds the order and `out_errors[i]` is NULL, or `out_orders[i]`
/// is NULL and `out_errors[i]` holds why that order failed (an invalid item, e.g. an amount
/// out of range or invalid UTF-8 in `requests[i].order_id`, is that item's
/// `invalid_argument`); one failed item does not stop the others.
///
/// Returns `CASHI_RESULT_OK` when the batch ran, whatever its items' outcomes. The call
/// itself fails with `invalid_argument` (`*err` names the argument, both out-arrays hold
/// only NULL) when `client`, `requests`, `out_orders` or `out_errors` is NULL, or `count`
/// is more than 10000. A `count` of 0 does nothing and succeeds (the arrays may be NULL).
///
/// Ownership: `requests` and the texts they point at stay the caller's (read during the
/// call only). `out_orders` and `out_errors` are the caller's arrays of `count` slots each;
/// every non-NULL order stored is the caller's, freed with `cashi_order_free`, and every
/// non-NULL error with `cashi_error_free`. Thread-safety: any number of threads may call
/// this on one client at once; the requests run on the calling thread.
#[no_mangle]
pub extern "C" fn cashi_client_create_orders(
    client: *const cashi_client,
    requests: *const cashi_order_request,
    count: usize,
    out_orders: *mut *mut cashi_order,
    out_errors: *mut *mut cashi_error,
    err: *mut *mut cashi_error,
) -> cashi_result {
    guard(err, || {
        let Some((client, orders, errors)) = (unsafe {
            prepare(
                client,
                requests.cast(),
                "requests",
                count,
                out_orders,
                "out_orders",
                out_errors,
            )
        })?
        else {
            return Ok(());
        };
        // SAFETY: `requests` is not NULL (checked) and points at `count` requests.
        let requests = unsafe { std::slice::from_raw_parts(requests, count) };
        let (for_core, items): (Vec<CreateOrder>, Vec<Result<(), Error>>) = requests
            .iter()
            .enumerate()
            .map(|(i, r)| match unsafe { order_request(r, i) } {
                Ok(request) => (request, Ok(())),
                Err(e) => (CreateOrder::new(0), Err(e)),
            })
            .unzip();
        let results = cashi::runtime::block_on_local(client.client().create_orders(&for_core))?;
        deliver(merge(results, items), cashi_order::new, orders, errors);
        Ok(())
    })
}

/// # Safety
/// The request's texts are NULL or NUL-terminated strings.
unsafe fn order_request(r: &cashi_order_request, i: usize) -> Result<CreateOrder, Error> {
    let mut request = CreateOrder::new(r.amount);
    if let Some(id) = opt_text(r.order_id, &format!("requests[{i}].order_id"))? {
        request = request.order_id(id);
    }
    if let Some(code) = opt_text(r.channel, &format!("requests[{i}].channel"))? {
        request = request.channel(code);
    }
    Ok(request)
}

/// Reads the statuses of `count` orders at once (blocking until all are done): the core's
/// batch of `cashi_client_check_status` for each of `order_ids[0..count]`, up to 64
/// requests in flight at a time and each one retried as the single call is. For each `i`,
/// either `out_statuses[i]` holds the status and `out_errors[i]` is NULL, or
/// `out_statuses[i]` is NULL and `out_errors[i]` holds why that one failed (`not_found` for
/// an unknown order; `invalid_argument` for a NULL, empty or malformed `order_ids[i]`);
/// one failed item does not stop the others.
///
/// Returns `CASHI_RESULT_OK` when the batch ran, whatever its items' outcomes. The call
/// itself fails with `invalid_argument` (`*err` names the argument, both out-arrays hold
/// only NULL) when `client`, `order_ids`, `out_statuses` or `out_errors` is NULL, or
/// `count` is more than 10000. A `count` of 0 does nothing and succeeds (the arrays may be
/// NULL).
///
/// Ownership: `order_ids` and its texts stay the caller's (read during the call only).
/// `out_statuses` and `out_errors` are the caller's arrays of `count` slots each; every
/// non-NULL status stored is the caller's, freed with `cashi_status_free`, and every
/// non-NULL error with `cashi_error_free`. Thread-safety: any number of threads may call
/// this on one client at once; the requests run on the calling thread.
#[no_mangle]
pub extern "C" fn cashi_client_check_statuses(
    client: *const cashi_client,
    order_ids: *const *const c_char,
    count: usize,
    out_statuses: *mut *mut cashi_status,
    out_errors: *mut *mut cashi_error,
    err: *mut *mut cashi_error,
) -> cashi_result {
    guard(err, || {
        let Some((client, statuses, errors)) = (unsafe {
            prepare(
                client,
                order_ids.cast(),
                "order_ids",
                count,
                out_statuses,
                "out_statuses",
                out_errors,
            )
        })?
        else {
            return Ok(());
        };
        // SAFETY: `order_ids` is not NULL (checked) and points at `count` pointers.
        let ids = unsafe { std::slice::from_raw_parts(order_ids, count) };
        let (for_core, items): (Vec<&str>, Vec<Result<(), Error>>) = ids
            .iter()
            .enumerate()
            .map(
                |(i, &id)| match unsafe { text(id, &format!("order_ids[{i}]")) } {
                    Ok(id) => (id, Ok(())),
                    Err(e) => ("", Err(e)),
                },
            )
            .unzip();
        let results = cashi::runtime::block_on_local(client.client().check_statuses(&for_core))?;
        deliver(merge(results, items), cashi_status::new, statuses, errors);
        Ok(())
    })
}
