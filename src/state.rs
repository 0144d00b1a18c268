//! What the connector keeps between calls: parsed configs, signing keys, clock offsets learnt per
//! endpoint and the sends in flight. One value, owned by the binding and passed in, so the rest of
//! the core holds no hidden state and every part of it is bounded.

#[allow(unused_imports)]
use crate::prelude::*;

use alloc::rc::Rc;

use crate::bounded::BoundedMap;
use crate::config::Config;
use crate::counters::Counters;
use crate::error::{ConnectorError, ErrorCode};
use crate::exchange::Exchange;
use crate::fallback::Cooldown;
use crate::retry::is_plausible_clock_offset;
use crate::send_limits::Counter;
use crate::send_sms::SmsRequest;
use crate::tc3::SigningKeys;

/// Sends that may be in flight at once; more means the host never finishes them.
pub const MAX_SENDS_IN_FLIGHT: usize = 4_096;
/// Parsed configs kept by their text: sends reuse one config, and parsing it is most of a step.
const MAX_CACHED_CONFIGS: usize = 4;
/// Endpoints whose clock offset is remembered.
const MAX_REMEMBERED_CLOCKS: usize = 32;

#[derive(Debug)]
pub struct ProcessState {
    configs: BoundedMap<String, Rc<Config>>,
    /// Derived TC3 keys, for the connector's sends and `signRequest` alike.
    pub keys: SigningKeys,
    /// Tencent's clock minus ours, per endpoint host, learnt from `AuthFailure.SignatureExpire`.
    clock_offsets: BoundedMap<String, f64>,
    sends: BoundedMap<u32, Exchange>,
    last_send: u32,
    /// Send-limit counters for when the host has no shared store (its Redis) or it fails.
    pub counters: Counters,
    /// Sends waiting for their send-limit counts, with their first request.
    held: BoundedMap<u32, Held>,
    /// Primaries skipped after an account-level refusal, by [`Exchange::primary_key`].
    cooldowns: BoundedMap<String, Cooldown>,
}

/// A begun send whose first request waits until its counters say it may go.
#[derive(Debug)]
pub struct Held {
    pub request: SmsRequest,
    pub counters: Vec<Counter>,
    pub timeout_ms: u32,
}

impl Default for ProcessState {
    fn default() -> Self {
        ProcessState::new()
    }
}

impl ProcessState {
    /// Empty; allocates nothing until used.
    pub const fn new() -> Self {
        ProcessState {
            configs: BoundedMap::new(MAX_CACHED_CONFIGS),
            keys: SigningKeys::new(),
            clock_offsets: BoundedMap::new(MAX_REMEMBERED_CLOCKS),
            sends: BoundedMap::new(MAX_SENDS_IN_FLIGHT),
            last_send: 0,
            counters: Counters::new(),
            held: BoundedMap::new(MAX_SENDS_IN_FLIGHT),
            cooldowns: BoundedMap::new(MAX_REMEMBERED_CLOCKS),
        }
    }

    /// The config for this text, parsed (by `parse`) and validated once.
    pub fn config(
        &mut self,
        text: &str,
        parse: impl FnOnce(&str) -> Result<Config, ConnectorError>,
    ) -> Result<Rc<Config>, ConnectorError> {
        if let Some(config) = self.configs.get(text) {
            return Ok(Rc::clone(config));
        }
        let config = Rc::new(parse(text)?);
        self.configs.insert(text.to_owned(), Rc::clone(&config));
        Ok(config)
    }

    pub fn clock_offset(&self, host: &str) -> f64 {
        self.clock_offsets.get(host).copied().unwrap_or(0.0)
    }

    pub fn remember_clock_offset(&mut self, host: &str, offset: f64) {
        // The retry policy bounds offsets already; checked again so nothing remembered can ever
        // make a later send fail before it is sent.
        if !is_plausible_clock_offset(offset) {
            return;
        }
        self.clock_offsets.remove(|known| known == host);
        self.clock_offsets.insert(host.to_owned(), offset);
    }

    /// Keeps a new send and returns its id with its first request, signed for our clock `now_ms`
    /// plus the endpoint's learnt offset; or the refusal, with the send (for its event).
    // The send comes back only on this cold path; boxing it would cost every send an allocation.
    #[allow(clippy::result_large_err)]
    pub fn begin(
        &mut self,
        mut exchange: Exchange,
        now_ms: f64,
    ) -> Result<(u32, SmsRequest), (ConnectorError, Exchange)> {
        if let Some(key) = exchange.primary_key() {
            match self.cooldowns.find(|known| *known == key) {
                Some(cooldown) if now_ms < cooldown.until_ms => {
                    exchange.skip_primary(cooldown, now_ms)
                }
                Some(_) => self.cooldowns.remove(|known| *known == key),
                None => {}
            }
        }
        let server_now_ms = now_ms + self.clock_offset(exchange.host());
        let request = match exchange.request(server_now_ms, &mut self.keys) {
            Ok(request) => request,
            Err(error) => return Err((error, exchange)),
        };
        if self.sends.is_full() {
            let error = ConnectorError::new(
                ErrorCode::General,
                "More than 4096 sends are in flight, so this one was refused and the SMS was not sent: the host is not finishing its sends.",
            );
            return Err((error, exchange));
        }
        self.last_send = self.last_send.wrapping_add(1);
        self.sends.insert(self.last_send, exchange);
        Ok((self.last_send, request))
    }

