//! Tencent Cloud SMS for Logto: a pure core (no clock, no I/O) and, on wasm32, a thin binding that
//! feeds it JavaScript values and the host's `fetch`.

// The shipped wasm (release) is no_std: std's panic machinery and the formatting it pulls in
// cost about 1.4 KB gzip, and a panic (none is expected) traps as `panic = "abort"` did. Debug
// wasm builds (the wasm tests, which link std's own panic handler) and native builds keep std.
#![cfg_attr(all(target_arch = "wasm32", not(debug_assertions)), no_std)]
// No panics in exported paths: every error is a value. Tests may unwrap.
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing,
        clippy::unreachable,
        clippy::todo,
        clippy::unimplemented
    )
)]

extern crate alloc;

/// What std's prelude gives and `no_std` does not; every module imports it.
pub(crate) mod prelude {
    pub use alloc::borrow::ToOwned;
    pub use alloc::boxed::Box;
    pub use alloc::string::{String, ToString};
    pub use alloc::vec;
    pub use alloc::vec::Vec;
}

#[cfg(all(target_arch = "wasm32", not(debug_assertions)))]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    core::arch::wasm32::unreachable()
}

// Public: the sans-IO API a native caller, `tests/` and `fuzz/` use. Private: helpers.
pub mod api_call;
mod bounded;
pub mod config;
pub mod counters;
pub mod country;
pub mod country_policy;
pub mod dry_run;
pub mod endpoint;
pub mod error;
pub mod exchange;
pub mod fallback;
pub mod ip;
mod json;
pub mod locale;
pub mod phone;
pub mod redact;
pub mod response;
pub mod retry;
pub mod send_event;
pub mod send_limits;
pub mod send_sms;
pub mod state;
pub mod tc3;
pub mod tencent_codes;
mod text;
pub mod time;
mod transport;
pub mod validation;
pub mod wire;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

/// The JSON value the API reads (serde_json's natively, the crate's own in the wasm) and the
/// reader that builds it from text.
pub use json::{parse as parse_json, Value as JsonValue};

#[cfg(target_arch = "wasm32")]
#[global_allocator]
// SAFETY: wasm32-unknown-unknown without atomics runs one thread, the only case
// AssumeSingleThreaded requires.
static ALLOCATOR: lol_alloc::AssumeSingleThreaded<lol_alloc::FreeListAllocator> =
    unsafe { lol_alloc::AssumeSingleThreaded::new(lol_alloc::FreeListAllocator::new()) };
