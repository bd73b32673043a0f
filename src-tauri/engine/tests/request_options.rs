//! What prompt caching and reasoning add to each protocol's request body.

use foxtail_engine::{
    ChatRequest, Message, Part, Protocol, ReasoningEffort, ReasoningFormat, Role, ToolSpec,
    DEFAULT_ANTHROPIC_MAX_TOKENS,
};
use serde_json::{json, Value};

const EFFORTS: [(ReasoningEffort, &str, u64); 3] = [
    (ReasoningEffort::Low, "low", 2048),
    (ReasoningEffort::Medium, "medium", 8192),
    (ReasoningEffort::High, "high", 24576),
];

fn tool(name: &str) -> ToolSpec {
    ToolSpec {
        name: name.into(),
        description: format!("The {name} tool"),
        parameters: json!({"type": "object", "properties": {}}),
    }
}

fn calls(id: &str) -> Message {
    Message {
        role: Role::Assistant,
        content: vec![Part::ToolCall {
            id: id.into(),
            name: "calculator".into(),
            arguments: json!({"expression": "1+1"}),
        }],
    }
}

fn results(id: &str) -> Message {
    Message {
        role: Role::User,
        content: vec![Part::ToolResult {
            tool_call_id: id.into(),
            name: "calculator".into(),
            content: "2".into(),
            is_error: false,
        }],
    }
}

/// A system prompt, two tools and three questions with their answers.
fn conversation(protocol: Protocol) -> ChatRequest {
    let mut request = ChatRequest::new(protocol, "First question");
    request.system = Some("Be brief.".into());
    request.tools = vec![tool("calculator"), tool("current_time")];
    request.messages.extend([
        Message::assistant("First answer"),
        Message::user("Second question"),
        Message::assistant("Second answer"),
        Message::user("Third question"),
    ]);
    request
}

/// Every `cache_control` in `value`.
fn breakpoints(value: &Value) -> Vec<&Value> {
    match value {
        Value::Object(map) => map
            .iter()
            .flat_map(|(key, v)| {
                if key == "cache_control" {
                    vec![v]
                } else {
                    breakpoints(v)
                }
            })
            .collect(),
        Value::Array(items) => items.iter().flat_map(breakpoints).collect(),
        _ => Vec::new(),
    }
}

fn ephemeral() -> Value {
    json!({"type": "ephemeral"})
}

#[test]
fn without_prompt_cache_anthropic_text_goes_as_plain_strings() {
    let body = conversation(Protocol::Anthropic).body();
    assert!(breakpoints(&body).is_empty(), "{body:#}");
    assert_eq!(body["system"], "Be brief.");
    for message in body["messages"].as_array().unwrap() {
        assert!(message["content"].is_string(), "{message}");
    }
}

#[test]
fn with_prompt_cache_anthropic_marks_tools_system_and_the_last_two_questions() {
    let mut request = conversation(Protocol::Anthropic);
    request.prompt_cache = true;
    let body = request.body();
    assert_eq!(breakpoints(&body).len(), 4, "{body:#}");
    assert_eq!(
        body["system"],
        json!([{"type": "text", "text": "Be brief.", "cache_control": ephemeral()}])
    );
    assert_eq!(body["tools"][0].get("cache_control"), None);
    assert_eq!(body["tools"][1]["cache_control"], ephemeral());
    let messages = body["messages"].as_array().unwrap();
    // The questions that get no breakpoint, and the answers, stay plain strings.
    for i in [0, 1, 3] {
        assert!(messages[i]["content"].is_string(), "{}", messages[i]);
    }
    for (i, text) in [(2, "Second question"), (4, "Third question")] {
        assert_eq!(
            messages[i],
            json!({"role": "user", "content": [
                {"type": "text", "text": text, "cache_control": ephemeral()},
            ]})
        );
    }
}

#[test]
fn a_long_conversation_never_gets_more_than_four_breakpoints() {
    let mut request = conversation(Protocol::Anthropic);
    request.prompt_cache = true;
    for turn in 0..30 {
        let id = format!("call_{turn}");
        request.messages.push(calls(&id));
        request.messages.push(results(&id));
        request
            .messages
            .push(Message::assistant(format!("Answer {turn}")));
        request.messages.push(Message {
            role: Role::User,
            content: vec![
                Part::Image {
                    mime: "image/png".into(),
                    data: "iVBORw0KGgo=".into(),
                },
                Part::Text {
                    text: format!("Question {turn}"),
                },
            ],
        });
    }
    request.messages.push(calls("last"));
    request.messages.push(results("last"));
    let body = request.body();
    assert_eq!(breakpoints(&body).len(), 4, "{body:#}");
    let messages = body["messages"].as_array().unwrap();
    let n = messages.len();
    // The tool results answering the last call, and the question before them.
    assert_eq!(messages[n - 1]["content"][0]["type"], "tool_result");
    assert_eq!(messages[n - 1]["content"][0]["cache_control"], ephemeral());
    assert_eq!(messages[n - 3]["content"][1]["text"], "Question 29");
    assert_eq!(messages[n - 3]["content"][1]["cache_control"], ephemeral());
    assert_eq!(messages[n - 3]["content"][0].get("cache_control"), None);

    // Without a system prompt or tools, only the questions are marked.
    request.system = None;
    request.tools.clear();
    assert_eq!(breakpoints(&request.body()).len(), 2);
}

