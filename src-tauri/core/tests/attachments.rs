//! Attachments from real files: pictures made here with the `image` crate, documents
//! from `tests/fixtures/attachments/` (see the README there for how each was made).

use std::path::PathBuf;

use foxtail_core::attachments::{
    self, content_id, image_mime, prepare, thumbnail, tokens, AttachmentKind, AttachmentProblem,
    MAX_DOCUMENT_BYTES, MAX_FILE_BYTES, MAX_IMAGE_BYTES, MAX_LONG_SIDE, MAX_PIXELS,
};
use image::codecs::gif::GifEncoder;
use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::PngEncoder;
use image::codecs::webp::WebPEncoder;
use image::{Delay, ExtendedColorType, Frame, ImageEncoder, Rgb, RgbImage, Rgba, RgbaImage};

const ACCEPTED: &str =
    "Foxtail takes PNG, JPEG, WebP and GIF images, PDF and Word (.docx) documents, and text files.";

fn fixture(name: &str) -> Vec<u8> {
    let path: PathBuf = [
        env!("CARGO_MANIFEST_DIR"),
        "tests",
        "fixtures",
        "attachments",
        name,
    ]
    .iter()
    .collect();
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn refusal(name: &str, bytes: &[u8]) -> (AttachmentProblem, String) {
    let error = prepare(name, bytes).expect_err("the file should be refused");
    assert_eq!(error.to_string(), error.message);
    (error.problem, error.message)
}

fn png(image: &RgbaImage) -> Vec<u8> {
    let mut out = Vec::new();
    PngEncoder::new(&mut out)
        .write_image(
            image.as_raw(),
            image.width(),
            image.height(),
            ExtendedColorType::Rgba8,
        )
        .unwrap();
    out
}

fn jpeg(image: &RgbImage) -> Vec<u8> {
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, 90)
        .write_image(
            image.as_raw(),
            image.width(),
            image.height(),
            ExtendedColorType::Rgb8,
        )
        .unwrap();
    out
}

fn decoded(bytes: &[u8]) -> image::DynamicImage {
    image::load_from_memory(bytes).unwrap()
}

fn close_to(actual: [u8; 3], expected: [u8; 3]) -> bool {
    actual
        .iter()
        .zip(expected)
        .all(|(a, e)| a.abs_diff(e) <= 40)
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// A PNG chunk with its CRC, for pictures no encoder would write.
fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut out = (data.len() as u32).to_be_bytes().to_vec();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let mut crc = crc32fast::Hasher::new();
    crc.update(kind);
    crc.update(data);
    out.extend_from_slice(&crc.finalize().to_be_bytes());
    out
}

/// A PNG whose header claims `width` × `height` but whose data is a few bytes.
fn png_claiming(width: u32, height: u32, bit_depth: u8, color_type: u8) -> Vec<u8> {
    let mut header = width.to_be_bytes().to_vec();
    header.extend_from_slice(&height.to_be_bytes());
    header.extend_from_slice(&[bit_depth, color_type, 0, 0, 0]);
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    out.extend(chunk(b"IHDR", &header));
    // zlib stream of a few zero bytes: far too little for the claimed size.
    out.extend(chunk(
        b"IDAT",
        &[0x78, 0x9c, 0x63, 0x60, 0x00, 0x00, 0x00, 0x02, 0x00, 0x01],
    ));
    out.extend(chunk(b"IEND", &[]));
    out
}

// --- Pictures -------------------------------------------------------------------

#[test]
fn a_large_photo_is_scaled_within_both_bounds_as_jpeg() {
    let photo = RgbImage::from_fn(3000, 2000, |x, y| Rgb([(x / 12) as u8, (y / 8) as u8, 128]));
    let prepared = prepare("holiday.jpg", &jpeg(&photo)).unwrap();
    assert_eq!(prepared.kind, AttachmentKind::Image);
    assert_eq!(prepared.mime, "image/jpeg");
    assert_eq!((prepared.width, prepared.height), (1313, 875));
    assert!(prepared.width.max(prepared.height) <= MAX_LONG_SIDE);
    assert!(u64::from(prepared.width) * u64::from(prepared.height) <= MAX_PIXELS);
    assert_eq!(prepared.tokens, (1313u64 * 875).div_ceil(750));
    assert!(prepared.text.is_empty() && prepared.pages.is_none());
    let back = decoded(&prepared.data);
    assert_eq!((back.width(), back.height()), (1313, 875));
}

