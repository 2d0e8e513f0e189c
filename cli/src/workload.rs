//! JSON workloads (not yet written).
