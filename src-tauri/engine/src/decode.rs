//! Decoding a protocol's stream by hand, for conformance checks and benchmarks; the
//! client does it for every answer. The decoders live with their protocols.

pub use crate::protocol::{decoder, Decoder, Flow, StreamState};
