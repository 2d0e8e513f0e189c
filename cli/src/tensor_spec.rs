//! Compact tensor syntax (not yet written).
