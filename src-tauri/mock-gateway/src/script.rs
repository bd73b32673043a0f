//! Everything one gateway answers: the chat replies for each protocol and the model
//! lists.

use crate::models::models_reply;
use crate::reply::Reply;

/// The n-th chat request gets the n-th reply of its protocol's list (the last one again
/// once the list runs out). The protocol is read from the path: `…/v1/messages` is
/// Anthropic, anything else OpenAI; a model list request with an `anthropic-version`
/// header is Anthropic's.
#[derive(Debug, Clone)]
pub struct Script {
    pub openai: Vec<Reply>,
    pub anthropic: Vec<Reply>,
    pub openai_models: Reply,
    pub anthropic_models: Reply,
}

impl Script {
    /// The same chat replies whatever the path, for tests that script one protocol.
    pub fn same(replies: Vec<Reply>) -> Self {
        Script {
            openai: replies.clone(),
            anthropic: replies,
            openai_models: models_reply(false),
            anthropic_models: models_reply(true),
        }
    }

    pub(crate) fn chat(&self, anthropic: bool, n: usize) -> &Reply {
        let replies = if anthropic {
            &self.anthropic
        } else {
            &self.openai
        };
        &replies[n.min(replies.len() - 1)]
    }

    pub(crate) fn models(&self, anthropic: bool) -> &Reply {
        if anthropic {
            &self.anthropic_models
        } else {
            &self.openai_models
        }
    }
}
