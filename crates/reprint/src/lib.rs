//! reprint
