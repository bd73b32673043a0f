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
    #[error("{message}")]
    Interrupted { message: String },
    #[error("{message}")]
    Cancelled { message: String },
    /// The model kept asking for tools past the step limit of the tool loop.
    #[error("{message}")]
    ToolLimit { message: String },
    /// A file of tool declarations that cannot be used.
    #[error("{message}")]
    ToolFile { message: String },
}

impl Error {
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
            Error::Interrupted { .. } => "interrupted",
            Error::Cancelled { .. } => "cancelled",
            Error::ToolLimit { .. } => "tool_limit",
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
            | Error::Interrupted { message }
            | Error::Cancelled { message }
            | Error::ToolLimit { message }
            | Error::ToolFile { message } => message,
        }
    }

    /// The HTTP status the gateway answered with, when the error came from one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Auth { status, .. }
            | Error::RateLimit { status, .. }
            | Error::Server { status, .. }
            | Error::BadRequest { status, .. } => *status,
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

    pub(crate) fn tool_limit(steps: usize) -> Self {
        Error::ToolLimit {
            message: format!(
                "The model asked for tools {steps} times without answering, so Foxtail stopped it."
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
