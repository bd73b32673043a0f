//! One registry of everything the model is writing now, answers and drafts, so that
//! Stop can reach each one and nothing starts a second writer into the same place.

use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Mutex;

use foxtail_engine::CancellationToken;

/// What is being written: an answer (by its message id) or a draft (by its run id).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Run {
    Answer(i64),
    Draft(i64),
}

#[derive(Default)]
pub struct Runs {
    running: Mutex<HashMap<Run, CancellationToken>>,
    last_draft: AtomicI64,
}

impl Runs {
    fn running(&self) -> std::sync::MutexGuard<'_, HashMap<Run, CancellationToken>> {
        self.running.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Registers `run` and returns the token that stops it.
    pub fn start(&self, run: Run) -> CancellationToken {
        let token = CancellationToken::new();
        self.running().insert(run, token.clone());
        token
    }

    /// A new draft run id, registered as running.
    pub fn start_draft(&self) -> (i64, CancellationToken) {
        let id = self.last_draft.fetch_add(1, Ordering::Relaxed) + 1;
        (id, self.start(Run::Draft(id)))
    }

    pub fn end(&self, run: Run) {
        self.running().remove(&run);
    }

    pub fn is_running(&self, run: Run) -> bool {
        self.running().contains_key(&run)
    }

    /// Stops `run` at once; returns whether it was running.
    pub fn stop(&self, run: Run) -> bool {
        match self.running().get(&run) {
            Some(token) => {
                token.cancel();
                true
            }
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_reaches_only_the_run_it_names() {
        let runs = Runs::default();
        let answer = runs.start(Run::Answer(7));
        let (draft_id, draft) = runs.start_draft();
        assert_eq!(draft_id, 1);
        assert!(!runs.stop(Run::Answer(8)));
        assert!(
            !runs.stop(Run::Draft(7)),
            "ids of answers and drafts never mix"
        );
        assert!(runs.stop(Run::Answer(7)));
        assert!(answer.is_cancelled() && !draft.is_cancelled());
        runs.end(Run::Answer(7));
        assert!(!runs.is_running(Run::Answer(7)));
        assert!(runs.is_running(Run::Draft(1)));
        assert_eq!(runs.start_draft().0, 2);
    }
}