#[test]
fn a_wide_screenshot_is_bound_by_its_long_side() {
    let strip = RgbImage::from_pixel(3200, 400, Rgb([200, 200, 200]));
    let prepared = prepare("strip.png", &jpeg(&strip)).unwrap();
    assert_eq!((prepared.width, prepared.height), (1568, 196));
}

#[test]
fn a_small_picture_is_never_scaled_up() {
    let small = RgbImage::from_pixel(100, 50, Rgb([10, 200, 30]));
    let prepared = prepare("small.jpg", &jpeg(&small)).unwrap();
    assert_eq!((prepared.width, prepared.height), (100, 50));
    assert_eq!(prepared.tokens, 7); // 5000 / 750 = 6.67, rounded up
}

#[test]
fn a_png_with_transparency_stays_png_and_keeps_it() {
    let logo = RgbaImage::from_fn(400, 200, |x, _| {
        if x < 200 {
            Rgba([255, 0, 0, 255])
        } else {
            Rgba([0, 0, 0, 0])
        }
    });
    let prepared = prepare("logo.png", &png(&logo)).unwrap();
    assert_eq!(prepared.mime, "image/png");
    assert_eq!(image_mime(&prepared.data), Some("image/png"));
    let back = decoded(&prepared.data).to_rgba8();
    assert_eq!(back.get_pixel(50, 100).0, [255, 0, 0, 255]);
    assert_eq!(back.get_pixel(350, 100).0[3], 0);
}

#[test]
fn an_opaque_rgba_screenshot_becomes_jpeg() {
    let screenshot = RgbaImage::from_pixel(300, 200, Rgba([30, 60, 90, 255]));
    let prepared = prepare("Screenshot 2024-05-01.png", &png(&screenshot)).unwrap();
    assert_eq!(prepared.mime, "image/jpeg");
    assert_eq!(image_mime(&prepared.data), Some("image/jpeg"));
}

#[test]
fn a_transparent_picture_is_scaled_without_dark_fringes() {
    // Opaque white on the left, fully transparent black on the right: averaging
    // without weighting by alpha would pull the edge towards grey.
    let picture = RgbaImage::from_fn(3000, 1000, |x, _| {
        if x < 1500 {
            Rgba([255, 255, 255, 255])
        } else {
            Rgba([0, 0, 0, 0])
        }
    });
    let prepared = prepare("edge.png", &png(&picture)).unwrap();
    assert_eq!(prepared.mime, "image/png");
    let back = decoded(&prepared.data).to_rgba8();
    let edge_x = prepared.width / 2;
    for x in edge_x - 3..edge_x + 3 {
        let pixel = back.get_pixel(x, prepared.height / 2).0;
        if pixel[3] > 16 {
            assert!(pixel[0] > 240, "fringe at x={x}: {pixel:?}");
        }
    }
}

#[test]
fn only_the_first_frame_of_an_animated_gif_is_kept() {
    let red = RgbaImage::from_pixel(64, 64, Rgba([255, 0, 0, 255]));
    let blue = RgbaImage::from_pixel(64, 64, Rgba([0, 0, 255, 255]));
    let mut gif = Vec::new();
    {
        let mut encoder = GifEncoder::new(&mut gif);
        let delay = Delay::from_numer_denom_ms(100, 1);
        encoder
            .encode_frames([
                Frame::from_parts(red, 0, 0, delay),
                Frame::from_parts(blue, 0, 0, delay),
            ])
            .unwrap();
    }
    let prepared = prepare("party.gif", &gif).unwrap();
    assert_eq!((prepared.width, prepared.height), (64, 64));
    assert_eq!(prepared.mime, "image/jpeg");
    let pixel = decoded(&prepared.data).to_rgb8().get_pixel(32, 32).0;
    assert!(close_to(pixel, [255, 0, 0]), "{pixel:?}");
}

