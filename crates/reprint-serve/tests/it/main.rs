//! Tests of the service (one binary, as the house style asks).

mod api;
mod browser;