    /// The next request of a send that asked for a retry; `None` for an unknown send.
    pub fn retry(&mut self, send: u32, now_ms: f64) -> Option<Result<SmsRequest, ConnectorError>> {
        let exchange = self.sends.find_mut(|id| *id == send)?;
        let server_now_ms = now_ms
            + self
                .clock_offsets
                .get(exchange.host())
                .copied()
                .unwrap_or(0.0);
        Some(exchange.request(server_now_ms, &mut self.keys))
    }

    /// After a [`Step::FailOver`](crate::exchange::Step::FailOver): remembers the primary's
    /// refusal when `cool_down`, then the fallback's request.
    pub fn fail_over(
        &mut self,
        send: u32,
        cool_down: bool,
        now_ms: f64,
    ) -> Option<Result<SmsRequest, ConnectorError>> {
        let exchange = self.sends.find(|id| *id == send)?;
        if let (true, Some(key), Some(cooldown)) =
            (cool_down, exchange.primary_key(), exchange.cooldown(now_ms))
        {
            self.cooldowns.remove(|known| *known == key);
            self.cooldowns.insert(key, cooldown);
        }
        self.retry(send, now_ms)
    }

    pub fn send_mut(&mut self, send: u32) -> Option<&mut Exchange> {
        self.sends.find_mut(|id| *id == send)
    }

    /// Forgets a send; harmless when it is already over.
    pub fn end(&mut self, send: u32) {
        self.sends.remove(|id| *id == send);
        self.held.remove(|id| *id == send);
    }

    /// Keeps a begun send's first request until its counts come (see [`ProcessState::take_held`]).
    pub fn hold(&mut self, send: u32, held: Held) {
        self.held.insert(send, held);
    }

    /// A held send, no longer held; `None` for a send that is not (over, or never held).
    pub fn take_held(&mut self, send: u32) -> Option<Held> {
        let held = self.held.take(|id| *id == send);
        held.filter(|_| self.sends.find(|id| *id == send).is_some())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config;
    use crate::config::tests::valid;
    use crate::send_sms::parse_message;
    use serde_json::json;

    fn exchange() -> Exchange {
        let config = Rc::new(config::parse(&valid()).unwrap());
        let message = parse_message(&json!({
            "to": "8613711112222", "type": "SignIn", "payload": { "code": "123456" }
        }))
        .unwrap();
        Exchange::new(config, message, 0.0)
    }

    #[test]
    fn sends_are_bounded_and_refused_when_full_not_evicted() {
        let mut state = ProcessState::new();
        let (first, _) = state.begin(exchange(), 0.0).unwrap();
        for _ in 1..MAX_SENDS_IN_FLIGHT {
            state.begin(exchange(), 0.0).unwrap();
        }
        let (refused, _) = state.begin(exchange(), 0.0).unwrap_err();
        assert_eq!(refused.code, ErrorCode::General);
        assert!(state.send_mut(first).is_some(), "the oldest send is kept");
        state.end(first);
        assert!(state.send_mut(first).is_none());
        assert!(state.begin(exchange(), 0.0).is_ok());
    }

    #[test]
    fn a_held_send_is_taken_once_and_forgotten_when_it_ends() {
        let mut state = ProcessState::new();
        let (send, request) = state.begin(exchange(), 0.0).unwrap();
        let held = |request| Held {
            request,
            counters: Vec::new(),
            timeout_ms: 10_000,
        };
        state.hold(send, held(request.clone()));
        assert!(state.take_held(send).is_some());
        assert!(state.take_held(send).is_none(), "taken once");
        state.hold(send, held(request.clone()));
        state.end(send);
        assert!(state.take_held(send).is_none(), "forgotten with its send");
        let (other, _) = state.begin(exchange(), 0.0).unwrap();
        state.hold(other, held(request));
        state.sends.remove(|id| *id == other);
        assert!(state.take_held(other).is_none(), "not without its exchange");
    }

    #[test]
    fn clock_offsets_are_per_host_and_the_newest_replaces_the_old() {
        let mut state = ProcessState::new();
        state.remember_clock_offset("a", 1_000.0);
        state.remember_clock_offset("a", 2_000.0);
        assert_eq!(state.clock_offset("a"), 2_000.0);
        assert_eq!(state.clock_offset("b"), 0.0);
        state.remember_clock_offset("b", f64::INFINITY);
        assert_eq!(state.clock_offset("b"), 0.0);
        for host in 0..MAX_REMEMBERED_CLOCKS {
            state.remember_clock_offset(&host.to_string(), 5.0);
        }
        assert_eq!(state.clock_offset("a"), 0.0, "the oldest host is forgotten");
    }

    #[test]
    fn a_config_text_is_parsed_once_and_the_oldest_is_evicted() {
        let mut state = ProcessState::new();
        let parse = |text: &str| config::parse(&serde_json::from_str(text).unwrap());
        let texts: Vec<String> = (0..=MAX_CACHED_CONFIGS)
            .map(|n| {
                let mut config = valid();
                config["sdkAppId"] = json!(format!("140000000{n}"));
                config.to_string()
            })
            .collect();
        let first = state.config(&texts[0], parse).unwrap();
        let again = state.config(&texts[0], |_| panic!("parsed twice")).unwrap();
        assert!(Rc::ptr_eq(&first, &again));
        for text in &texts[1..] {
            state.config(text, parse).unwrap();
        }
        let mut parsed = false;
        state
            .config(&texts[0], |text| {
                parsed = true;
                parse(text)
            })
            .unwrap();
        assert!(parsed, "the oldest config was evicted");
    }
}
