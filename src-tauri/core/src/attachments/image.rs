//! Pictures: decoded with limits, scaled to what the providers recommend, and
//! re-encoded. Re-encoding is what drops the metadata a camera or phone wrote (EXIF,
//! with the GPS position of the photo, XMP, comments): only pixels are carried over.
//!
//! Memory is the thing to watch. A 12-megapixel photo is 36 MB once decoded, so only
//! one copy of the full-size picture exists at a time: it is scaled in place of 8-bit
//! samples (no float copy), dropped, and only the small result is turned upright and
//! encoded.

use std::io::Cursor;

use ::image::codecs::jpeg::JpegEncoder;
use ::image::codecs::png::PngEncoder;
use ::image::metadata::Orientation;
use ::image::{
    DynamicImage, ExtendedColorType, ImageDecoder, ImageEncoder, ImageError, ImageFormat,
    ImageReader, Limits,
};
use fast_image_resize::{FilterType, MulDiv, ResizeAlg, ResizeOptions, Resizer};

use super::contain::contain;
use super::error::{size_words, thousands, AttachmentError, AttachmentProblem};
use super::{sniff, MAX_IMAGE_BYTES};

/// Anthropic's recommended longest side; larger pictures are scaled down by the API
/// anyway, after being paid for in upload time.
pub const MAX_LONG_SIDE: u32 = 1568;

/// Anthropic's recommended area (about 1.15 megapixels, ~1,600 tokens). It is also
/// within what OpenAI's high-detail mode looks at, so one picture serves both.
pub const MAX_PIXELS: u64 = 1_150_000;

/// Past this a picture is not a photo or a screenshot but a poster scan or a
/// decompression bomb: a few hundred bytes of PNG can claim 100,000 × 100,000 pixels.
const DECODE_MAX_SIDE: u32 = 12_000;

/// What one decode may allocate. A 12,000 × 12,000 RGBA picture would need more; the
/// pictures people attach need a tenth of it.
const DECODE_MAX_ALLOC: u64 = 512 * 1024 * 1024;

/// Visually lossless for photos at a third of the size of quality 95.
const JPEG_QUALITY: u8 = 85;

/// Thumbnails are looked at small and briefly.
const THUMBNAIL_JPEG_QUALITY: u8 = 80;

/// A re-encoded picture.
pub(crate) struct Picture {
    pub bytes: Vec<u8>,
    pub mime: &'static str,
    pub width: u32,
    pub height: u32,
}

pub(crate) fn prepare(
    name: &str,
    bytes: &[u8],
    format: ImageFormat,
) -> Result<Picture, AttachmentError> {
    contain(name, "picture", || {
        let (picture, orientation) = decode(name, bytes, format)?;
        let (width, height) = fit(picture.width(), picture.height(), MAX_LONG_SIDE, MAX_PIXELS);
        let transparent = has_transparency(&picture);
        // Scaled before it is turned upright: the bounds don't care which way up it is,
        // and turning the small picture costs a fraction of turning the full one.
        let mut scaled = scale(name, picture, width, height, transparent)?;
        scaled.apply_orientation(orientation);
        encode(name, scaled, transparent, JPEG_QUALITY)
    })
}

/// A small copy of a prepared picture for the window, no side longer than `max_side`.
/// JPEG, or PNG when the picture has transparency (see [`image_mime`](super::image_mime)).
pub fn thumbnail(prepared_image_bytes: &[u8], max_side: u32) -> Result<Vec<u8>, AttachmentError> {
    const NAME: &str = "This picture";
    let Some(format) = sniff::image_format(prepared_image_bytes) else {
        return Err(AttachmentError::unsupported(NAME, None));
    };
    let size = prepared_image_bytes.len() as u64;
    if size > MAX_IMAGE_BYTES {
        return Err(AttachmentError::too_large(
            NAME,
            size,
            MAX_IMAGE_BYTES,
            "images",
        ));
    }
    contain(NAME, "picture", || {
        // Prepared pictures are already upright and carry no orientation of their own.
        let (picture, _) = decode(NAME, prepared_image_bytes, format)?;
        let (width, height) = fit(picture.width(), picture.height(), max_side.max(1), u64::MAX);
        let transparent = has_transparency(&picture);
        let scaled = scale(NAME, picture, width, height, transparent)?;
        encode(NAME, scaled, transparent, THUMBNAIL_JPEG_QUALITY).map(|picture| picture.bytes)
    })
}

