// Errors in plain words. Rust's message keeps the provider's or the system's own words
// for the "technical details" disclosure; what a person reads first comes from the
// catalogue, in the window's language.
import type { BackendError } from './backend';
import type { ErrorKind } from './contract';
import { currentLanguage } from './language.svelte';
import { t, type MessageKey } from './messages';

type ErrorKey = Extract<MessageKey, `err${string}`>;

/** Words for every kind Rust reports: a new kind without them fails the type check. */
export const ERROR_WORDS: Record<ErrorKind, ErrorKey> = {
  auth: 'errAuth',
  rate_limit: 'errRateLimit',
  server: 'errServer',
  network: 'errNetwork',
  timeout: 'errTimeout',
  bad_request: 'errBadRequest',
  protocol: 'errProtocol',
  interrupted: 'errInterrupted',
  cancelled: 'errCancelled',
  tool_limit: 'errToolLimit',
  tool_file: 'errToolFile',
  redirect: 'errRedirect',
  too_large: 'errTooLarge',
  disk_full: 'errDiskFull',
  storage_locked: 'errStorageLocked',
  storage_corrupt: 'errStorageCorrupt',
  not_found: 'errNotFound',
  storage_migration: 'errStorageMigration',
  storage: 'errStorage',
  keychain_unavailable: 'errKeychainUnavailable',
  keychain_platform: 'errKeychain',
  empty_key: 'errEmptyKey',
  keychain_invalid: 'errKeychainInvalid',
  data_dir: 'errDataDir',
  settings: 'errSettings',
  no_key: 'errNoKey',
  key_origin: 'errKeyOrigin',
  empty_message: 'errEmptyMessage',
  busy: 'errBusy',
  link_refused: 'errLinkRefused',
  link_failed: 'errLinkFailed',
  clipboard: 'errClipboard',
  image_refused: 'errImageRefused',
  image_failed: 'errImageFailed',
  export: 'errExport',
  draft: 'errDraft',
  mcp_not_found: 'errMcpNotFound',
  mcp_exited: 'errMcpExited',
  mcp_handshake: 'errMcpHandshake',
  mcp_refused: 'errMcpRefused',
  mcp_auth: 'errMcpAuth',
  mcp_config: 'errMcpConfig',
  attachment_too_large: 'errAttachmentTooLarge',
  attachment_unsupported: 'errAttachmentUnsupported',
  attachment_unreadable: 'errAttachmentUnreadable',
  attachment_encrypted: 'errAttachmentEncrypted',
  attachment_no_text: 'errAttachmentNoText',
};

// Kinds whose Rust message is already written for people and says more than the
// catalogue can (which setting, which address, which file): an English window shows it as
// it is. Rust writes English only, so any other language shows its own words first and
// Rust's message behind the disclosure.
const writtenForPeople: ReadonlySet<ErrorKind> = new Set<ErrorKind>([
  'settings',
  'key_origin',
  'empty_message',
  'empty_key',
  'draft',
  'data_dir',
  'link_refused',
  'image_refused',
  'export',
  'redirect',
  'too_large',
  'mcp_config',
]);

export interface PlainError {
  text: string;
  /** What the service or the system said, for the disclosure; empty when it adds nothing. */
  detail: string;
}

export function plainError(error: BackendError): PlainError {
  if (error.kind === 'unknown') return { text: t('errUnknown'), detail: error.message };
  if (writtenForPeople.has(error.kind) && currentLanguage() === 'en') return { text: error.message, detail: '' };
  const detail = error.status ? `${error.message} (HTTP ${error.status})` : error.message;
  return { text: t(ERROR_WORDS[error.kind]), detail };
}
