use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

/// Everything that can end a stream without a finished answer.
///
/// Messages keep the provider's own words: they are shown to people, who can act on
/// "Your credit balance is too low" but not on "HTTP 400". No variant ever holds the API
/// key; request headers are never formatted into a message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    #[error("{message}")]
    Auth {
        message: String,
        status: Option<u16>,
    },
    #[error("{message}")]
    RateLimit {
        message: String,
        status: Option<u16>,
    },
    #[error("{message}")]
    Server {
        message: String,
        status: Option<u16>,
    },
    #[error("{message}")]
    Network { message: String },
    #[error("{message}")]
    Timeout { message: String },
    #[error("{message}")]
    BadRequest {
        message: String,
        status: Option<u16>,
    },
    #[error("{message}")]
    Protocol { message: String },
    /// The gateway answered with a redirect (3xx). It is not followed: the request
    /// carries the key and the conversation, which go only to the address that was set.
    #[error("{message}")]
    Redirect {
        message: String,
        status: Option<u16>,
    },
    #[error("{message}")]
    Interrupted { message: String },
    #[error("{message}")]
    Cancelled { message: String },
    /// The model kept asking for tools past the step limit of the tool loop, or asked
    /// for more tools in one turn than [`crate::Options::max_tool_calls`].
    #[error("{message}")]
    ToolLimit { message: String },
    /// The answer went past a size limit: one tool call's arguments
    /// ([`crate::Options::max_tool_argument_bytes`]) or the whole answer
    /// ([`crate::Options::max_answer_bytes`]). The message says which.
    #[error("{message}")]
    TooLarge { message: String },
    /// A file of tool declarations that cannot be used.
    #[error("{message}")]
    ToolFile { message: String },
}

impl Error {
    /// Every word `kind` can return, for the app's check that it knows each one.
    pub const KINDS: &'static [&'static str] = &[
        "auth",
        "rate_limit",
        "server",
        "network",
        "timeout",
        "bad_request",
        "protocol",
        "redirect",
        "interrupted",
        "cancelled",
        "tool_limit",
        "too_large",
        "tool_file",
    ];

    /// The wire name of the variant, as in `error {kind}` events.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::Auth { .. } => "auth",
            Error::RateLimit { .. } => "rate_limit",
            Error::Server { .. } => "server",
            Error::Network { .. } => "network",
            Error::Timeout { .. } => "timeout",
            Error::BadRequest { .. } => "bad_request",
            Error::Protocol { .. } => "protocol",
            Error::Redirect { .. } => "redirect",
            Error::Interrupted { .. } => "interrupted",
            Error::Cancelled { .. } => "cancelled",
            Error::ToolLimit { .. } => "tool_limit",
            Error::TooLarge { .. } => "too_large",
            Error::ToolFile { .. } => "tool_file",
        }
    }

    pub fn message(&self) -> &str {
        match self {
            Error::Auth { message, .. }
            | Error::RateLimit { message, .. }
            | Error::Server { message, .. }
            | Error::Network { message }
            | Error::Timeout { message }
            | Error::BadRequest { message, .. }
            | Error::Protocol { message }
            | Error::Redirect { message, .. }
            | Error::Interrupted { message }
            | Error::Cancelled { message }
            | Error::ToolLimit { message }
            | Error::TooLarge { message }
            | Error::ToolFile { message } => message,
        }
    }

    /// The HTTP status the gateway answered with, when the error came from one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Auth { status, .. }
            | Error::RateLimit { status, .. }
            | Error::Server { status, .. }
            | Error::BadRequest { status, .. }
            | Error::Redirect { status, .. } => *status,
            _ => None,
        }
    }

    pub(crate) fn protocol(message: impl Into<String>) -> Self {
        Error::Protocol {
            message: message.into(),
        }
    }

    pub(crate) fn network(message: impl Into<String>) -> Self {
        Error::Network {
            message: message.into(),
        }
    }

    pub(crate) fn unsendable_key() -> Self {
        Error::Auth {
            message: "the API key contains characters that cannot be sent".into(),
            status: None,
        }
    }

    /// A redirect to `location` (the `Location` header, when there was one).
    pub(crate) fn redirect(status: u16, location: Option<&str>) -> Self {
        let to = match location.map(str::trim).filter(|l| !l.is_empty()) {
            Some(location) => format!(" ({})", crate::text::preview(location)),
            None => String::new(),
        };
        Error::Redirect {
            message: format!(
                "The gateway tried to redirect the request to another address{to}; Foxtail \
                 does not follow redirects so your key is only sent where you set it."
            ),
            status: Some(status),
        }
    }

    pub(crate) fn tool_limit(steps: usize) -> Self {
        Error::ToolLimit {
            message: format!(
                "The model asked for tools {steps} times without answering, so Foxtail stopped it."
            ),
        }
    }

    pub(crate) fn too_many_tool_calls(limit: usize) -> Self {
        Error::ToolLimit {
            message: format!(
                "The model asked for more than {limit} tools at once, so Foxtail stopped the \
                 answer. The text so far is kept."
            ),
        }
    }

    pub(crate) fn tool_call_too_large(limit: usize) -> Self {
        Error::TooLarge {
            message: format!(
                "The model wrote more than {} for one tool call, so Foxtail stopped the \
                 answer. The text so far is kept.",
                size(limit)
            ),
        }
    }

    pub(crate) fn answer_too_large(limit: usize) -> Self {
        Error::TooLarge {
            message: format!(
                "The answer grew past {}, so Foxtail stopped it. The text so far is kept.",
                size(limit)
            ),
        }
    }

    pub(crate) fn tool_file(message: impl Into<String>) -> Self {
        Error::ToolFile {
            message: message.into(),
        }
    }

    pub(crate) fn cancelled() -> Self {
        Error::Cancelled {
            message: "cancelled".into(),
        }
    }

    /// Maps an HTTP status and the provider's message to the error people see.
    pub(crate) fn from_status(status: u16, message: String) -> Self {
        let status_some = Some(status);
        match status {
            401 | 403 => Error::Auth {
                message,
                status: status_some,
            },
            429 => Error::RateLimit {
                message,
                status: status_some,
            },
            408 => Error::Timeout { message },
            s if s >= 500 => Error::Server {
                message,
                status: status_some,
            },
            // 409 is retried like a server hiccup (a conflicting request still in flight).
            409 => Error::Server {
                message,
                status: status_some,
            },
            _ => Error::BadRequest {
                message,
                status: status_some,
            },
        }
    }
}

