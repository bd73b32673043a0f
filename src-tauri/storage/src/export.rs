use crate::{MessageStatus, Role, Storage, StorageError};

impl Storage {
    /// The conversation as a Markdown document: a heading, then each message under
    /// its speaker, with cut-off answers marked as such.
    pub fn export_markdown(&self, conversation_id: i64) -> Result<String, StorageError> {
        self.export_markdown_with(conversation_id, |_| String::new())
    }

    /// [`Storage::export_markdown`], with what `after` gives for each message (by id)
    /// written after its text: the app links the message's attachments there.
    pub fn export_markdown_with(
        &self,
        conversation_id: i64,
        after: impl Fn(i64) -> String,
    ) -> Result<String, StorageError> {
        let conversation = self.conversation(conversation_id)?;
        let mut out = format!("# {}\n", conversation.title);
        for message in self.messages(conversation_id)? {
            let speaker = match message.role {
                Role::User => "You".to_string(),
                Role::Assistant => match &message.model {
                    Some(model) => format!("Assistant ({model})"),
                    None => "Assistant".to_string(),
                },
            };
            out.push_str(&format!(
                "\n## {speaker}\n\n{}\n",
                message.content.trim_end()
            ));
            out.push_str(&after(message.id));
            match message.status {
                MessageStatus::Interrupted | MessageStatus::Streaming => {
                    out.push_str("\n*(This answer was cut off.)*\n")
                }
                MessageStatus::Cancelled => out.push_str("\n*(Stopped.)*\n"),
                MessageStatus::Error => out.push_str("\n*(This answer ended with an error.)*\n"),
                MessageStatus::Complete => {}
            }
        }
        Ok(out)
    }
}
