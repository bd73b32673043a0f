// Settings → Tools, the rules without the window: how a typed command line becomes a
// program and its arguments, how a new server gets its id, how the form maps to the
// server Rust saves, and which rule a tool's select shows. Pure, so unit-tested.
import type { Secrets } from '../backend';
import type { McpServer, McpToolInfo, ToolRule } from '../contract';
import type { MessageKey } from '../messages';

/**
 * A command line as a program and its arguments: split on spaces, with '…' and "…"
 * keeping their spaces (the quotes themselves go). No backslash escapes, so Windows
 * paths type as they are.
 */
export function splitCommandLine(text: string): string[] {
  const parts: string[] = [];
  let current = '';
  // An argument can be empty ("") and still count, so "started" is kept apart from its text.
  let started = false;
  let quote: '"' | "'" | null = null;
  for (const ch of text) {
    if (quote) {
      if (ch === quote) quote = null;
      else current += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      started = true;
    } else if (/\s/.test(ch)) {
      if (started) parts.push(current);
      current = '';
      started = false;
    } else {
      current += ch;
      started = true;
    }
  }
  if (started) parts.push(current);
  return parts;
}

/** The other way, for editing a saved server: quotes only where a part needs them. */
export function joinCommandLine(parts: readonly string[]): string {
  return parts.map(quoted).join(' ');
}

function quoted(part: string): string {
  if (/^[^\s'"]+$/.test(part)) return part;
  if (!part.includes('"')) return `"${part}"`;
  if (!part.includes("'")) return `'${part}'`;
  // Both kinds of quote: each " goes inside '…' and the rest inside "…", side by side.
  return part
    .split('"')
    .map((piece) => `"${piece}"`)
    .join(`'"'`);
}

const MAX_ID = 32;

/** An id made from a name, as Rust makes one: lower-case a-z, 0-9 and '-'. */
export function idFromName(name: string): string {
  const id = name
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_ID)
    .replace(/-+$/, '');
  return id || 'server';
}

/** `base`, or `base-2`, `base-3`… when taken. Saving under a taken id would replace that
 * server (and its keys), so a new one never gets one. */
export function uniqueId(base: string, taken: readonly string[]): string {
  if (!taken.includes(base)) return base;
  for (let n = 2; ; n++) {
    const suffix = `-${n}`;
    const id = `${base.slice(0, MAX_ID - suffix.length)}${suffix}`;
    if (!taken.includes(id)) return id;
  }
}

/** What the server runs, in one line: its command line or its address. */
export function whatItRuns(server: McpServer): string {
  const t = server.transport;
  return t.kind === 'stdio' ? joinCommandLine([t.command, ...t.args]) : t.url;
}

/** One environment variable or header as typed; the value is never filled from Rust. */
export interface SecretRow {
  name: string;
  value: string;
}

/** The add/edit form as the person types it. */
export interface ServerForm {
  /** The id of the saved server being edited, or the one an import or a ready-made
   * server suggests; `null` makes one from the name. */
  id: string | null;
  /** Edits a server already saved, so its id stays. */
  saved: boolean;
  /** Names whose values are already in the keychain: their fields say "saved". */
  savedNames: string[];
  name: string;
  kind: 'stdio' | 'http';
  commandLine: string;
  env: SecretRow[];
  url: string;
  headers: SecretRow[];
  enabled: boolean;
  autoReadOnly: boolean;
  timeout: number | null;
}

export function emptyForm(): ServerForm {
  return {
    id: null,
    saved: false,
    savedNames: [],
    name: '',
    kind: 'stdio',
    commandLine: '',
    env: [],
    url: '',
    headers: [],
    enabled: true,
    autoReadOnly: false,
    timeout: null,
  };
}

/** A form for `server`: a saved one (values stay in the keychain), or one imported with
 * the values it carried. */
export function formFromServer(server: McpServer, options: { saved: boolean; secrets?: Secrets }): ServerForm {
  const values = options.secrets ?? {};
  const rows = (names: readonly string[]) => names.map((name) => ({ name, value: values[name] ?? '' }));
  const t = server.transport;
  return {
    ...emptyForm(),
    id: server.id || null,
    saved: options.saved,
    savedNames: options.saved ? [...(t.kind === 'stdio' ? t.env : t.headers)] : [],
    name: server.name,
    kind: t.kind,
    commandLine: t.kind === 'stdio' ? joinCommandLine([t.command, ...t.args]) : '',
    env: t.kind === 'stdio' ? rows(t.env) : [],
    url: t.kind === 'http' ? t.url : '',
    headers: t.kind === 'http' ? rows(t.headers) : [],
    enabled: server.enabled,
    autoReadOnly: server.auto_read_only,
    timeout: server.timeout_s,
  };
}

/** What is missing before the form can be tested (or saved: then a name too). */
export function formProblem(form: ServerForm, saving: boolean): Extract<MessageKey, `mcpNeeds${string}`> | null {
  if (saving && !form.name.trim()) return 'mcpNeedsName';
  if (form.kind === 'stdio' && splitCommandLine(form.commandLine).length === 0) return 'mcpNeedsCommand';
  if (form.kind === 'http' && !form.url.trim()) return 'mcpNeedsUrl';
  return null;
}

/** The server and secret values the form stands for. `taken` holds the ids of the saved
 * servers, which a new server must not reuse. */
export function serverFromForm(form: ServerForm, taken: readonly string[]): { server: McpServer; secrets: Secrets } {
  const id = form.saved && form.id ? form.id : uniqueId(form.id ?? idFromName(form.name), taken);
  const rows = (form.kind === 'stdio' ? form.env : form.headers)
    .map((row) => ({ name: row.name.trim(), value: row.value }))
    .filter((row) => row.name);
  const names = [...new Set(rows.map((row) => row.name))];
  const secrets: Secrets = {};
  for (const row of rows) if (row.value) secrets[row.name] = row.value;
  const [command = '', ...args] = splitCommandLine(form.commandLine);
  return {
    server: {
      id,
      name: form.name.trim(),
      enabled: form.enabled,
      transport:
        form.kind === 'stdio' ? { kind: 'stdio', command, args, env: names } : { kind: 'http', url: form.url.trim(), headers: names },
      auto_read_only: form.autoReadOnly,
      timeout_s: form.timeout,
    },
    secrets,
  };
}

export const ruleKey = (serverId: string, tool: string) => `${serverId}/${tool}`;

/** What happens with no rule set: Rust runs a tool that only reads (and says so) without
 * asking when the server allows that, and asks about every other. */
export function defaultRule(tool: McpToolInfo, autoReadOnly: boolean): ToolRule {
  return autoReadOnly && tool.hints.read_only && !tool.hints.destructive ? 'allow' : 'ask';
}

/** The rules with `chosen` for `key`. A choice that is what would happen anyway leaves
 * no rule behind, so the server's "run tools that only read" switch still decides it. */
export function withRule(
  rules: { [key: string]: ToolRule },
  key: string,
  chosen: ToolRule,
  byDefault: ToolRule,
): { [key: string]: ToolRule } {
  const next = { ...rules };
  if (chosen === byDefault) delete next[key];
  else next[key] = chosen;
  return next;
}
