//! What both protocols' request bodies share.

use serde_json::Value;

/// Both APIs reject tool arguments that are not an object; arguments that arrived cut
/// off (`null`) are sent as `{}`, and their error result tells the model what happened.
pub(crate) fn tool_arguments(arguments: &Value) -> Value {
    if arguments.is_object() {
        arguments.clone()
    } else {
        Value::Object(Default::default())
    }
}
