//! Integration tests of the reprint library: one test binary, one module per capability.

mod changes;
mod compare;
mod direction;
mod hostile;
mod index;
mod scan;
mod verdict_facts;
