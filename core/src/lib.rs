//! Cashi SDK core.
