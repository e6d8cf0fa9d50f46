//! A local Cashi simulator.