#[test]
fn a_webp_is_accepted() {
    let picture = RgbImage::from_pixel(120, 80, Rgb([0, 128, 255]));
    let mut webp = Vec::new();
    WebPEncoder::new_lossless(&mut webp)
        .encode(picture.as_raw(), 120, 80, ExtendedColorType::Rgb8)
        .unwrap();
    let prepared = prepare("sticker.webp", &webp).unwrap();
    assert_eq!(
        (prepared.width, prepared.height, prepared.mime.as_str()),
        (120, 80, "image/jpeg")
    );
    let pixel = decoded(&prepared.data).to_rgb8().get_pixel(60, 40).0;
    assert!(close_to(pixel, [0, 128, 255]), "{pixel:?}");
}

#[test]
fn the_format_comes_from_the_content_not_the_name() {
    let picture = RgbaImage::from_pixel(10, 10, Rgba([0, 0, 0, 100]));
    let prepared = prepare("really-a-png.jpg", &png(&picture)).unwrap();
    assert_eq!(prepared.mime, "image/png");
    assert_eq!(prepared.name, "really-a-png.jpg");
}

/// An APP1 segment as a camera writes it: EXIF with the make, the orientation, and a
/// GPS position (latitude 48° 51' 29.79").
fn exif_segment(orientation: u16) -> Vec<u8> {
    let mut tiff = b"MM\0\x2a\0\0\0\x08".to_vec();
    let entry = |tag: u16, kind: u16, count: u32, value: [u8; 4]| {
        let mut e = tag.to_be_bytes().to_vec();
        e.extend_from_slice(&kind.to_be_bytes());
        e.extend_from_slice(&count.to_be_bytes());
        e.extend_from_slice(&value);
        e
    };
    // IFD0 at 8 (42 bytes), the GPS IFD at 50 (30 bytes), the make at 80, the
    // latitude at 96.
    tiff.extend_from_slice(&3u16.to_be_bytes());
    tiff.extend(entry(0x010F, 2, 15, 80u32.to_be_bytes()));
    let mut orientation_value = [0; 4];
    orientation_value[..2].copy_from_slice(&orientation.to_be_bytes());
    tiff.extend(entry(0x0112, 3, 1, orientation_value));
    tiff.extend(entry(0x8825, 4, 1, 50u32.to_be_bytes()));
    tiff.extend_from_slice(&0u32.to_be_bytes());
    tiff.extend_from_slice(&2u16.to_be_bytes());
    tiff.extend(entry(0x0001, 2, 2, *b"N\0\0\0"));
    tiff.extend(entry(0x0002, 5, 3, 96u32.to_be_bytes()));
    tiff.extend_from_slice(&0u32.to_be_bytes());
    tiff.extend_from_slice(b"FoxtailTestCam\0\0");
    for (numerator, denominator) in [(48u32, 1u32), (51, 1), (2979, 100)] {
        tiff.extend_from_slice(&numerator.to_be_bytes());
        tiff.extend_from_slice(&denominator.to_be_bytes());
    }
    assert_eq!(tiff.len(), 120);
    let mut segment = vec![0xFF, 0xE1];
    segment.extend_from_slice(&((2 + 6 + tiff.len()) as u16).to_be_bytes());
    segment.extend_from_slice(b"Exif\0\0");
    segment.extend(tiff);
    segment
}

#[test]
fn exif_and_gps_are_removed_and_the_orientation_is_applied() {
    // Left half red, right half blue, stored sideways with "rotate 90° clockwise".
    let sideways = RgbImage::from_fn(40, 20, |x, _| {
        if x < 20 {
            Rgb([255, 0, 0])
        } else {
            Rgb([0, 0, 255])
        }
    });
    let plain = jpeg(&sideways);
    let mut with_exif = plain[..2].to_vec();
    with_exif.extend(exif_segment(6));
    with_exif.extend_from_slice(&plain[2..]);
    let gps_latitude_seconds = [0, 0, 0x0B, 0xA3, 0, 0, 0, 0x64];
    assert!(contains(&with_exif, b"Exif\0\0"));
    assert!(contains(&with_exif, &gps_latitude_seconds));

    let prepared = prepare("IMG_2041.jpg", &with_exif).unwrap();
    assert!(!contains(&prepared.data, b"Exif"));
    assert!(!contains(&prepared.data, b"FoxtailTestCam"));
    assert!(!contains(&prepared.data, &gps_latitude_seconds));
    assert!(!contains(&prepared.data, b"MM\0\x2a"));

    // Turned upright: the left of the stored picture is now its top.
    assert_eq!((prepared.width, prepared.height), (20, 40));
    let upright = decoded(&prepared.data).to_rgb8();
    assert!(close_to(upright.get_pixel(10, 5).0, [255, 0, 0]));
    assert!(close_to(upright.get_pixel(10, 35).0, [0, 0, 255]));
}

