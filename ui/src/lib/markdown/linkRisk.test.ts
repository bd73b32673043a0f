import { describe, expect, it } from 'vitest';
import { isLocalHost, linkRisks, textIsAddress } from './linkRisk';

const risks = (href: string, text: string = href) => linkRisks(new URL(href), text);

describe('links that open without asking', () => {
  it('are those whose text is their public address', () => {
    expect(risks('https://example.com/docs?page=2#intro')).toEqual([]);
    // How markdown-it's linkify writes bare addresses: text without a scheme, href with one.
    expect(risks('http://www.example.com', 'www.example.com')).toEqual([]);
    expect(risks('https://example.com/', 'example.com')).toEqual([]);
    expect(risks('https://Example.COM', 'https://example.com/')).toEqual([]);
    // Its text is an IDN and its href the punycode of the same name.
    expect(risks('https://xn--mnchen-3ya.de/', 'münchen.de')).toEqual([]);
  });
});

describe('text that differs from the target', () => {
  it('asks when a URL in the text names another site', () => {
    expect(risks('https://evil.example/', 'https://bank.example')).toEqual(['text']);
    expect(risks('https://evil.example/login', 'bank.example/login')).toEqual(['text']);
    expect(risks('https://bank.example.evil.example/', 'bank.example')).toEqual(['text']);
  });

  it('asks when the same site is shown with another path, query or scheme', () => {
    expect(risks('https://example.com/logout', 'https://example.com/')).toEqual(['text']);
    expect(risks('https://example.com/?a=1', 'https://example.com/')).toEqual(['text']);
    expect(risks('http://example.com/', 'https://example.com/')).toEqual(['text']);
  });

  it('asks for any wording that is not an address, however harmless', () => {
    expect(risks('https://example.org/page', 'the documentation')).toEqual(['text']);
    expect(risks('https://example.org/page', '')).toEqual(['text']);
    expect(risks('https://example.org/page', 'https://example.org/page and more')).toEqual(['text']);
    expect(textIsAddress('javascript:alert(1)', new URL('https://example.org/'))).toBe(false);
  });

  it('asks when the text hides characters, which can make it read as another address', () => {
    // Logically the link's own address; displayed, the override turns its tail around.
    const href = 'https://evil.example/#\u202Eelpmaxe.knab//:sptth';
    expect(risks(href, href)).toEqual(['text']);
    expect(risks('https://example.com/', 'https://exa\u200Bmple.com/')).toEqual(['text']);
  });
});

describe('a user name before the host', () => {
  it('asks even when the text matches, because the host is not where it seems', () => {
    expect(risks('https://bank.example@evil.example/')).toEqual(['userinfo']);
    expect(risks('https://user:pass@example.com/')).toEqual(['userinfo']);
  });
});

describe('this computer and private networks', () => {
  const local = [
    'http://localhost:8080/',
    'http://LOCALHOST./',
    'http://app.localhost/',
    'http://127.0.0.1/',
    'http://127.1/',
    'http://2130706433/',
    'http://0x7f.0.0.1/',
    'http://127.255.255.254/',
    'http://0.0.0.0:3000/',
    'http://10.0.0.1/',
    'http://10.255.255.255/',
    'http://172.16.0.1/',
    'http://172.31.255.255/',
    'http://192.168.1.1/admin',
    'http://169.254.169.254/latest/meta-data/',
    'http://100.64.0.1/',
    'http://[::1]/',
    'http://[::]/',
    'http://[fc00::1]/',
    'http://[fdab:cdef::1]/',
    'http://[fe80::1]/',
    'http://[febf::1]/',
    'http://[::ffff:127.0.0.1]/',
    'http://[::ffff:192.168.0.1]/',
    'http://printer.local/',
    'http://grafana.corp.internal/',
    'http://router.home.arpa/',
    'http://nas.lan/',
    'http://router/',
    'http://intranet:8080/',
  ];
  for (const href of local) {
    it(`asks before opening ${href}`, () => {
      expect(risks(href)).toEqual(['local']);
    });
  }

  const publicHosts = [
    'https://example.com/',
    'http://172.15.255.255/',
    'http://172.32.0.1/',
    'http://11.0.0.1/',
    'http://192.169.0.1/',
    'http://169.255.0.1/',
    'http://100.128.0.1/',
    'http://8.8.8.8/',
    'http://[2001:db8::1]/',
    'http://[fe00::1]/',
    'http://[::ffff:8.8.8.8]/',
    'https://localhost.example.com/',
    'https://local.example/',
  ];
  for (const href of publicHosts) {
    it(`opens ${href} without asking`, () => {
      expect(risks(href)).toEqual([]);
    });
  }

  it('reads hostnames as URL.hostname gives them', () => {
    expect(isLocalHost('[::1]')).toBe(true);
    expect(isLocalHost('example.com')).toBe(false);
  });
});

describe('long query strings', () => {
  it('asks once the query is longer than 100 characters', () => {
    const at100 = `https://example.com/?${'q'.repeat(100)}`;
    const at101 = `https://example.com/?${'q'.repeat(101)}`;
    expect(risks(at100)).toEqual([]);
    expect(risks(at101)).toEqual(['query']);
    const exfiltration = `https://collect.example/p?d=${encodeURIComponent('my secret conversation '.repeat(8))}`;
    expect(risks(exfiltration, 'a harmless picture')).toEqual(['text', 'query']);
  });
});

it('reports every reason at once', () => {
  expect(risks(`http://user@192.168.0.1/?${'x'.repeat(200)}`, 'https://bank.example')).toEqual([
    'text',
    'userinfo',
    'local',
    'query',
  ]);
});
