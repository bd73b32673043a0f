//! Who decides whether a call runs. The rules: a tool the person set to "allow" runs;
//! one set to "ask" asks; otherwise a call asks unless its tool says it only reads and
//! its server may run such tools unasked. "Allow in this chat" holds for one
//! conversation, "Always allow" becomes the tool's rule, and a tool that says it
//! destroys things is never made "always" from a card, only in Settings by hand.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, Mutex};

use futures_util::future::BoxFuture;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tokio::sync::oneshot;
use ts_rs::TS;

/// A tool's standing rule, set in Settings or by "Always allow".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ToolRule {
    Ask,
    Allow,
}

/// The person's answer on a call's card.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Once,
    Chat,
    Always,
    Deny,
}

/// A call waiting for the person.
#[derive(Debug, Clone)]
pub struct Question {
    pub call_id: String,
    /// The server's name.
    pub server: String,
    pub tool: String,
    pub arguments: Value,
    pub destructive: bool,
}

/// How a question reaches the person: the window's card, a terminal prompt, or
/// `--yes`.
pub trait Asker: Send + Sync {
    fn ask(&self, question: Question) -> BoxFuture<'static, Decision>;
}

/// Every call allowed (`foxtail-cli --yes`).
pub struct AllowAll;

impl Asker for AllowAll {
    fn ask(&self, _: Question) -> BoxFuture<'static, Decision> {
        Box::pin(async { Decision::Once })
    }
}

/// Questions waiting for the window's answer, by call id.
#[derive(Default)]
pub struct WindowAsker {
    waiting: Mutex<HashMap<String, oneshot::Sender<Decision>>>,
}

impl WindowAsker {
    /// Gives the person's answer to the call `call_id`; false when no call waits.
    pub fn answer(&self, call_id: &str, decision: Decision) -> bool {
        let waiting = self.waiting.lock().map(|mut w| w.remove(call_id));
        match waiting {
            Ok(Some(sender)) => sender.send(decision).is_ok(),
            _ => false,
        }
    }
}

impl Asker for Arc<WindowAsker> {
    fn ask(&self, question: Question) -> BoxFuture<'static, Decision> {
        let (sender, receiver) = oneshot::channel();
        if let Ok(mut waiting) = self.waiting.lock() {
            // Questions of stopped answers wait for no one any more.
            waiting.retain(|_, sender| !sender.is_closed());
            waiting.insert(question.call_id, sender);
        }
        // An answer that never comes (the run was stopped) counts as no.
        Box::pin(async move { receiver.await.unwrap_or(Decision::Deny) })
    }
}

/// What a tool says of itself.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, TS)]
pub struct Hints {
    pub read_only: bool,
    pub destructive: bool,
}

/// The key a tool's rule is filed under.
pub fn rule_key(server_id: &str, tool: &str) -> String {
    format!("{server_id}/{tool}")
}

/// The rules and allowances in force, and how to ask. One for the app (or the CLI
/// run); the tools of each answer consult it.
pub struct Approvals {
    asker: Box<dyn Asker>,
    rules: Mutex<BTreeMap<String, ToolRule>>,
    /// (conversation, rule key) pairs allowed in that chat.
    chats: Mutex<HashSet<(i64, String)>>,
    /// Saves the rules when "Always allow" changed them.
    remember: Box<dyn Fn(BTreeMap<String, ToolRule>) + Send + Sync>,
}

impl Approvals {
    pub fn new(
        asker: impl Asker + 'static,
        remember: impl Fn(BTreeMap<String, ToolRule>) + Send + Sync + 'static,
    ) -> Self {
        Approvals {
            asker: Box::new(asker),
            rules: Mutex::default(),
            chats: Mutex::default(),
            remember: Box::new(remember),
        }
    }

    /// The rules as saved in the settings (read before each answer).
    pub fn set_rules(&self, rules: BTreeMap<String, ToolRule>) {
        if let Ok(mut mine) = self.rules.lock() {
            *mine = rules;
        }
    }

    /// Whether a call must wait for the person.
    pub fn must_ask(
        &self,
        conversation: Option<i64>,
        key: &str,
        hints: Hints,
        auto_read_only: bool,
    ) -> bool {
        let chat_allowed = conversation.is_some_and(|id| {
            self.chats
                .lock()
                .is_ok_and(|chats| chats.contains(&(id, key.to_owned())))
        });
        if chat_allowed {
            return false;
        }
        match self.rules.lock().ok().and_then(|r| r.get(key).copied()) {
            Some(ToolRule::Allow) => false,
            Some(ToolRule::Ask) => true,
            None => !(hints.read_only && !hints.destructive && auto_read_only),
        }
    }

