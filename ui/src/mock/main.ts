// The app against the in-page fake backend (see fakeBackend.ts), for UI tests in a
// plain browser. Not part of the production build: only index.html is built.
import { mockIPC } from '@tauri-apps/api/mocks';
import { createFakeBackend } from './fakeBackend';

const fake = createFakeBackend();
(window as unknown as { foxtailMock: typeof fake }).foxtailMock = fake;
mockIPC((cmd, args) => fake.handle(cmd, args));
// mockIPC drops invoke's options, and `add_attachment` carries its file's name there (the
// body is the file's bytes): the fake takes each call whole instead.
const internals = (window as unknown as { __TAURI_INTERNALS__: { invoke: typeof fake.handle } }).__TAURI_INTERNALS__;
internals.invoke = (cmd, args, options) => fake.handle(cmd, args, options);

// Tests may prepare the fake (a key, scripted answers) before the app starts, with an
// init script that defines `foxtailMockSetup`.
const setup = (window as unknown as { foxtailMockSetup?: (f: typeof fake) => void }).foxtailMockSetup;
setup?.(fake);
void import('../main');
