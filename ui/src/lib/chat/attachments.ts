// What the window says about attachments: the caps Rust applies, and each file's cost
// in words a person can weigh ("12 pages · about 9,800 tokens"). Pure apart from the
// language, so unit-tested.
import type { Attachment } from '../contract';
import { currentLanguage } from '../language.svelte';
import { t } from '../messages';

/** Rust's caps (message_attachments.rs, attachments/mod.rs), said in the attach button's hint. */
export const MAX_FILES = 10;
/** Rust takes no file larger than this; a bigger one is refused before it is read. */
export const MAX_FILE_BYTES = 50 * 1024 * 1024;
/**
 * The context a model is taken to have when its own is not known. The window knows no
 * model's context, so it always says "roughly" with this figure.
 */
export const ASSUMED_CONTEXT_TOKENS = 128_000;

// What the file picker offers. Rust decides by the content, not the name; the list only
// keeps the picker from suggesting videos and programs. Source code has too many
// extensions to list them all: these are the common ones, and a drop or paste takes any.
export const ACCEPT = [
  'image/png',
  'image/jpeg',
  'image/webp',
  'image/gif',
  ...'png jpg jpeg webp gif pdf docx txt text md markdown csv tsv json jsonl xml html htm yaml yml toml ini cfg conf log tex rst org adoc'.split(' '),
  ...'py js mjs cjs ts tsx jsx rs go java kt kts swift c h cc cpp hpp cs rb php sh bash zsh ps1 sql r m scala lua pl dart svelte vue css scss less gradle'.split(' '),
]
  .map((item) => (item.includes('/') ? item : `.${item}`))
  .join(',');

/**
 * A token count as it is said: Rust's figure is an approximation, so it is rounded to
 * what can be meant (9,812 → 9,800) and never to nothing.
 */
export function roughly(tokens: number): number {
  if (tokens < 100) return Math.max(0, Math.round(tokens));
  const step = tokens < 1000 ? 10 : 100;
  return Math.round(tokens / step) * step;
}

const numberFormats = new Map<string, Intl.NumberFormat>();

/**
 * A number format, made once per locale and options. `toLocaleString` makes a new one on
 * every call, and in WebKit the few numbers of the first screen (the context meter's)
 * took more of its first render than anything else.
 */
export function numberFormat(locale: string, options: Intl.NumberFormatOptions = {}): Intl.NumberFormat {
  const key = `${locale} ${JSON.stringify(options)}`;
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, options);
    numberFormats.set(key, format);
  }
  return format;
}

/** A number with the window's digit grouping. */
export function formatNumber(value: number): string {
  return numberFormat(currentLanguage() === 'ko' ? 'ko-KR' : 'en-US').format(value);
}

/** What a file costs, piece by piece: its pages or size, then its tokens. */
function costParts(attachment: Attachment): string[] {
  const parts: string[] = [];
  if (attachment.kind === 'image' && attachment.width > 0 && attachment.height > 0) {
    parts.push(t('attachmentPicture', { width: String(attachment.width), height: String(attachment.height) }));
  }
  if (attachment.pages !== null) {
    parts.push(
      attachment.pages === 1 ? t('attachmentPage') : t('attachmentPages', { count: formatNumber(attachment.pages) }),
    );
  }
  parts.push(t('attachmentTokens', { count: formatNumber(roughly(attachment.tokens)) }));
  return parts;
}

/** The line under a document chip: "12 pages · about 9,800 tokens", and which part of it goes. */
export function costLine(attachment: Attachment): string {
  if (!attachment.part) return costParts(attachment).join(' · ');
  // The part names its pages already.
  const line = costParts({ ...attachment, pages: null }).join(' · ');
  return `${t('attachmentPartOnly', { part: attachment.part })} · ${line}`;
}

/** Room kept for the conversation and the answer when a document is shortened to fit. */
export const ROOM_FOR_THE_REST = 8_000;

/**
 * The document to offer shortening when the files do not fit, and the most tokens its
 * part may cost: the largest document, given what the others cost.
 */
export function shortening(attachments: readonly Attachment[], context: number): { document: Attachment; maxTokens: number } | null {
  const total = attachments.reduce((sum, a) => sum + a.tokens, 0);
  if (total <= context) return null;
  const documents = attachments.filter((a) => a.kind === 'document' && !a.part);
  const document = documents.reduce<Attachment | null>((big, a) => (!big || a.tokens > big.tokens ? a : big), null);
  if (!document) return null;
  const maxTokens = context - (total - document.tokens) - ROOM_FOR_THE_REST;
  return maxTokens > 0 ? { document, maxTokens } : null;
}

/** One file with its cost: "report.pdf: 12 pages, about 9,800 tokens". */
export function summary(attachment: Attachment): string {
  return t('attachmentSummary', { name: attachment.name, details: costParts(attachment).join(', ') });
}

export interface Budget {
  total: number;
  /** More than a model reads at once: Rust refuses to send it (`attachment_too_large`). */
  over: boolean;
  /** The line under the attachments, or empty when there are none. */
  text: string;
}

/** What the attachments cost together, said after the one added last. */
export function budget(attachments: readonly Attachment[], context = ASSUMED_CONTEXT_TOKENS): Budget {
  const total = attachments.reduce((sum, a) => sum + a.tokens, 0);
  const latest = attachments[attachments.length - 1];
  if (!latest) return { total, over: false, text: '' };
  const params = {
    latest: summary(latest),
    total: formatNumber(roughly(total)),
    context: formatNumber(context),
  };
  return {
    total,
    over: total > context,
    text: attachments.length === 1 ? t('attachmentBudgetOne', params) : t('attachmentBudgetMany', params),
  };
}

// Only the raster formats Rust produces: a `data:` URL of any other type (SVG can carry
// script) is not put in an <img>, whoever sent it.
const PICTURE_URL = /^data:image\/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/]+={0,2}$/;

export function isPictureUrl(url: string): boolean {
  return PICTURE_URL.test(url);
}

/** A name for a pasted picture that came without one. */
export function nameOf(file: Pick<File, 'name' | 'type'>): string {
  if (file.name) return file.name;
  const extension = /^image\/(png|jpeg|gif|webp)$/.exec(file.type)?.[1]?.replace('jpeg', 'jpg');
  return extension ? `pasted-picture.${extension}` : 'pasted-file';
}

/**
 * The files a paste carries, or none when it is a paste of text. Word and Excel put a
 * picture of the copied text beside the text and its formatting: that is a paste of text.
 * A file manager's copy (a file and its name as plain text) and a browser's "Copy image"
 * (a picture and an <img> tag) are pastes of files.
 */
export interface Pasted {
  getData(format: string): string;
  files: Iterable<File>;
  items: Iterable<{ kind: string; getAsFile(): File | null }>;
}

export function pastedFiles(data: Pasted): File[] {
  if (data.getData('text/plain').trim() && data.getData('text/html').trim()) return [];
  const files = [...data.files];
  if (files.length) return files;
  return [...data.items].flatMap((item) => {
    const file = item.kind === 'file' ? item.getAsFile() : null;
    return file ? [file] : [];
  });
}