/// A limit in bytes as people read it: `32 MiB`, `64 KiB`, `1000 bytes`.
fn size(bytes: usize) -> String {
    const KIB: usize = 1024;
    const MIB: usize = 1024 * KIB;
    if bytes >= MIB && bytes.is_multiple_of(MIB) {
        format!("{} MiB", bytes / MIB)
    } else if bytes >= KIB && bytes.is_multiple_of(KIB) {
        format!("{} KiB", bytes / KIB)
    } else if bytes == 1 {
        "1 byte".into()
    } else {
        format!("{bytes} bytes")
    }
}

impl Serialize for Error {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let status = self.status();
        let mut map = serializer.serialize_map(Some(2 + usize::from(status.is_some())))?;
        map.serialize_entry("kind", self.kind())?;
        map.serialize_entry("message", self.message())?;
        if let Some(status) = status {
            map.serialize_entry("status", &status)?;
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_is_listed() {
        let message = String::new;
        let errors = [
            Error::Auth {
                message: message(),
                status: None,
            },
            Error::RateLimit {
                message: message(),
                status: None,
            },
            Error::Server {
                message: message(),
                status: None,
            },
            Error::Network { message: message() },
            Error::Timeout { message: message() },
            Error::BadRequest {
                message: message(),
                status: None,
            },
            Error::Protocol { message: message() },
            Error::Redirect {
                message: message(),
                status: None,
            },
            Error::Interrupted { message: message() },
            Error::Cancelled { message: message() },
            Error::ToolLimit { message: message() },
            Error::TooLarge { message: message() },
            Error::ToolFile { message: message() },
        ];
        let kinds: Vec<&str> = errors.iter().map(Error::kind).collect();
        assert_eq!(kinds, Error::KINDS);
    }

    #[test]
    fn limits_are_said_in_plain_words() {
        assert_eq!(size(32 * 1024 * 1024), "32 MiB");
        assert_eq!(size(64 * 1024), "64 KiB");
        assert_eq!(size(1536), "1536 bytes");
        assert_eq!(size(1), "1 byte");
        let error = Error::too_many_tool_calls(32);
        assert_eq!(error.kind(), "tool_limit");
        assert_eq!(
            error.message(),
            "The model asked for more than 32 tools at once, so Foxtail stopped the answer. \
             The text so far is kept."
        );
        let error = Error::tool_call_too_large(1024 * 1024);
        assert_eq!(error.kind(), "too_large");
        assert_eq!(
            error.message(),
            "The model wrote more than 1 MiB for one tool call, so Foxtail stopped the \
             answer. The text so far is kept."
        );
        let error = Error::answer_too_large(32 * 1024 * 1024);
        assert_eq!(error.kind(), "too_large");
        assert_eq!(
            error.message(),
            "The answer grew past 32 MiB, so Foxtail stopped it. The text so far is kept."
        );
    }
}
