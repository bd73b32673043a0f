import { describe, expect, it } from 'vitest';
import { MAX_SENTENCE, nextSentences, plain } from './sentences';

/** Feeds `text` in pieces as a stream would and collects everything read, in order. */
function stream(text: string, pieceLength: number, options: { maxLength?: number } = {}): string[] {
  const heard: string[] = [];
  let announced = 0;
  for (let end = pieceLength; end < text.length + pieceLength; end += pieceLength) {
    const final = end >= text.length;
    const next = nextSentences(text.slice(0, end), announced, { ...options, final, codeBlock: 'code block' });
    heard.push(...next.sentences);
    announced = next.announced;
  }
  return heard;
}

describe('nextSentences', () => {
  it('returns only complete sentences and where the next one starts', () => {
    const text = 'Hello there. How are';
    const first = nextSentences(text, 0);
    expect(first.sentences).toEqual(['Hello there.']);
    expect(text.slice(first.announced)).toBe(' How are');
    // Nothing more until the sentence ends.
    expect(nextSentences(text, first.announced)).toEqual({ sentences: [], announced: first.announced });
    expect(nextSentences(`${text} you? Fine`, first.announced).sentences).toEqual(['How are you?']);
  });

  it('waits for what follows an end mark before trusting it', () => {
    expect(nextSentences('Pi is 3.', 0).sentences).toEqual([]);
    expect(nextSentences('Pi is 3.14 exactly. Yes', 0).sentences).toEqual(['Pi is 3.14 exactly.']);
    expect(nextSentences('Wait...', 0).sentences).toEqual([]);
    expect(nextSentences('Wait... what?! No', 0).sentences).toEqual(['Wait...', 'what?!']);
    expect(nextSentences('He said "stop." Then', 0).sentences).toEqual(['He said "stop."']);
  });

  it('reads the rest when the answer ends', () => {
    expect(nextSentences('Pi is 3.', 0, { final: true }).sentences).toEqual(['Pi is 3.']);
    expect(nextSentences('no mark at all', 0, { final: true }).sentences).toEqual(['no mark at all']);
    expect(nextSentences('Done.\n\n', 0, { final: true })).toEqual({ sentences: ['Done.'], announced: 7 });
  });

  it('handles Korean sentences and full-width marks', () => {
    expect(nextSentences('안녕하세요. 오늘 날씨가 좋네요! 어디 가', 0).sentences).toEqual(['안녕하세요.', '오늘 날씨가 좋네요!']);
    expect(nextSentences('정말요? 네', 0).sentences).toEqual(['정말요?']);
    expect(nextSentences('これは本です。それは', 0).sentences).toEqual(['これは本です。']);
    expect(nextSentences('「좋아요。」다음', 0).sentences).toEqual(['「좋아요。」']);
  });

  it('says "code block" once for a closed block and never reads the code', () => {
    const text = 'Run this:\n\n```js\nconsole.log("a. b. c.");\nmore();\n```\n\nThen stop.';
    expect(stream(text, 3)).toEqual(['Run this:', 'code block', 'Then stop.']);
    // Still open: nothing yet, and the code is not read.
    const open = nextSentences('Run this:\n```py\nprint("x. y.")\n', 0);
    expect(open.sentences).toEqual(['Run this:']);
    expect(nextSentences('Run this:\n```py\nprint("x. y.")\n', open.announced).sentences).toEqual([]);
    // An answer that ends inside a block still says it once.
    expect(nextSentences('```py\nprint(1)\n', 0, { final: true, codeBlock: '코드 블록' }).sentences).toEqual(['코드 블록']);
    // A tilde fence, and a longer fence that a shorter run does not close.
    expect(nextSentences('~~~\na\n~~~\nok.', 0, { final: true }).sentences).toEqual(['code block', 'ok.']);
    expect(nextSentences('````\n```\n````\nok.', 0, { final: true }).sentences).toEqual(['code block', 'ok.']);
  });

  it('reads list items, headings and table rows at their line ends, without their marks', () => {
    const text = '# Plan\n\n- first thing\n- **second** thing\n1. one\n2) two\n\n| Step | Time |\n| --- | --- |\n| Build | 2 min |\n';
    expect(stream(text, 4)).toEqual(['Plan', 'first thing', 'second thing', 'one', 'two', 'Step, Time', 'Build, 2 min']);
    // An item still being written waits for its line break.
    expect(nextSentences('- first\n- sec', 0).sentences).toEqual(['first']);
  });

  it('cuts a long run without punctuation at a bounded length, at a space', () => {
    const words = Array.from({ length: 300 }, (_, i) => `word${i}`).join(' ');
    const heard = stream(words, 7);
    expect(heard.length).toBeGreaterThan(1);
    for (const piece of heard) expect(piece.length).toBeLessThanOrEqual(MAX_SENTENCE);
    // Cut between words, so nothing is lost or split.
    expect(heard.join(' ')).toBe(words);
    // Without spaces (a long URL, unspaced text), cut at the length itself.
    const solid = 'x'.repeat(100);
    const pieces = stream(solid, 9, { maxLength: 40 });
    expect(pieces.join('')).toBe(solid);
    for (const piece of pieces) expect(piece.length).toBeLessThanOrEqual(40);
  });

  it('reads every sentence exactly once however the stream is cut', () => {
    const text = 'One. Two! Three?\n\n- Four\n\n다섯입니다. 여섯이요.\n\n```\ncode.\n```\nSeven';
    const whole = nextSentences(text, 0, { final: true }).sentences;
    expect(whole).toEqual(['One.', 'Two!', 'Three?', 'Four', '다섯입니다.', '여섯이요.', 'code block', 'Seven']);
    for (const piece of [1, 2, 3, 5, 8, 13]) expect(stream(text, piece)).toEqual(whole);
  });

  it('starts where it was told, so kept text is not read again', () => {
    const kept = 'Half an ans';
    expect(nextSentences(`${kept}wer. More`, kept.length).sentences).toEqual(['wer.']);
  });
});

describe('plain', () => {
  it('takes Markdown marks out and keeps the words', () => {
    expect(plain('See [the guide](https://example.org) and `npm test`.')).toBe('See the guide and npm test.');
    expect(plain('> quoted **bold** line')).toBe('quoted bold line');
    expect(plain('- [x] done task')).toBe('done task');
    expect(plain('---')).toBe('');
    expect(plain('|:--|--:|')).toBe('');
    expect(plain('![a cat](cat.png)')).toBe('a cat');
  });
});
