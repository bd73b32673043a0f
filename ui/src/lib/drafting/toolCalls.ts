// The tool calls of a draft as its stream tells of them: which one waits for the person,
// which one runs, and how the last one that gave no result ended. None of this is text
// for the document; the view shows it beside the pending change. Pure, so unit-tested.
import type { StreamEvent, ToolStage } from '../contract';

export interface DraftToolCall {
  id: string;
  name: string;
  /** The server it is from; empty for Foxtail's own tools. */
  source: string;
  /** The arguments as the model wrote them (JSON text). */
  arguments: string;
  /** Null until Rust says more: Foxtail's own tools run without asking. */
  stage: ToolStage | null;
}

/** A call that came back without what it was for: said in one line. */
export interface ToolSetback {
  name: string;
  declined: boolean;
  /** The first line of a failure's message; empty when declined. */
  detail: string;
}

export interface DraftTools {
  /** Calls sent and not answered by a result yet, in order. */
  calls: DraftToolCall[];
  setback: ToolSetback | null;
}

export const noTools = (): DraftTools => ({ calls: [], setback: null });

export type ToolEvent = Extract<StreamEvent, { type: 'tool_call_delta' | 'tool_call' | 'tool_stage' | 'tool_result' }>;

export function applyToolEvent(tools: DraftTools, event: ToolEvent): void {
  switch (event.type) {
    // The arguments as they are written: the call is shown once it is whole.
    case 'tool_call_delta':
      return;
    case 'tool_call': {
      const call = tools.calls.find((c) => c.id === event.id);
      if (call) Object.assign(call, { name: event.name, arguments: event.arguments_raw });
      else tools.calls.push({ id: event.id, name: event.name, source: '', arguments: event.arguments_raw, stage: null });
      return;
    }
    case 'tool_stage': {
      const call = tools.calls.find((c) => c.id === event.id);
      if (call) {
        call.source = event.source;
        call.stage = event.stage;
      } else {
        tools.calls.push({ id: event.id, name: '', source: event.source, arguments: '', stage: event.stage });
      }
      return;
    }
    case 'tool_result': {
      const call = tools.calls.find((c) => c.id === event.id);
      tools.calls = tools.calls.filter((c) => c.id !== event.id);
      const name = event.name || call?.name || '';
      if (call?.stage?.stage === 'declined') tools.setback = { name, declined: true, detail: '' };
      else if (event.is_error) tools.setback = { name, declined: false, detail: firstLine(event.content) };
    }
  }
}

export type AskingCall = DraftToolCall & { stage: Extract<ToolStage, { stage: 'asking' }> };

/** The calls waiting for the person (Rust asks about one at a time). */
export function askingCalls(tools: DraftTools): AskingCall[] {
  return tools.calls.filter((c): c is AskingCall => c.stage?.stage === 'asking');
}

function firstLine(text: string): string {
  return text.trim().split('\n', 1)[0]!.trim();
}
