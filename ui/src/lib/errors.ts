// Errors in plain words. The backend's message keeps the provider's own words for the
// "technical details" disclosure; what a person reads first comes from the catalogue.
import type { BackendError } from './backend';
import { t, type MessageKey } from './messages';

const byKind: Record<string, MessageKey> = {
  auth: 'errAuth',
  rate_limit: 'errRateLimit',
  server: 'errServer',
  network: 'errNetwork',
  timeout: 'errTimeout',
  bad_request: 'errBadRequest',
  protocol: 'errProtocol',
  interrupted: 'errInterrupted',
  no_key: 'errNoKey',
  tool_limit: 'errToolLimit',
  keychain_unavailable: 'errKeychainUnavailable',
  keychain_platform: 'errKeychain',
  keychain_invalid: 'errKeychain',
};

// Errors whose backend message is already written for people (settings rules, an empty
// message): those are shown as they are.
const plainAlready = new Set(['settings', 'empty_message', 'empty_key', 'draft', 'data_dir', 'link_refused', 'image_refused', 'export']);

export interface PlainError {
  text: string;
  /** What the service or the system said, for the disclosure; empty when it adds nothing. */
  detail: string;
}

export function plainError(error: BackendError): PlainError {
  if (plainAlready.has(error.kind)) return { text: error.message, detail: '' };
  const key = byKind[error.kind];
  const detail = error.status ? `${error.message} (HTTP ${error.status})` : error.message;
  return { text: t(key ?? 'errUnknown'), detail };
}
