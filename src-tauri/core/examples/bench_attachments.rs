//! `make bench-attachments`: ten 12-megapixel photos attached to one message, as the
//! app does it (one after the other, each decoded, scaled, re-encoded and stored), and
//! what that adds to the process's peak memory. Prints figures; asserts nothing.

use std::io::Cursor;
use std::time::Instant;

use foxtail_core::message_attachments;
use foxtail_storage::Storage;

/// A field of `/proc/self/status`, in MB.
fn status_mb(field: &str) -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix(field))
        .and_then(|rest| {
            rest.trim()
                .trim_end_matches("kB")
                .trim()
                .parse::<f64>()
                .ok()
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

/// A 4000×3000 photo-like JPEG (gradients and texture, so it compresses as photos do).
fn photo(seed: u32) -> Vec<u8> {
    let picture = image::RgbImage::from_fn(4000, 3000, |x, y| {
        let n = x.wrapping_mul(2_654_435_761) ^ y.wrapping_mul(40_503) ^ seed;
        image::Rgb([
            (x / 16) as u8 ^ (n >> 28) as u8,
            (y / 12) as u8 ^ (n >> 24) as u8 & 0x0f,
            ((x + y) / 28) as u8,
        ])
    });
    let mut out = Cursor::new(Vec::new());
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90)
        .encode_image(&picture)
        .expect("encodes");
    out.into_inner()
}

fn main() {
    let photos: Vec<Vec<u8>> = (0..10).map(photo).collect();
    let sizes: f64 = photos.iter().map(|p| p.len() as f64).sum::<f64>() / 1e6;
    let storage = Storage::open_in_memory().expect("storage");
    // Counts from here: the photos themselves are the files the person picked.
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    let before = status_mb("VmRSS:");
    let started = Instant::now();
    let mut tokens = 0;
    for (n, bytes) in photos.iter().enumerate() {
        let attached = message_attachments::add(&storage, &format!("photo-{n}.jpg"), bytes)
            .expect("a photo is attached");
        tokens += attached.tokens;
    }
    let elapsed = started.elapsed();
    let peak = status_mb("VmHWM:");
    println!(
        "ten 12-megapixel JPEG photos ({sizes:.1} MB of files), attached one after the other:"
    );
    println!("  resident memory before: {before:.0} MB");
    println!(
        "  peak while preparing:   {peak:.0} MB  (+{:.0} MB; target ≤ +100 MB)",
        peak - before
    );
    println!(
        "  time: {:.2} s in all, {:.0} ms a photo; about {tokens} tokens for the model",
        elapsed.as_secs_f64(),
        elapsed.as_secs_f64() * 100.0
    );
}
