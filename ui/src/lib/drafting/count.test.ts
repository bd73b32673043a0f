import { describe, expect, it } from 'vitest';
import { countText, stripMarkdown } from './count';

describe('countText', () => {
  it('counts English words and characters, words first', () => {
    expect(countText('Hello, world! This is a test.')).toEqual({
      words: 6,
      characters: 29,
      charactersNoSpaces: 24,
      primary: 'words',
    });
  });

  it('reports characters first for Korean', () => {
    const count = countText('안녕하세요 반갑습니다.\n오늘은 좋은 날');
    expect(count.primary).toBe('characters');
    expect(count.words).toBe(5);
    expect(count.characters).toBe(21);
    expect(count.charactersNoSpaces).toBe(17);
  });

  it('counts decomposed Hangul and emoji as one character each', () => {
    const decomposed = '한글'.normalize('NFD');
    expect(decomposed.length).toBe(6);
    expect(countText(decomposed)).toMatchObject({ characters: 2, primary: 'characters' });
    expect(countText('👩‍💻 ok 🇰🇷')).toMatchObject({ characters: 6, charactersNoSpaces: 4, words: 1 });
  });

  it('decides by the majority of letters', () => {
    expect(countText('Foxtail 앱으로 글을 씁니다').primary).toBe('characters');
    expect(countText('The Foxtail app, 폭스테일').primary).toBe('words');
  });

  it('handles empty text and text without letters', () => {
    expect(countText('')).toEqual({ words: 0, characters: 0, charactersNoSpaces: 0, primary: 'words' });
    expect(countText(' — ... 42 ')).toMatchObject({ words: 1, primary: 'words' });
  });

  it('leaves the Markdown marks out when asked', () => {
    const md = '# Title\n\n- **bold** item\n- [a link](https://example.com/x)\n\n> quoted _text_ and snake_case\n\n```js\ncode()\n```';
    expect(stripMarkdown(md)).toBe('Title\n\nbold item\na link\n\nquoted text and snake_case\n\n\ncode()\n');
    expect(countText(md, { markdown: true }).words).toBe(10);
    expect(countText(md).words).toBeGreaterThan(10);
    expect(countText('## 제목\n\n**굵은** 글씨', { markdown: true })).toMatchObject({ characters: 9, charactersNoSpaces: 6, primary: 'characters' });
  });
});
