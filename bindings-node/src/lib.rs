//! Node.js bindings.
