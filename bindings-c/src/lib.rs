//! The C ABI of the Cashi SDK.
