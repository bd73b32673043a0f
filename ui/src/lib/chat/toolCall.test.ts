import { describe, expect, it } from 'vitest';
import { imageSource, readableArguments, shownImages } from './toolCall';

describe('tool arguments in plain words', () => {
  it('lists an object’s keys with text unquoted and nested values as compact JSON', () => {
    expect(readableArguments('{"key":"x","count":3,"exact":true,"none":null,"options":{"a":[1, 2]}}')).toEqual([
      { key: 'key', value: 'x' },
      { key: 'count', value: '3' },
      { key: 'exact', value: 'true' },
      { key: 'none', value: 'null' },
      { key: 'options', value: '{"a":[1,2]}' },
    ]);
    expect(readableArguments('{}')).toEqual([]);
  });

  it('leaves text that is still being written, or is not an object, as it is', () => {
    expect(readableArguments('{"expression":"12')).toBeNull();
    expect(readableArguments('')).toBeNull();
    expect(readableArguments('[1,2]')).toBeNull();
    expect(readableArguments('"text"')).toBeNull();
    expect(readableArguments('null')).toBeNull();
  });
});

describe('tool pictures', () => {
  it('shows only raster pictures whose data is base64', () => {
    const png = { mime: 'image/png', data: 'iVBORw0KGgo=' };
    expect(
      shownImages([
        png,
        { mime: 'image/svg+xml', data: 'PHN2Zz4=' },
        { mime: 'text/html', data: 'PGI+' },
        { mime: 'image/jpeg', data: 'not base64"><script>' },
      ]),
    ).toEqual([png]);
    expect(shownImages(undefined)).toEqual([]);
    expect(imageSource(png)).toBe('data:image/png;base64,iVBORw0KGgo=');
  });
});
