//! Tencent Cloud SMS for Logto: a pure core (no clock, no I/O) and, on wasm32, a thin binding that
//! feeds it JavaScript values and the host's `fetch`.

pub mod config;
pub mod endpoint;
pub mod error;
pub mod exchange;
pub mod phone;
pub mod redact;
pub mod response;
pub mod retry;
pub mod send_sms;
pub mod tc3;
pub mod tencent_codes;
pub mod text;
pub mod time;
pub mod transport;
pub mod validation;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

#[cfg(target_arch = "wasm32")]
#[global_allocator]
// SAFETY: wasm32-unknown-unknown without atomics runs one thread, the only case
// AssumeSingleThreaded requires.
static ALLOCATOR: lol_alloc::AssumeSingleThreaded<lol_alloc::FreeListAllocator> =
    unsafe { lol_alloc::AssumeSingleThreaded::new(lol_alloc::FreeListAllocator::new()) };
