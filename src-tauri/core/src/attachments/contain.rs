//! A parser that panics on a strange file must cost that one attachment, not the app.
//! PDF readers in particular `unwrap` their way through malformed fonts and streams.
//!
//! This only works where panics unwind. A build with `panic = "abort"` turns every
//! such panic into the end of the process, whatever is caught here; the only defence
//! there is a separate process.

use std::panic::{catch_unwind, AssertUnwindSafe};

use super::error::{AttachmentError, AttachmentProblem};

/// Runs `read`, turning a panic into an `Unreadable` error for `name`. `what` names
/// the kind of file for the message ("PDF", "Word document").
pub(crate) fn contain<T>(
    name: &str,
    what: &str,
    read: impl FnOnce() -> Result<T, AttachmentError>,
) -> Result<T, AttachmentError> {
    // Nothing the closure touches outlives it except through its result, so a panic
    // can't leave shared state half-changed.
    catch_unwind(AssertUnwindSafe(read)).unwrap_or_else(|_| {
        Err(AttachmentError::new(
            AttachmentProblem::Unreadable,
            format!(
                "Foxtail couldn't read {name}: the {what} is built in a way Foxtail's reader \
                 doesn't understand. Try saving a new copy of it and attach that."
            ),
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panicking_reader_becomes_unreadable() {
        let result: Result<(), _> = contain("odd.pdf", "PDF", || panic!("unexpected font"));
        let error = result.unwrap_err();
        assert_eq!(error.problem, AttachmentProblem::Unreadable);
        assert_eq!(
            error.message,
            "Foxtail couldn't read odd.pdf: the PDF is built in a way Foxtail's reader \
             doesn't understand. Try saving a new copy of it and attach that."
        );
    }

    #[test]
    fn results_pass_through() {
        assert_eq!(contain("a.pdf", "PDF", || Ok(7)), Ok(7));
        let refused = AttachmentError::encrypted("a.pdf");
        assert_eq!(
            contain::<()>("a.pdf", "PDF", || Err(refused.clone())),
            Err(refused)
        );
    }
}