#[test]
fn a_decompression_bomb_is_refused_by_its_size() {
    let bomb = png_claiming(100_000, 100_000, 8, 2);
    assert!(bomb.len() < 100);
    assert_eq!(
        refusal("bomb.png", &bomb),
        (
            AttachmentProblem::TooLarge,
            "bomb.png is 100,000 × 100,000 pixels; Foxtail takes images up to 12,000 pixels on a side."
                .to_owned()
        )
    );
}

#[test]
fn a_picture_that_would_need_too_much_memory_is_refused() {
    // Within the side limit, but 16-bit RGBA: 12,000² × 8 bytes is over 1 GB.
    let heavy = png_claiming(12_000, 12_000, 16, 6);
    assert_eq!(
        refusal("heavy.png", &heavy),
        (
            AttachmentProblem::TooLarge,
            "heavy.png would need more than 512 MB of memory to open, so Foxtail won't open it. \
             Attach a smaller copy of the picture."
                .to_owned()
        )
    );
}

#[test]
fn a_cut_off_picture_is_unreadable() {
    let noise = RgbaImage::from_fn(200, 200, |x, y| {
        let v = (x.wrapping_mul(7919) ^ y.wrapping_mul(104_729)) as u8;
        Rgba([v, v.rotate_left(3), v.rotate_left(5), 255])
    });
    let whole = png(&noise);
    assert_eq!(
        refusal("cut.png", &whole[..whole.len() / 2]),
        (
            AttachmentProblem::Unreadable,
            "cut.png looks like a PNG image but is damaged or incomplete, so Foxtail can't open it."
                .to_owned()
        )
    );
}

#[test]
fn a_picture_over_the_cap_is_refused_before_it_is_read() {
    let mut big = vec![0u8; (MAX_IMAGE_BYTES + MAX_IMAGE_BYTES / 30) as usize];
    big[..8].copy_from_slice(b"\x89PNG\r\n\x1a\n");
    assert_eq!(
        refusal("poster.png", &big),
        (
            AttachmentProblem::TooLarge,
            "poster.png is 31 MB; Foxtail takes images up to 30 MB.".to_owned()
        )
    );
}

#[test]
fn photo_formats_foxtail_does_not_take_are_named() {
    let heic = b"\0\0\0\x18ftypheic\0\0\0\0mif1heic\0\0\0\0";
    assert_eq!(
        refusal("IMG_0001.HEIC", heic),
        (
            AttachmentProblem::Unsupported,
            format!("IMG_0001.HEIC is a HEIC image, which Foxtail can't read. {ACCEPTED}")
        )
    );
    assert_eq!(
        refusal("IMG_0001.jpg", heic).1,
        format!("IMG_0001.jpg is really a HEIC image, not a JPEG image, so Foxtail can't read it. {ACCEPTED}")
    );
}

#[test]
fn thumbnails_are_small_and_keep_transparency() {
    let photo = RgbImage::from_fn(1200, 800, |x, y| Rgb([(x / 5) as u8, (y / 4) as u8, 60]));
    let prepared = prepare("photo.jpg", &jpeg(&photo)).unwrap();
    let small = thumbnail(&prepared.data, 128).unwrap();
    assert_eq!(image_mime(&small), Some("image/jpeg"));
    let back = decoded(&small);
    assert_eq!((back.width(), back.height()), (128, 85));

    let logo = RgbaImage::from_pixel(300, 300, Rgba([0, 0, 0, 0]));
    let prepared = prepare("logo.png", &png(&logo)).unwrap();
    let small = thumbnail(&prepared.data, 64).unwrap();
    assert_eq!(image_mime(&small), Some("image/png"));
    assert_eq!(decoded(&small).to_rgba8().get_pixel(10, 10).0[3], 0);

    // Never larger than the picture.
    let tiny = thumbnail(&jpeg(&RgbImage::new(20, 10)), 256).unwrap();
    assert_eq!(decoded(&tiny).width(), 20);

    let error = thumbnail(b"not a picture", 64).unwrap_err();
    assert_eq!(error.problem, AttachmentProblem::Unsupported);
}

