import { describe, expect, it } from 'vitest';
import type { McpServer, McpToolInfo } from '../contract';
import {
  defaultRule,
  emptyForm,
  formFromServer,
  formProblem,
  idFromName,
  joinCommandLine,
  serverFromForm,
  splitCommandLine,
  uniqueId,
  whatItRuns,
  withRule,
} from './mcp';

describe('the command line', () => {
  it('splits on spaces and keeps quoted parts whole', () => {
    expect(splitCommandLine('npx -y @modelcontextprotocol/server-memory')).toEqual([
      'npx',
      '-y',
      '@modelcontextprotocol/server-memory',
    ]);
    expect(splitCommandLine('  uvx   mcp-server-time  ')).toEqual(['uvx', 'mcp-server-time']);
    expect(splitCommandLine('node "C:\\Program Files\\srv\\index.js" --dir \'My Documents\'')).toEqual([
      'node',
      'C:\\Program Files\\srv\\index.js',
      '--dir',
      'My Documents',
    ]);
    expect(splitCommandLine('say "it\'s" \'a "b"\'')).toEqual(['say', "it's", 'a "b"']);
    expect(splitCommandLine('--name="two words"')).toEqual(['--name=two words']);
    expect(splitCommandLine('run "" x')).toEqual(['run', '', 'x']);
    expect(splitCommandLine('')).toEqual([]);
    expect(splitCommandLine('   ')).toEqual([]);
  });

  it('keeps an unclosed quote to the end rather than dropping the text', () => {
    expect(splitCommandLine('run "half open')).toEqual(['run', 'half open']);
  });

  it('joins back into text that splits into the same parts', () => {
    const cases = [
      ['npx', '-y', 'pkg'],
      ['node', 'C:\\Program Files\\x.js'],
      ['say', "it's"],
      ['say', 'a "b"'],
      ['both', `it's "quoted"`],
      ['empty', ''],
      ['tab\there'],
    ];
    for (const parts of cases) expect(splitCommandLine(joinCommandLine(parts)), parts.join('|')).toEqual(parts);
    expect(joinCommandLine(['npx', '-y', 'pkg'])).toBe('npx -y pkg');
    expect(joinCommandLine(['node', 'a b'])).toBe('node "a b"');
  });
});

describe('server ids', () => {
  it('are made from the name: lower-case a-z, 0-9 and -', () => {
    expect(idFromName('GitHub Issues')).toBe('github-issues');
    expect(idFromName('  My  (local) server! ')).toBe('my-local-server');
    expect(idFromName('시간')).toBe('server');
    expect(idFromName('')).toBe('server');
    expect(idFromName('a'.repeat(40))).toHaveLength(32);
    expect(idFromName(`${'a'.repeat(31)} b`)).toBe('a'.repeat(31));
  });

  it('never take one already used', () => {
    expect(uniqueId('time', [])).toBe('time');
    expect(uniqueId('time', ['time'])).toBe('time-2');
    expect(uniqueId('time', ['time', 'time-2'])).toBe('time-3');
    const long = 'x'.repeat(32);
    const next = uniqueId(long, [long]);
    expect(next).toHaveLength(32);
    expect(next.endsWith('-2')).toBe(true);
  });
});

const stdio: McpServer = {
  id: 'notes',
  name: 'Notes',
  enabled: true,
  transport: { kind: 'stdio', command: 'npx', args: ['-y', 'notes server'], env: ['API_KEY'] },
  auto_read_only: true,
  timeout_s: 30,
};

describe('the server form', () => {
  it('shows a saved server with its secrets’ names and no values', () => {
    const form = formFromServer(stdio, { saved: true });
    expect(form).toMatchObject({
      id: 'notes',
      saved: true,
      savedNames: ['API_KEY'],
      commandLine: 'npx -y "notes server"',
      env: [{ name: 'API_KEY', value: '' }],
      autoReadOnly: true,
      timeout: 30,
    });
    expect(whatItRuns(stdio)).toBe('npx -y "notes server"');
  });

  it('keeps a saved server’s id and sends only the values typed', () => {
    const form = formFromServer(stdio, { saved: true });
    form.env.push({ name: ' TOKEN ', value: 'sk-test-fake-1' }, { name: '', value: 'dropped' });
    const { server, secrets } = serverFromForm(form, ['notes']);
    expect(server.id).toBe('notes');
    expect(server.transport).toEqual({ kind: 'stdio', command: 'npx', args: ['-y', 'notes server'], env: ['API_KEY', 'TOKEN'] });
    expect(secrets).toEqual({ TOKEN: 'sk-test-fake-1' });
  });

  it('gives a new server an id of its own', () => {
    const form = { ...emptyForm(), name: 'Notes', commandLine: 'notes-server' };
    expect(serverFromForm(form, ['notes']).server.id).toBe('notes-2');
    // An imported one keeps the id Rust suggested, unless it is taken.
    const imported = formFromServer({ ...stdio, id: 'my-notes' }, { saved: false, secrets: { API_KEY: 'v' } });
    expect(imported.env).toEqual([{ name: 'API_KEY', value: 'v' }]);
    expect(imported.savedNames).toEqual([]);
    expect(serverFromForm(imported, ['notes']).server.id).toBe('my-notes');
    expect(serverFromForm(imported, ['my-notes']).server.id).toBe('my-notes-2');
  });

  it('builds a web server with its headers', () => {
    const form = {
      ...emptyForm(),
      name: 'Remote',
      kind: 'http' as const,
      url: ' https://example.com/mcp ',
      headers: [{ name: 'Authorization', value: 'Bearer sk-test-fake-2' }],
      commandLine: 'ignored',
    };
    expect(serverFromForm(form, [])).toEqual({
      server: {
        id: 'remote',
        name: 'Remote',
        enabled: true,
        transport: { kind: 'http', url: 'https://example.com/mcp', headers: ['Authorization'] },
        auto_read_only: false,
        timeout_s: null,
      },
      secrets: { Authorization: 'Bearer sk-test-fake-2' },
    });
  });

  it('says what is missing', () => {
    expect(formProblem(emptyForm(), false)).toBe('mcpNeedsCommand');
    expect(formProblem({ ...emptyForm(), commandLine: 'x' }, false)).toBeNull();
    expect(formProblem({ ...emptyForm(), commandLine: 'x' }, true)).toBe('mcpNeedsName');
    expect(formProblem({ ...emptyForm(), name: 'a', kind: 'http' }, true)).toBe('mcpNeedsUrl');
  });
});

describe('tool rules', () => {
  const reader: McpToolInfo = { name: 'read', title: '', description: '', hints: { read_only: true, destructive: false } };
  const deleter: McpToolInfo = { name: 'rm', title: '', description: '', hints: { read_only: false, destructive: true } };

  it('show what happens without one', () => {
    expect(defaultRule(reader, true)).toBe('allow');
    expect(defaultRule(reader, false)).toBe('ask');
    expect(defaultRule(deleter, true)).toBe('ask');
  });

  it('are kept only when they differ from what would happen anyway', () => {
    expect(withRule({ 'a/x': 'allow' }, 's/rm', 'allow', 'ask')).toEqual({ 'a/x': 'allow', 's/rm': 'allow' });
    expect(withRule({ 's/rm': 'allow' }, 's/rm', 'ask', 'ask')).toEqual({});
    expect(withRule({}, 's/read', 'ask', 'allow')).toEqual({ 's/read': 'ask' });
  });
});