/// Decodes the first frame, refusing sizes that would eat memory before allocating
/// for them.
fn decode(
    name: &str,
    bytes: &[u8],
    format: ImageFormat,
) -> Result<(DynamicImage, Orientation), AttachmentError> {
    let failed = |error| decode_error(name, format, error);
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    // The side limits are checked by hand below, so a refusal can name the size.
    let mut allowance = Limits::default();
    allowance.max_alloc = Some(DECODE_MAX_ALLOC);
    reader.limits(allowance.clone());
    let mut decoder = reader.into_decoder().map_err(failed)?;

    let (width, height) = decoder.dimensions();
    if width > DECODE_MAX_SIDE || height > DECODE_MAX_SIDE {
        return Err(AttachmentError::new(
            AttachmentProblem::TooLarge,
            format!(
                "{name} is {} × {} pixels; Foxtail takes images up to {} pixels on a side.",
                thousands(width.into()),
                thousands(height.into()),
                thousands(DECODE_MAX_SIDE.into()),
            ),
        ));
    }
    // `into_decoder` leaves this to the caller; `decode` would have checked it.
    if decoder.total_bytes() > DECODE_MAX_ALLOC {
        return Err(out_of_allowance(name));
    }
    allowance.max_image_width = Some(DECODE_MAX_SIDE);
    allowance.max_image_height = Some(DECODE_MAX_SIDE);
    decoder.set_limits(allowance).map_err(failed)?;

    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    // For a GIF or animated WebP this is the first frame.
    let picture = DynamicImage::from_decoder(decoder).map_err(failed)?;
    Ok((picture, orientation))
}

fn out_of_allowance(name: &str) -> AttachmentError {
    AttachmentError::new(
        AttachmentProblem::TooLarge,
        format!(
            "{name} would need more than {} of memory to open, so Foxtail won't open it. \
             Attach a smaller copy of the picture.",
            size_words(DECODE_MAX_ALLOC)
        ),
    )
}

fn decode_error(name: &str, format: ImageFormat, error: ImageError) -> AttachmentError {
    let kind = format_word(format);
    match error {
        ImageError::Limits(_) => out_of_allowance(name),
        ImageError::Unsupported(_) => AttachmentError::new(
            AttachmentProblem::Unsupported,
            format!(
                "{name} is a kind of {kind} image Foxtail can't open. \
                 Try saving it again as an ordinary PNG or JPEG."
            ),
        ),
        _ => AttachmentError::new(
            AttachmentProblem::Unreadable,
            format!("{name} looks like a {kind} image but is damaged or incomplete, so Foxtail can't open it."),
        ),
    }
}

fn format_word(format: ImageFormat) -> &'static str {
    match format {
        ImageFormat::Png => "PNG",
        ImageFormat::Jpeg => "JPEG",
        ImageFormat::WebP => "WebP",
        ImageFormat::Gif => "GIF",
        _ => "picture",
    }
}

/// The largest size with the same proportions whose long side is at most `max_side`
/// and whose area is at most `max_pixels`. Never larger than the picture: scaling up
/// adds cost and no detail.
pub(crate) fn fit(width: u32, height: u32, max_side: u32, max_pixels: u64) -> (u32, u32) {
    let area = u64::from(width) * u64::from(height);
    if area == 0 {
        return (width, height);
    }
    let by_side = f64::from(max_side) / f64::from(width.max(height));
    let by_area = (max_pixels as f64 / area as f64).sqrt();
    let factor = by_side.min(by_area);
    if factor >= 1.0 {
        return (width, height);
    }
    // Rounded down, but not for a hair's breadth under a whole number (1568.0 can
    // come out as 1567.9999…).
    let side =
        |length: u32| ((f64::from(length) * factor + 1e-6).floor() as u32).clamp(1, max_side);
    let (mut new_width, mut new_height) = (side(width), side(height));
    // Floating point may land a pixel over the area; take it off the longer side.
    while u64::from(new_width) * u64::from(new_height) > max_pixels {
        if new_width >= new_height {
            new_width -= 1;
        } else {
            new_height -= 1;
        }
    }
    (new_width, new_height)
}

/// Whether any pixel is not fully opaque. Screenshots are often RGBA with every pixel
/// opaque; those are photos as far as the encoder choice goes.
fn has_transparency(picture: &DynamicImage) -> bool {
    match picture {
        DynamicImage::ImageLumaA8(p) => p.as_raw().chunks_exact(2).any(|px| px[1] != u8::MAX),
        DynamicImage::ImageRgba8(p) => p.as_raw().chunks_exact(4).any(|px| px[3] != u8::MAX),
        DynamicImage::ImageLumaA16(p) => p.as_raw().chunks_exact(2).any(|px| px[1] != u16::MAX),
        DynamicImage::ImageRgba16(p) => p.as_raw().chunks_exact(4).any(|px| px[3] != u16::MAX),
        DynamicImage::ImageRgba32F(p) => p.as_raw().chunks_exact(4).any(|px| px[3] < 1.0),
        _ => false,
    }
}

