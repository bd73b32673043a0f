import { invoke } from '@tauri-apps/api/core';

/** Errors from the Rust side always arrive as `{kind, message}`. */
export interface BackendError {
  kind: string;
  message: string;
}

export interface AppInfo {
  version: string;
  data_dir: string;
  settings_recovered_from: string | null;
}

export function isBackendError(value: unknown): value is BackendError {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Record<string, unknown>).kind === 'string' &&
    typeof (value as Record<string, unknown>).message === 'string'
  );
}

export function appInfo(): Promise<AppInfo> {
  return invoke<AppInfo>('app_info');
}

/** Saved settings; see `settings.rs` for the keys and their defaults. */
export interface Settings {
  provider?: string;
  protocol?: string;
  base_url?: string;
  model?: string;
  [key: string]: unknown;
}

export function getSettings(): Promise<Settings> {
  return invoke<Settings>('get_settings');
}
