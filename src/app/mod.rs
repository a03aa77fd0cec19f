//! Step 7: the front ends. `service` is every operation once, documents in
//! and out; `cli` and `server` translate arguments and requests to it and
//! compute nothing themselves, and `web` is the page `server` serves to a
//! browser, which reads the server's JSON API like any other client.

#[cfg(feature = "cli")]
pub mod cli;
pub mod files;
#[cfg(feature = "server")]
pub mod server;
pub mod service;
#[cfg(feature = "server")]
pub mod web;
