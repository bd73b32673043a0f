// The app against the in-page fake backend (see fakeBackend.ts), for UI tests in a
// plain browser. Not part of the production build: only index.html is built.
import { mockIPC } from '@tauri-apps/api/mocks';
import { createFakeBackend } from './fakeBackend';

const fake = createFakeBackend();
(window as unknown as { foxtailMock: typeof fake }).foxtailMock = fake;
mockIPC((cmd, args) => fake.handle(cmd, args as Record<string, unknown>));

// Tests may prepare the fake (a key, scripted answers) before the app starts, with an
// init script that defines `foxtailMockSetup`.
const setup = (window as unknown as { foxtailMockSetup?: (f: typeof fake) => void }).foxtailMockSetup;
setup?.(fake);
void import('../main');
