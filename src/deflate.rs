//! Raw DEFLATE with the browser's own `CompressionStream` and `DecompressionStream`,
//! for shared links: a DEFLATE coder compiled into the page would cost 14 KB of the
//! first load (measured: docs/performance.md). The core keeps its own coder for the CLI
//! and the tests (`loadlab_sim::share::encode`, `decode`); both write the same format.

use js_sys::{Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{ReadableStream, ReadableStreamDefaultReader, ReadableWritablePair, Response};

#[wasm_bindgen]
extern "C" {
    /// The browser's compressor; a `{readable, writable}` pair.
    type CompressionStream;
    #[wasm_bindgen(constructor, catch)]
    fn new(format: &str) -> Result<CompressionStream, JsValue>;

    /// The browser's decompressor; a `{readable, writable}` pair.
    type DecompressionStream;
    #[wasm_bindgen(constructor, catch)]
    fn new(format: &str) -> Result<DecompressionStream, JsValue>;
}

/// Why inflating failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InflateError {
    /// More than the limit came out: stopped there.
    TooLarge,
    /// Not DEFLATE data (or the browser has no decompressor).
    NotDeflate,
}

/// `bytes` compressed as raw DEFLATE, or why not in the browser's words.
pub async fn deflate(bytes: &[u8]) -> Result<Vec<u8>, JsValue> {
    let pair: ReadableWritablePair = CompressionStream::new("deflate-raw")?.unchecked_into();
    let out = source(bytes)?.pipe_through(&pair);
    let response = Response::new_with_opt_readable_stream(Some(&out))?;
    let buffer = JsFuture::from(response.array_buffer()?).await?;
    Ok(Uint8Array::new(&buffer).to_vec())
}

/// `bytes` inflated from raw DEFLATE, read piece by piece and stopped as soon as more
/// than `limit` bytes come out, so a small link cannot fill the memory.
pub async fn inflate(bytes: &[u8], limit: usize) -> Result<Vec<u8>, InflateError> {
    let not_deflate = |_| InflateError::NotDeflate;
    let pair: ReadableWritablePair = DecompressionStream::new("deflate-raw")
        .map_err(not_deflate)?
        .unchecked_into();
    let out = source(bytes).map_err(not_deflate)?.pipe_through(&pair);
    let reader: ReadableStreamDefaultReader = out.get_reader().unchecked_into();
    let mut inflated = Vec::new();
    loop {
        let chunk = JsFuture::from(reader.read()).await.map_err(not_deflate)?;
        let done = Reflect::get(&chunk, &"done".into()).map_err(not_deflate)?;
        if done.as_bool() == Some(true) {
            return Ok(inflated);
        }
        let value = Reflect::get(&chunk, &"value".into()).map_err(not_deflate)?;
        let piece: Uint8Array = value.unchecked_into();
        if inflated.len() + piece.length() as usize > limit {
            let _ = reader.cancel();
            return Err(InflateError::TooLarge);
        }
        inflated.extend(piece.to_vec());
    }
}

/// A stream that yields `bytes` once.
fn source(bytes: &[u8]) -> Result<ReadableStream, JsValue> {
    let parts = js_sys::Array::of1(&Uint8Array::from(bytes));
    Ok(web_sys::Blob::new_with_u8_array_sequence(&parts)?.stream())
}
