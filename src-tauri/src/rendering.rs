//! How the web view paints and gives memory back on this desktop (WebKitGTK on Linux),
//! and the benchmarks' log of the frames it paints.
//!
//! The choices are made through the environment, which the web process inherits when
//! WebKit starts it, so they must be made before the window (or any thread) exists. A
//! value the person set themselves is never changed.

use std::ffi::OsString;

/// WebKitGTK composites the page with OpenGL. Without a GPU that OpenGL is Mesa's
/// software rasterizer, and in the real window (Xvfb, no GPU) a streaming answer then
/// painted at 2.5x the idle frame instead of 1.1x, and the idle window held about 75 MB
/// more than when the page is painted directly, which is what this turns on.
const COMPOSITING_OFF: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";

/// glibc raises its threshold for giving large blocks their own mapping each time such a
/// block is freed, so painting buffers soon come from the heap, and the heap keeps the
/// memory after the answer: about 100 MB in the web process after one long answer.
/// A fixed threshold (glibc's default starting value) turns the raising off.
const MMAP_THRESHOLD: &str = "MALLOC_MMAP_THRESHOLD_";
const MMAP_THRESHOLD_BYTES: &str = "131072";
/// Tunables set this way take precedence over MALLOC_MMAP_THRESHOLD_; whoever sets them
/// has chosen their own.
const GLIBC_TUNABLES: &str = "GLIBC_TUNABLES";

/// JavaScriptCore times its full collections by how much JavaScript allocated since the
/// last one; the DOM nodes a page makes and drops are not counted. A streaming answer
/// makes its garbage mostly as DOM (its unfinished block is rendered again every frame),
/// so that collection came tens of seconds late: 30 s after a long answer the web process
/// still held about 190 MB more than it needed (measured with the page painted directly;
/// about 60 MB with this). The option is the share of a CPU the collector may take per
/// MB allocated before it runs.
const FULL_GC_TIMER: &str = "JSC_percentCPUPerMBForFullTimer";
const FULL_GC_TIMER_SHARE: &str = "0.1";

// Not chosen: `JSC_forceMiniVMMode=1`. It made every collection full and WebKit's
// allocator give memory back at once, which kept a long answer's memory near the target,
// but typing while a draft streams into a document took up to twice as long to appear
// (README, "A seventh run"). Nor `JSC_useDFGJIT=0`: without the optimizing compiler every
// part kept 12 to 28 MB less, but a key typed while a draft streams into a long document
// took up to 190 ms to appear (README, "A thirteenth run").

/// The variables to set, given whether a GPU is there and what is set already.
fn choices(
    has_gpu: bool,
    current: impl Fn(&str) -> Option<OsString>,
) -> Vec<(&'static str, &'static str)> {
    let mut set = Vec::new();
    if !has_gpu && current(COMPOSITING_OFF).is_none() {
        set.push((COMPOSITING_OFF, "1"));
    }
    if current(MMAP_THRESHOLD).is_none() && current(GLIBC_TUNABLES).is_none() {
        set.push((MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES));
    }
    if current(FULL_GC_TIMER).is_none() {
        set.push((FULL_GC_TIMER, FULL_GC_TIMER_SHARE));
    }
    set
}

/// Mesa renders on the GPU through a DRM render node; without one, OpenGL is software.
#[cfg(target_os = "linux")]
fn has_gpu() -> bool {
    std::fs::read_dir("/dev/dri")
        .map(|entries| {
            entries
                .flatten()
                .any(|entry| entry.file_name().to_string_lossy().starts_with("renderD"))
        })
        .unwrap_or(false)
}

/// Call first thing in `main`, while the process has one thread.
pub fn prepare() {
    #[cfg(target_os = "linux")]
    for (name, value) in choices(has_gpu(), |name| std::env::var_os(name)) {
        std::env::set_var(name, value);
    }
}

/// Benchmarks only: with `FOXTAIL_FRAME_LOG` set to a file, the time of every frame the
/// window paints (GLib's monotonic clock, µs) is appended to it. `requestAnimationFrame`
/// in the page counts the page's own updates, which WebKit may run faster or slower
/// than it paints; the window's paints are what reaches the screen.
pub fn log_frames<R: tauri::Runtime>(window: &tauri::WebviewWindow<R>) {
    #[cfg(target_os = "linux")]
    if let Some(path) = std::env::var_os("FOXTAIL_FRAME_LOG") {
        use gtk::prelude::*;
        use std::io::Write;
        let Ok(file) = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
        else {
            return;
        };
        if let Ok(gtk_window) = window.gtk_window() {
            gtk_window.connect_draw(move |_, _| {
                // A File is written through a shared reference; draw handlers are Fn.
                let _ = writeln!(&file, "{}", gtk::glib::monotonic_time());
                gtk::glib::Propagation::Proceed
            });
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = window;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<OsString> {
        let vars: Vec<(String, String)> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name| vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.into())
    }

    #[test]
    fn memory_is_given_back_by_default() {
        assert_eq!(
            choices(true, set(&[])),
            [
                (MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES),
                (FULL_GC_TIMER, FULL_GC_TIMER_SHARE)
            ]
        );
    }

    #[test]
    fn without_a_gpu_the_page_is_painted_directly() {
        assert_eq!(
            choices(false, set(&[])),
            [
                (COMPOSITING_OFF, "1"),
                (MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES),
                (FULL_GC_TIMER, FULL_GC_TIMER_SHARE)
            ]
        );
    }

    #[test]
    fn what_the_person_set_is_kept() {
        assert_eq!(
            choices(
                false,
                set(&[
                    (COMPOSITING_OFF, "0"),
                    (MMAP_THRESHOLD, "65536"),
                    (FULL_GC_TIMER, "0.01")
                ])
            ),
            []
        );
        assert_eq!(
            choices(true, set(&[(GLIBC_TUNABLES, "glibc.malloc.arena_max=2")])),
            [(FULL_GC_TIMER, FULL_GC_TIMER_SHARE)]
        );
    }
}