/// Peak memory of preparing a 12-megapixel photo, measured in a process of its own
/// (the high-water mark is per process, and other tests run alongside this one).
#[cfg(target_os = "linux")]
#[test]
fn a_twelve_megapixel_photo_is_prepared_in_little_memory() {
    let output = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "twelve_megapixel_probe",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let extra_kb: u64 = stdout
        .lines()
        // libtest prints the test's name on the same line.
        .find_map(|line| line.split_once("PEAK_EXTRA_KB=").map(|(_, kb)| kb))
        .expect("the probe reports its peak")
        .trim()
        .parse()
        .unwrap();
    println!(
        "a 12 MP photo took {:.1} MB of extra memory at its peak",
        extra_kb as f64 / 1024.0
    );
    assert!(extra_kb < 100 * 1024, "{extra_kb} KB");
}

#[cfg(target_os = "linux")]
#[test]
#[ignore = "run in a process of its own by a_twelve_megapixel_photo_is_prepared_in_little_memory"]
fn twelve_megapixel_probe() {
    fn status_kb(field: &str) -> u64 {
        let status = std::fs::read_to_string("/proc/self/status").unwrap();
        status
            .lines()
            .find_map(|line| line.strip_prefix(field)?.strip_prefix(':'))
            .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap()
    }
    let photo = {
        let pixels = RgbImage::from_fn(4000, 3000, |x, y| {
            Rgb([
                (x * 255 / 4000) as u8,
                (y * 255 / 3000) as u8,
                ((x + y) % 256) as u8,
            ])
        });
        jpeg(&pixels)
    };
    let before = status_kb("VmRSS");
    // Resets the high-water mark to the present, so what generating the photo cost
    // is not counted.
    std::fs::write("/proc/self/clear_refs", "5").unwrap();
    let prepared = prepare("IMG_0001.jpg", &photo).unwrap();
    let peak = status_kb("VmHWM");
    println!("PEAK_EXTRA_KB={}", peak.saturating_sub(before));
    assert_eq!((prepared.width, prepared.height), (1238, 928));
    assert_eq!(prepared.mime, "image/jpeg");
    assert_eq!(prepared.tokens, 1532); // 1238 × 928 / 750 = 1531.8
}

// --- Documents ------------------------------------------------------------------

#[test]
fn a_text_pdf_gives_its_text_and_page_count() {
    let prepared = prepare("garden report.pdf", &fixture("two-pages.pdf")).unwrap();
    assert_eq!(prepared.kind, AttachmentKind::Document);
    assert_eq!(prepared.mime, "application/pdf");
    assert_eq!(prepared.pages, Some(2));
    assert!(prepared.data.is_empty());
    assert_eq!((prepared.width, prepared.height), (0, 0));
    assert!(prepared.text.starts_with(
        "Foxtail attachment fixture: quarterly garden report.\n\
         Café notes: naïve tomatoes grew well.\n"
    ));
    assert!(prepared.text.contains(
        "Line 01: the marigolds in bed 1 were watered on schedule.\n\
         Line 02: the marigolds in bed 2 were watered on schedule.\n"
    ));
    assert!(prepared
        .text
        .contains("Line 70: the marigolds in bed 70 were watered on schedule."));
    assert!(prepared
        .text
        .ends_with("Second page closing line: the compost is ready."));
    assert_eq!(prepared.tokens, tokens::text_tokens(&prepared.text));
    assert_eq!(prepared.original_bytes, 14_488);
}

#[test]
fn a_pdf_with_no_text_layer_says_it_may_be_a_scan() {
    assert_eq!(
        refusal("scan.pdf", &fixture("scan.pdf")),
        (
            AttachmentProblem::NoText,
            "scan.pdf has no text layer (it may be a scan), so there is no text to give the model."
                .to_owned()
        )
    );
}

#[test]
fn a_password_protected_pdf_is_refused() {
    assert_eq!(
        refusal("contract.pdf", &fixture("encrypted.pdf")),
        (
            AttachmentProblem::Encrypted,
            "contract.pdf is protected with a password, so Foxtail can't read it. \
             Save a copy without the password and attach that."
                .to_owned()
        )
    );
}

