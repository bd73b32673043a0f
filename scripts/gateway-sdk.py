"""What the official SDKs get from a gateway: one streamed answer in each protocol,
at temperature 0, printed as JSON. The real-gateway test compares Foxtail's with it.

usage: gateway-sdk.py BASE_URL MODEL MAX_TOKENS PROMPT KEY
"""
import json
import sys

import anthropic
import openai

base, model, max_tokens, prompt, key = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
messages = [{"role": "user", "content": prompt}]

client = openai.OpenAI(base_url=base + "/v1", api_key=key)
stream = client.chat.completions.create(
    model=model,
    messages=messages,
    temperature=0,
    max_tokens=max_tokens,
    stream=True,
    stream_options={"include_usage": True},
)
openai_text, openai_usage = "", None
for chunk in stream:
    if chunk.choices:
        openai_text += chunk.choices[0].delta.content or ""
    if chunk.usage:
        openai_usage = chunk.usage.model_dump()

claude = anthropic.Anthropic(base_url=base, api_key=key)
# SDK 2 no longer takes `temperature` as an argument; the API still does.
with claude.messages.stream(
    model=model, max_tokens=max_tokens, messages=messages, extra_body={"temperature": 0}
) as stream:
    anthropic_text = "".join(stream.text_stream)

print(json.dumps({"openai": openai_text, "openai_usage": openai_usage, "anthropic": anthropic_text}))
