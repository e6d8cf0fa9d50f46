//! Reading what Cashi sends: an HTTP answer becomes the fields the SDK needs or the error it
//! means, and a webhook body becomes its event's fields.
//!
//! - [`fields`]: the fields the SDK reads from a JSON object, in one pass, the text kept
//!   for `raw`.
//! - [`lenient`]: each field's value as the SDK takes it, tolerant of the forms the live
//!   API has sent (an amount as a number, a numeric string or a float with no fraction).
//! - [`response`]: an HTTP status and body turned into those fields or the error they
//!   mean.

pub(crate) mod fields;
pub(crate) mod lenient;
pub mod response;
