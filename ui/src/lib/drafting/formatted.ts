// A document as formatted text for other programs: HTML (headings, bold, lists kept
// when pasted into a word processor or mail) and plain text. The HTML comes from the
// same sanitizing renderer as chat answers, so nothing in it can run or load anything.
import { renderMarkdown } from '../markdown/streaming';
import { stripMarkdown } from './count';

export function toFormatted(doc: string): { html: string; text: string } {
  const holder = document.createElement('div');
  holder.append(renderMarkdown(doc));
  // Buttons the renderer adds for the window (copy code, show image) mean nothing outside it.
  for (const button of holder.querySelectorAll('button')) button.remove();
  return { html: holder.innerHTML, text: stripMarkdown(doc) };
}
