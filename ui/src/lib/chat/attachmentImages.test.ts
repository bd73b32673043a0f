import { beforeEach, describe, expect, it } from 'vitest';
import { cachedThumbnail, forgetThumbnails, fullPicture, thumbnail } from './attachmentImages';

const PNG = 'data:image/png;base64,iVBORw0KGgo=';

describe('pictures of attachments', () => {
  beforeEach(forgetThumbnails);

  it('fetches a thumbnail once, however often it is shown', async () => {
    const asked: [string, boolean][] = [];
    const load = async (id: string, small: boolean) => {
      asked.push([id, small]);
      return PNG;
    };
    expect(cachedThumbnail('x')).toBeUndefined();
    await Promise.all([thumbnail('x', load), thumbnail('x', load)]);
    expect(await thumbnail('x', load)).toBe(PNG);
    expect(cachedThumbnail('x')).toBe(PNG);
    expect(asked).toEqual([['x', true]]);
    // The full picture is asked for each time it is opened.
    await fullPicture('x', load);
    await fullPicture('x', load);
    expect(asked).toEqual([
      ['x', true],
      ['x', false],
      ['x', false],
    ]);
  });

  it('tries again after a failure, and refuses anything but a raster picture', async () => {
    let calls = 0;
    const flaky = async () => (++calls === 1 ? Promise.reject(new Error('busy')) : PNG);
    await expect(thumbnail('y', flaky)).rejects.toThrow('busy');
    expect(await thumbnail('y', flaky)).toBe(PNG);
    await expect(thumbnail('z', async () => 'data:image/svg+xml;base64,PHN2Zz4=')).rejects.toThrow();
    await expect(fullPicture('z', async () => 'javascript:alert(1)')).rejects.toThrow();
  });
});