#[test]
fn empty_texts_get_no_breakpoint() {
    let mut request = ChatRequest::new(Protocol::Anthropic, "Hello");
    request.prompt_cache = true;
    request.system = Some(String::new());
    request.messages.push(Message::assistant("Hi"));
    request.messages.push(Message::user(""));
    let body = request.body();
    assert_eq!(body.get("system"), None);
    assert_eq!(body["messages"][2]["content"], "");
    assert_eq!(
        body["messages"][0]["content"],
        json!([{"type": "text", "text": "Hello", "cache_control": ephemeral()}])
    );
    assert_eq!(breakpoints(&body).len(), 1);

    // A blank text after a tool result: the result carries the breakpoint.
    let mut message = results("c1");
    message.content.push(Part::Text {
        text: String::new(),
    });
    request.messages = vec![Message::user("Hi"), calls("c1"), message];
    let body = request.body();
    let last = &body["messages"][2]["content"];
    assert_eq!(last[0]["cache_control"], ephemeral(), "{last}");
    assert_eq!(last[1].get("cache_control"), None, "{last}");
}

#[test]
fn the_openai_protocol_ignores_prompt_cache() {
    let mut request = conversation(Protocol::Openai);
    let plain = request.body();
    request.prompt_cache = true;
    assert_eq!(request.body(), plain);
    assert!(breakpoints(&plain).is_empty());
}

#[test]
fn openai_reasoning_goes_in_the_gateways_format() {
    let mut request = ChatRequest::new(Protocol::Openai, "Think");
    let plain = request.body();
    assert_eq!(plain.get("reasoning_effort"), None);
    assert_eq!(plain.get("reasoning"), None);
    for (effort, word, _) in EFFORTS {
        request.reasoning = Some(effort);
        request.reasoning_format = ReasoningFormat::Effort;
        let body = request.body();
        assert_eq!(body["reasoning_effort"], word);
        assert_eq!(body.get("reasoning"), None);

        request.reasoning_format = ReasoningFormat::Object;
        let body = request.body();
        assert_eq!(body["reasoning"], json!({"effort": word}));
        assert_eq!(body.get("reasoning_effort"), None);
    }
}

#[test]
fn anthropic_thinking_has_its_budget_within_max_tokens_and_no_temperature() {
    let mut request = ChatRequest::new(Protocol::Anthropic, "Think");
    request.temperature = Some(0.2);
    let plain = request.body();
    assert_eq!(plain.get("thinking"), None);
    assert_eq!(plain["temperature"], 0.2);
    assert_eq!(plain["max_tokens"], DEFAULT_ANTHROPIC_MAX_TOKENS);
    for (effort, _, budget) in EFFORTS {
        request.reasoning = Some(effort);
        request.max_tokens = None;
        let body = request.body();
        assert_eq!(
            body["thinking"],
            json!({"type": "enabled", "budget_tokens": budget})
        );
        assert_eq!(body.get("temperature"), None);
        assert_eq!(body["max_tokens"], budget + 4096);
        // A larger limit of the person's stands; a smaller one makes room.
        request.max_tokens = Some(64_000);
        assert_eq!(request.body()["max_tokens"], 64_000);
        request.max_tokens = Some(1000);
        assert_eq!(request.body()["max_tokens"], budget + 4096);
    }
}

#[test]
fn anthropic_answers_tool_results_and_continues_without_thinking() {
    let mut request = ChatRequest::new(Protocol::Anthropic, "Add");
    request.reasoning = Some(ReasoningEffort::High);
    request.temperature = Some(0.2);
    request.max_tokens = Some(1000);
    request.messages.push(calls("c1"));
    request.messages.push(results("c1"));
    let body = request.body();
    assert_eq!(body.get("thinking"), None, "{body:#}");
    assert_eq!(body["temperature"], 0.2);
    assert_eq!(body["max_tokens"], 1000);

    // A new question after the tool loop thinks again.
    request.messages.push(Message::assistant("2"));
    request.messages.push(Message::user("And 3+3?"));
    assert_eq!(request.body()["thinking"]["budget_tokens"], 24576);

    // Continuing a cut-off answer is a prefill, which thinking refuses.
    let body = request.clone().continuing_from("Six").body();
    assert_eq!(
        body["messages"].as_array().unwrap().last().unwrap()["role"],
        "assistant"
    );
    assert_eq!(body.get("thinking"), None, "{body:#}");
}