#[test]
fn a_pdf_with_only_an_owner_password_is_read() {
    let prepared = prepare("restricted.pdf", &fixture("owner-only.pdf")).unwrap();
    assert_eq!(prepared.pages, Some(2));
    assert!(prepared
        .text
        .ends_with("Second page closing line: the compost is ready."));
}

#[test]
fn a_truncated_pdf_is_unreadable() {
    assert_eq!(
        refusal("download.pdf", &fixture("truncated.pdf")),
        (
            AttachmentProblem::Unreadable,
            "download.pdf is a damaged or incomplete PDF, so Foxtail can't read it.".to_owned()
        )
    );
}

#[test]
fn a_zip_named_pdf_is_called_a_zip() {
    assert_eq!(
        refusal("report.pdf", &fixture("zip-renamed.pdf")),
        (
            AttachmentProblem::Unsupported,
            format!("report.pdf is really a ZIP archive, not a PDF, so Foxtail can't read it. {ACCEPTED}")
        )
    );
    assert_eq!(
        refusal("archive.zip", &fixture("zip-renamed.pdf")).1,
        format!("archive.zip is a ZIP archive, which Foxtail can't read. {ACCEPTED}")
    );
}

#[test]
fn a_pdf_that_makes_the_extractor_panic_is_unreadable() {
    assert_eq!(
        refusal("odd.pdf", &fixture("no-media-box.pdf")),
        (
            AttachmentProblem::Unreadable,
            "Foxtail couldn't read odd.pdf: the PDF is built in a way Foxtail's reader doesn't \
             understand. Try saving a new copy of it and attach that."
                .to_owned()
        )
    );
}

#[test]
fn a_word_document_gives_its_paragraphs_and_table() {
    let prepared = prepare("letter.docx", &fixture("letter.docx")).unwrap();
    assert_eq!(prepared.kind, AttachmentKind::Document);
    assert_eq!(
        prepared.mime,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    );
    assert_eq!(prepared.pages, None);
    assert_eq!(
        prepared.text,
        "Meeting notes\n\
         The first paragraph talks about the garden.\n\
         The second paragraph has split runs and a café.\n\
         Plant\tCount\n\
         Tomato\t12\n\
         Last paragraph after the table."
    );
    assert_eq!(prepared.tokens, tokens::text_tokens(&prepared.text));
}

#[test]
fn a_password_protected_word_document_is_refused() {
    assert_eq!(
        refusal("letter.docx", &fixture("encrypted.docx")),
        (
            AttachmentProblem::Encrypted,
            "letter.docx is protected with a password, so Foxtail can't read it. \
             Save a copy without the password and attach that."
                .to_owned()
        )
    );
}

#[test]
fn a_broken_word_document_is_unreadable() {
    let expected = (
        AttachmentProblem::Unreadable,
        "letter.docx isn't a valid Word document (it may be damaged), so Foxtail can't read it."
            .to_owned(),
    );
    let whole = fixture("letter.docx");
    assert_eq!(refusal("letter.docx", &whole[..whole.len() / 2]), expected);
    // A ZIP with no Word document inside.
    assert_eq!(
        refusal("letter.docx", &fixture("zip-renamed.pdf")),
        expected
    );
}

#[test]
fn utf16_text_with_a_byte_order_mark_is_read() {
    let prepared = prepare("groceries.txt", &fixture("utf16.txt")).unwrap();
    assert_eq!(prepared.mime, "text/plain");
    assert_eq!(
        prepared.text,
        "Grocery list\nミルク 2本\n— eggs, café au lait\n"
    );
    // ミルク and 本 are 4 tokens; the other 40 bytes are 10.
    assert_eq!(prepared.tokens, 14);
}

