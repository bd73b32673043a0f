//! `--attach`: files prepared as the app prepares them, in each protocol's shape.

mod common;

use common::{cli, output, start, stderr, stdout};
use serde_json::Value;

fn fixture(name: &str) -> String {
    format!(
        "{}/../core/tests/fixtures/attachments/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn attached_files_reach_the_model_in_each_protocols_shape() {
    let dir = tempfile::tempdir().unwrap();
    let photo = dir.path().join("photo.png");
    image::RgbaImage::from_fn(64, 48, |x, _| image::Rgba([x as u8 * 4, 10, 200, 128]))
        .save(&photo)
        .unwrap();
    for anthropic in [false, true] {
        let gateway = start("ok", anthropic).await;
        let protocol = if anthropic { "anthropic" } else { "openai" };
        let o = output(cli(&gateway, &["--protocol", protocol]).args([
            "--attach",
            &fixture("two-pages.pdf"),
            "--attach",
            photo.to_str().unwrap(),
            "What is in these?",
        ]));
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert!(!stdout(&o).is_empty());
        let body: Value = serde_json::from_slice(&gateway.requests()[0].body).unwrap();
        let parts = body["messages"][0]["content"].as_array().unwrap().clone();
        assert_eq!(parts.len(), 2, "{parts:?}");
        // The picture has transparency, so it stays a PNG.
        if anthropic {
            assert_eq!(parts[0]["type"], "image");
            assert_eq!(parts[0]["source"]["media_type"], "image/png");
        } else {
            assert_eq!(parts[0]["type"], "image_url");
            assert!(parts[0]["image_url"]["url"]
                .as_str()
                .unwrap()
                .starts_with("data:image/png;base64,"));
        }
        let text = parts[1]["text"].as_str().unwrap();
        assert!(
            text.starts_with("The person attached the file two-pages.pdf (2 pages)."),
            "{text}"
        );
        assert!(text.ends_with("</document>\n\nWhat is in these?"), "{text}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_that_cannot_be_attached_is_refused_before_sending() {
    let gateway = start("ok", false).await;
    for (file, words) in [
        ("scan.pdf", "no text layer"),
        ("encrypted.pdf", "password"),
        ("zip-renamed.pdf", "ZIP"),
    ] {
        let o = output(&mut cli(&gateway, &["--attach", &fixture(file), "Read it"]));
        assert_eq!(o.status.code(), Some(2), "{file}");
        assert!(stderr(&o).contains(words), "{file}: {}", stderr(&o));
    }
    assert!(gateway.requests().is_empty());
}
