//! How the web view gives memory back on this desktop (WebKitGTK on Linux), and the
//! benchmarks' log of the frames it paints.
//!
//! The choices are made through the environment, which the web process inherits when
//! WebKit starts it, so they must be made before the window (or any thread) exists. A
//! value the person set themselves is never changed.
//!
//! Painting the page without compositing (WEBKIT_DISABLE_COMPOSITING_MODE) was measured
//! too: without a GPU it painted a streaming answer at 1.1x the idle frame instead of
//! 2.5x, but WebDriver commands in the attachments test then hung, so it is not chosen.

use std::ffi::OsString;

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

/// The variables to set, given what is set already.
fn choices(current: impl Fn(&str) -> Option<OsString>) -> Vec<(&'static str, &'static str)> {
    let mut set = Vec::new();
    if current(MMAP_THRESHOLD).is_none() && current(GLIBC_TUNABLES).is_none() {
        set.push((MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES));
    }
    if current(FULL_GC_TIMER).is_none() {
        set.push((FULL_GC_TIMER, FULL_GC_TIMER_SHARE));
    }
    set
}

/// Call first thing in `main`, while the process has one thread.
pub fn prepare() {
    #[cfg(target_os = "linux")]
    for (name, value) in choices(|name| std::env::var_os(name)) {
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
            choices(set(&[])),
            [
                (MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES),
                (FULL_GC_TIMER, FULL_GC_TIMER_SHARE)
            ]
        );
    }

    #[test]
    fn what_the_person_set_is_kept() {
        assert_eq!(
            choices(set(&[(MMAP_THRESHOLD, "65536"), (FULL_GC_TIMER, "0.01")])),
            []
        );
        assert_eq!(
            choices(set(&[(GLIBC_TUNABLES, "glibc.malloc.arena_max=2")])),
            [(FULL_GC_TIMER, FULL_GC_TIMER_SHARE)]
        );
    }
}
