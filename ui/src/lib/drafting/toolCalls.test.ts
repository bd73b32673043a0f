import { describe, expect, it } from 'vitest';
import { applyToolEvent, askingCalls, noTools, type ToolEvent } from './toolCalls';

const call = (id: string, name = 'lookup', raw = '{"key":"x"}'): ToolEvent => ({
  type: 'tool_call',
  index: 0,
  id,
  name,
  arguments: JSON.parse(raw) as unknown,
  arguments_raw: raw,
});

describe("a draft's tool calls", () => {
  it('shows a call once it is whole, asks, runs, and goes when its result is in', () => {
    const tools = noTools();
    applyToolEvent(tools, { type: 'tool_call_delta', index: 0, id: 'c1', name: 'lookup', arguments_delta: '{"ke' });
    expect(tools.calls).toEqual([]);
    applyToolEvent(tools, call('c1'));
    expect(tools.calls).toEqual([{ id: 'c1', name: 'lookup', source: '', arguments: '{"key":"x"}', stage: null }]);
    applyToolEvent(tools, { type: 'tool_stage', id: 'c1', source: 'Test server', stage: { stage: 'asking', destructive: true } });
    expect(askingCalls(tools)).toMatchObject([{ id: 'c1', source: 'Test server', stage: { stage: 'asking', destructive: true } }]);
    applyToolEvent(tools, { type: 'tool_stage', id: 'c1', source: 'Test server', stage: { stage: 'running' } });
    expect(askingCalls(tools)).toEqual([]);
    expect(tools.calls[0]?.stage).toEqual({ stage: 'running' });
    applyToolEvent(tools, { type: 'tool_result', id: 'c1', name: 'lookup', content: 'value of x is 42', is_error: false });
    expect(tools).toEqual({ calls: [], setback: null });
  });

  it('says in one line that a call was declined or failed', () => {
    const tools = noTools();
    applyToolEvent(tools, call('c1'));
    applyToolEvent(tools, { type: 'tool_stage', id: 'c1', source: 'S', stage: { stage: 'declined' } });
    applyToolEvent(tools, { type: 'tool_result', id: 'c1', name: 'lookup', content: 'The person declined this tool call.', is_error: true });
    expect(tools).toEqual({ calls: [], setback: { name: 'lookup', declined: true, detail: '' } });

    applyToolEvent(tools, call('c2', 'delete_note'));
    applyToolEvent(tools, { type: 'tool_result', id: 'c2', name: 'delete_note', content: '\n  No such note.  \nDetails follow.', is_error: true });
    expect(tools.setback).toEqual({ name: 'delete_note', declined: false, detail: 'No such note.' });
  });

  it('keeps a stage that came before its call, and the call’s name once it comes', () => {
    const tools = noTools();
    applyToolEvent(tools, { type: 'tool_stage', id: 'c1', source: 'S', stage: { stage: 'asking', destructive: false } });
    expect(askingCalls(tools)).toMatchObject([{ id: 'c1', name: '', source: 'S' }]);
    applyToolEvent(tools, call('c1'));
    expect(askingCalls(tools)).toMatchObject([{ id: 'c1', name: 'lookup', source: 'S', arguments: '{"key":"x"}' }]);
  });
});