#[test]
fn text_files_keep_their_lines_and_get_a_type_from_their_name() {
    let markdown = "\u{feff}# Plan\r\n\r\n- one\r\n- two\r\n";
    let prepared = prepare("plan.md", markdown.as_bytes()).unwrap();
    assert_eq!(prepared.text, "# Plan\n\n- one\n- two\n");
    assert_eq!(prepared.mime, "text/markdown");
    assert_eq!(prepare("data.csv", b"a,b\n1,2\n").unwrap().mime, "text/csv");
    assert_eq!(
        prepare("config.json", b"{\"a\": 1}").unwrap().mime,
        "application/json"
    );
    let code = prepare("main.rs", b"fn main() {\n    println!(\"hi\");\n}\n").unwrap();
    assert_eq!(code.mime, "text/plain");
    assert_eq!(code.tokens, 9); // 34 bytes
}

#[test]
fn binary_junk_is_unsupported() {
    let junk: Vec<u8> = (0..=255u8).cycle().take(4096).collect();
    assert_eq!(
        refusal("blob.bin", &junk),
        (
            AttachmentProblem::Unsupported,
            format!("blob.bin isn't a kind of file Foxtail can read. {ACCEPTED}")
        )
    );
    assert_eq!(
        refusal("notes.txt", b"\x7fELF\x02\x01\x01\0").1,
        format!(
            "notes.txt is really a program, not a text file, so Foxtail can't read it. {ACCEPTED}"
        )
    );
}

#[test]
fn an_empty_file_has_no_text() {
    assert_eq!(
        refusal("empty.txt", b""),
        (
            AttachmentProblem::NoText,
            "empty.txt is empty, so there is nothing to give the model.".to_owned()
        )
    );
}

#[test]
fn a_document_over_the_cap_is_refused_before_it_is_read() {
    // Zeroed pages are not touched until written, so this costs no real memory.
    let huge = vec![0u8; 500 * 1024 * 1024];
    assert_eq!(
        refusal("report.pdf", &huge),
        (
            AttachmentProblem::TooLarge,
            "report.pdf is 500 MB; Foxtail takes documents up to 50 MB.".to_owned()
        )
    );
    assert_eq!(MAX_DOCUMENT_BYTES, 50 * 1024 * 1024);
    assert_eq!(MAX_IMAGE_BYTES, 30 * 1024 * 1024);
    assert_eq!(MAX_FILE_BYTES, MAX_DOCUMENT_BYTES);
}

#[test]
fn names_lose_their_folders_and_control_characters() {
    let prepared = prepare("C:\\Users\\ana\\Desktop\\to\u{7}do.txt", b"milk").unwrap();
    assert_eq!(prepared.name, "todo.txt");
    let error = prepare("/home/ana/secret/blob\n.bin", &[0u8, 1, 2]).unwrap_err();
    assert!(
        error.message.starts_with("blob.bin isn't"),
        "{}",
        error.message
    );
}

#[test]
fn identical_content_has_one_id() {
    let pdf = fixture("two-pages.pdf");
    let first = prepare("a.pdf", &pdf).unwrap();
    let second = prepare("renamed copy.pdf", &pdf).unwrap();
    let id = content_id(&first);
    assert_eq!(id.len(), 64);
    assert!(id
        .bytes()
        .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
    assert_eq!(id, content_id(&second));

    let other = prepare("a.pdf", &fixture("owner-only.pdf")).unwrap();
    // The same text, so the same id: what is stored is what is identified.
    assert_eq!(other.text, first.text);
    assert_eq!(content_id(&other), id);

    let different = prepare("b.txt", b"something else").unwrap();
    assert_ne!(content_id(&different), id);

    let picture = jpeg(&RgbImage::from_pixel(30, 30, Rgb([1, 2, 3])));
    let a = prepare("x.jpg", &picture).unwrap();
    let b = prepare("y.jpg", &picture).unwrap();
    assert_eq!(content_id(&a), content_id(&b));
    let c = prepare(
        "z.jpg",
        &jpeg(&RgbImage::from_pixel(30, 30, Rgb([200, 2, 3]))),
    )
    .unwrap();
    assert_ne!(content_id(&a), content_id(&c));
}

#[test]
fn errors_serialize_for_the_window() {
    let error = prepare("empty.txt", b"").unwrap_err();
    assert_eq!(
        serde_json::to_value(&error).unwrap(),
        serde_json::json!({
            "problem": "no_text",
            "message": "empty.txt is empty, so there is nothing to give the model."
        })
    );
    assert_eq!(
        serde_json::to_value(attachments::AttachmentKind::Document).unwrap(),
        "document"
    );
}
