// How a tool card shows what the model sent and what the tool gave back, for people
// who do not read JSON. Pure, so unit-tested.
import type { ToolImage } from '../contract';

export interface ArgumentLine {
  key: string;
  value: string;
}

/**
 * The arguments as "key: value" lines when they are a JSON object; `null` while they
 * do not parse yet (the model is still writing them) or are not an object, and the
 * card shows the text as it is. Text values show without their quotes; nested values
 * as compact JSON.
 */
export function readableArguments(raw: string): ArgumentLine[] | null {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  return Object.entries(value).map(([key, v]) => ({ key, value: typeof v === 'string' ? v : JSON.stringify(v) }));
}

// Only raster formats: an SVG can carry script, and a tool's picture is not trusted.
const SHOWN_TYPES: ReadonlySet<string> = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** The pictures the card may show; any other kind, or data that is not base64, is left out. */
export function shownImages(images: readonly ToolImage[] | undefined): ToolImage[] {
  return (images ?? []).filter((image) => SHOWN_TYPES.has(image.mime) && BASE64.test(image.data));
}

export const imageSource = (image: ToolImage) => `data:${image.mime};base64,${image.data}`;
