// The document both drafting benchmarks write into (scripts/bench-drafting.mjs in
// Chromium, scripts/bench-window.mjs in the real window), so their figures compare.

const WORDS = (
  'the draft keeps its shape while the model writes and the person reads every change before ' +
  'it lands nothing moves under the cursor streaming text stays pending until accepted ' +
  '문서는 그대로 남고 새 글은 따로 표시됩니다 사람이 결정합니다'
).split(' ');

/** A Markdown document of about `words` words: headings, paragraphs with emphasis, lists, quotes, code. */
export function makeDocument(words) {
  let n = 0;
  let seed = 7;
  const word = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    n++;
    return WORDS[seed % WORDS.length];
  };
  const sentence = (length) => {
    const parts = Array.from({ length }, word);
    parts[0] = parts[0][0].toUpperCase() + parts[0].slice(1);
    if (length > 6) parts[3] = `**${parts[3]}**`;
    if (length > 9) parts[7] = `*${parts[7]}*`;
    return parts.join(' ') + '.';
  };
  const blocks = [];
  let section = 0;
  while (n < words) {
    section++;
    blocks.push(`## Section ${section}: ${sentence(4).slice(0, -1)}`);
    n += 2;
    blocks.push([sentence(12), sentence(9), sentence(15)].join(' '));
    blocks.push([sentence(10), sentence(14)].join(' '));
    if (section % 2) blocks.push(['- ' + sentence(6), '- ' + sentence(8), '- ' + sentence(5)].join('\n'));
    if (section % 3 === 0) blocks.push('> ' + sentence(11));
    if (section % 5 === 0) blocks.push('```js\nconst answer = 42; // not Markdown\nconsole.log(answer);\n```');
    blocks.push([sentence(13), sentence(7)].join(' '));
  }
  return `# A long draft\n\n${blocks.join('\n\n')}\n`;
}