/// Scales with Catmull-Rom, which keeps text in screenshots legible where a box or
/// bilinear filter blurs it. Consumes the picture so its memory is freed as soon as
/// the smaller copy exists.
fn scale(
    name: &str,
    mut picture: DynamicImage,
    width: u32,
    height: u32,
    transparent: bool,
) -> Result<DynamicImage, AttachmentError> {
    if (picture.width(), picture.height()) == (width, height) {
        return Ok(picture);
    }
    let failed = || {
        AttachmentError::new(
            AttachmentProblem::Unreadable,
            format!("Foxtail couldn't scale {name} down."),
        )
    };
    let mut scaled = DynamicImage::new(width, height, picture.color());
    // Colours must be weighted by their alpha while averaging, or transparent pixels
    // bleed their (invisible) colour into the edges. The resizer would do this on a
    // copy of the full picture; done in place here instead, to spare that copy.
    let alpha = MulDiv::default();
    if transparent {
        alpha
            .multiply_alpha_inplace(&mut picture)
            .map_err(|_| failed())?;
    }
    let options = ResizeOptions::new()
        .resize_alg(ResizeAlg::Convolution(FilterType::CatmullRom))
        .use_alpha(false);
    Resizer::new()
        .resize(&picture, &mut scaled, &options)
        .map_err(|_| failed())?;
    drop(picture);
    if transparent {
        alpha
            .divide_alpha_inplace(&mut scaled)
            .map_err(|_| failed())?;
    }
    Ok(scaled)
}

/// JPEG for pictures without transparency (a third the size of PNG for photos), PNG
/// for those with it. Neither encoder is given any metadata to write.
fn encode(
    name: &str,
    picture: DynamicImage,
    transparent: bool,
    quality: u8,
) -> Result<Picture, AttachmentError> {
    let (width, height) = (picture.width(), picture.height());
    let mut bytes = Vec::new();
    let written = if transparent {
        let rgba = picture.into_rgba8();
        PngEncoder::new(&mut bytes).write_image(
            rgba.as_raw(),
            width,
            height,
            ExtendedColorType::Rgba8,
        )
    } else if !picture.color().has_color() {
        let gray = picture.into_luma8();
        JpegEncoder::new_with_quality(&mut bytes, quality).write_image(
            gray.as_raw(),
            width,
            height,
            ExtendedColorType::L8,
        )
    } else {
        let rgb = picture.into_rgb8();
        JpegEncoder::new_with_quality(&mut bytes, quality).write_image(
            rgb.as_raw(),
            width,
            height,
            ExtendedColorType::Rgb8,
        )
    };
    written.map_err(|_| {
        AttachmentError::new(
            AttachmentProblem::Unreadable,
            format!("Foxtail couldn't re-encode {name}."),
        )
    })?;
    Ok(Picture {
        bytes,
        mime: if transparent {
            "image/png"
        } else {
            "image/jpeg"
        },
        width,
        height,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_keeps_small_pictures_as_they_are() {
        assert_eq!(fit(800, 600, MAX_LONG_SIDE, MAX_PIXELS), (800, 600));
        assert_eq!(fit(1, 1, MAX_LONG_SIDE, MAX_PIXELS), (1, 1));
    }

    #[test]
    fn fit_bounds_the_long_side_and_the_area() {
        assert_eq!(fit(4000, 3000, MAX_LONG_SIDE, MAX_PIXELS), (1238, 928));
        // A tall strip is bound by its side, not its area.
        assert_eq!(fit(400, 6000, MAX_LONG_SIDE, MAX_PIXELS), (104, 1568));
        assert_eq!(fit(1, 12_000, MAX_LONG_SIDE, MAX_PIXELS), (1, 1568));
        for (w, h) in [(3024, 4032), (1920, 1080), (5120, 2880), (1569, 1)] {
            let (nw, nh) = fit(w, h, MAX_LONG_SIDE, MAX_PIXELS);
            assert!(nw.max(nh) <= MAX_LONG_SIDE);
            assert!(u64::from(nw) * u64::from(nh) <= MAX_PIXELS);
        }
    }

    #[test]
    fn thumbnails_are_bound_by_side_only() {
        assert_eq!(fit(1238, 928, 256, u64::MAX), (256, 191));
    }
}