    /// Asks the person about a call, and keeps what the answer says for later calls.
    /// Returns whether the call may run.
    pub async fn ask(&self, conversation: Option<i64>, key: &str, question: Question) -> bool {
        let destructive = question.destructive;
        let decision = self.asker.ask(question).await;
        match decision {
            Decision::Deny => false,
            Decision::Once => true,
            Decision::Always if !destructive => {
                self.always(key);
                true
            }
            // A destructive tool is made "always" only by hand, in Settings: from its
            // card, "always" holds for this chat.
            Decision::Chat | Decision::Always => {
                if let (Some(id), Ok(mut chats)) = (conversation, self.chats.lock()) {
                    chats.insert((id, key.to_owned()));
                }
                true
            }
        }
    }

    fn always(&self, key: &str) {
        let rules = match self.rules.lock() {
            Ok(mut rules) => {
                rules.insert(key.to_owned(), ToolRule::Allow);
                rules.clone()
            }
            Err(_) => return,
        };
        (self.remember)(rules);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Answer(Decision);
    impl Asker for Answer {
        fn ask(&self, _: Question) -> BoxFuture<'static, Decision> {
            let decision = self.0;
            Box::pin(async move { decision })
        }
    }

    fn question(destructive: bool) -> Question {
        Question {
            call_id: "c".into(),
            server: "S".into(),
            tool: "t".into(),
            arguments: Value::Null,
            destructive,
        }
    }

    const PLAIN: Hints = Hints {
        read_only: false,
        destructive: false,
    };
    const READ: Hints = Hints {
        read_only: true,
        destructive: false,
    };
    const DESTROY: Hints = Hints {
        read_only: false,
        destructive: true,
    };

    #[tokio::test]
    async fn answers_hold_for_one_call_one_chat_or_always() {
        let saved = Arc::new(Mutex::new(BTreeMap::new()));
        let keep = saved.clone();
        let remember = move |rules| *keep.lock().unwrap() = rules;
        let approvals = Approvals::new(Answer(Decision::Chat), remember.clone());
        assert!(approvals.must_ask(Some(1), "s/t", PLAIN, false));
        assert!(approvals.ask(Some(1), "s/t", question(false)).await);
        assert!(!approvals.must_ask(Some(1), "s/t", PLAIN, false));
        assert!(
            approvals.must_ask(Some(2), "s/t", PLAIN, false),
            "another chat"
        );

        let approvals = Approvals::new(Answer(Decision::Always), remember);
        assert!(approvals.ask(Some(1), "s/t", question(false)).await);
        assert!(!approvals.must_ask(Some(2), "s/t", PLAIN, false));
        assert_eq!(saved.lock().unwrap()["s/t"], ToolRule::Allow);

        let approvals = Approvals::new(Answer(Decision::Deny), |_| {});
        assert!(!approvals.ask(Some(1), "s/t", question(false)).await);
        assert!(approvals.must_ask(Some(1), "s/t", PLAIN, false));
    }

    #[tokio::test]
    async fn destructive_tools_always_ask_unless_set_by_hand() {
        let saved = Arc::new(Mutex::new(BTreeMap::new()));
        let keep = saved.clone();
        let approvals = Approvals::new(Answer(Decision::Always), move |rules| {
            *keep.lock().unwrap() = rules
        });
        assert!(approvals.must_ask(Some(1), "s/rm", DESTROY, true));
        assert!(approvals.ask(Some(1), "s/rm", question(true)).await);
        assert!(saved.lock().unwrap().is_empty(), "not made always");
        assert!(approvals.must_ask(Some(2), "s/rm", DESTROY, true));
        approvals.set_rules(BTreeMap::from([("s/rm".to_owned(), ToolRule::Allow)]));
        assert!(!approvals.must_ask(Some(2), "s/rm", DESTROY, true));
    }

    #[test]
    fn read_only_tools_run_unasked_only_where_the_server_allows_it() {
        let approvals = Approvals::new(AllowAll, |_| {});
        assert!(!approvals.must_ask(None, "s/r", READ, true));
        assert!(approvals.must_ask(None, "s/r", READ, false));
        approvals.set_rules(BTreeMap::from([("s/r".to_owned(), ToolRule::Ask)]));
        assert!(approvals.must_ask(None, "s/r", READ, true));
    }

    #[tokio::test]
    async fn the_window_answers_by_call_id_and_silence_is_no() {
        let window = Arc::new(WindowAsker::default());
        let asking = window.ask(question(false));
        assert!(!window.answer("other", Decision::Once));
        assert!(window.answer("c", Decision::Once));
        assert_eq!(asking.await, Decision::Once);
        let asking = window.ask(question(false));
        window.waiting.lock().unwrap().clear();
        assert_eq!(asking.await, Decision::Deny);
    }
}
