// When a link in an answer must be confirmed before it opens. The model (or whoever
// prompt-injected it, or a hostile gateway) writes both the text and the target of every
// link, so a link is taken at its word only when its text is its address and the address
// is an ordinary public one.
import { hasHiddenCharacters } from './hiddenCharacters';

export type LinkRisk =
  /** The text is not the address, so it may promise one site and open another. */
  | 'text'
  /** A user name before the host (`https://bank.example@evil.example/`) hides the real host. */
  | 'userinfo'
  /** This computer or a private network: a click can reach services that trust the local side. */
  | 'local'
  /** A long query string can carry data out of the conversation to the site. */
  | 'query';

/** Longer query strings than this (without the `?`) are worth a look before sending. */
export const MAX_PLAIN_QUERY = 100;

/** Why `url`, shown as `text`, should be confirmed before it opens; empty when it need not be. */
export function linkRisks(url: URL, text: string): LinkRisk[] {
  const risks: LinkRisk[] = [];
  if (!textIsAddress(text, url)) risks.push('text');
  if (url.username || url.password) risks.push('userinfo');
  if (isLocalHost(url.hostname)) risks.push('local');
  if (url.search.length - 1 > MAX_PLAIN_QUERY) risks.push('query');
  return risks;
}

/**
 * Whether the visible text names exactly the address the link opens. Autolinked URLs
 * (`https://example.com`, `www.example.com`, `example.com`) pass; any other wording does not,
 * however harmless it reads, because the person can only judge the text they see.
 */
export function textIsAddress(text: string, url: URL): boolean {
  const shown = text.trim();
  // A bidi override in the text can show the same address reordered into another one.
  if (!shown || /\s/.test(shown) || hasHiddenCharacters(shown)) return false;
  // Text without a scheme (linkify's `www.example.com`) is read with the link's own.
  const absolute = /^[a-z][a-z0-9+.-]*:\/\//i.test(shown) ? shown : `${url.protocol}//${shown}`;
  try {
    return new URL(absolute).href === url.href;
  } catch {
    return false;
  }
}

// Names that only resolve on this computer or inside a network: RFC 6761 (localhost),
// RFC 6762 (mDNS .local), RFC 8375 (.home.arpa), the ICANN-reserved .internal, and the
// .lan that home routers hand out.
const LOCAL_SUFFIXES = ['.localhost', '.local', '.internal', '.home.arpa', '.lan'];

/**
 * Whether `hostname` (as `URL.hostname` gives it) is this computer or a private network.
 * The URL parser has already turned `127.1`, `0x7f.0.0.1` and `2130706433` into `127.0.0.1`,
 * so only canonical forms need recognising.
 */
export function isLocalHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  if (host.startsWith('[') && host.endsWith(']')) return isLocalIpv6(host.slice(1, -1));
  const ipv4 = parseIpv4(host);
  if (ipv4) return isLocalIpv4(ipv4);
  // A bare name (`localhost`, `router`, `nas`) is looked up on the local network.
  if (!host.includes('.')) return true;
  return LOCAL_SUFFIXES.some((suffix) => host.endsWith(suffix));
}

function parseIpv4(host: string): number[] | undefined {
  if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(host)) return undefined;
  const parts = host.split('.').map(Number);
  return parts.every((p) => p <= 255) ? parts : undefined;
}

function isLocalIpv4([a = 0, b = 0]: number[]): boolean {
  return (
    a === 0 || // "this network"; 0.0.0.0 reaches this computer
    a === 10 ||
    a === 127 ||
    (a === 100 && b >= 64 && b <= 127) || // carrier-grade NAT, and overlay networks such as Tailscale
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168)
  );
}

/** The eight 16-bit groups of an IPv6 address in URL form, or undefined. */
function ipv6Groups(address: string): number[] | undefined {
  const halves = address.split('::');
  if (halves.length > 2) return undefined;
  const parse = (part: string | undefined) => (part ? part.split(':').map((g) => parseInt(g, 16)) : []);
  const head = parse(halves[0]);
  const tail = parse(halves[1]);
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [...head, ...Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
  return groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : undefined;
}

function isLocalIpv6(address: string): boolean {
  const groups = ipv6Groups(address);
  // An address the URL parser accepted but this cannot read is treated as local: asking is safe.
  if (!groups) return true;
  const [first = 0] = groups;
  const zeroUntil = (n: number) => groups.slice(0, n).every((g) => g === 0);
  if (zeroUntil(7) && (groups[7] === 0 || groups[7] === 1)) return true; // :: and ::1
  if ((first & 0xfe00) === 0xfc00) return true; // fc00::/7, unique local
  if ((first & 0xffc0) === 0xfe80 || (first & 0xffc0) === 0xfec0) return true; // link- and site-local
  // IPv4-mapped (::ffff:a.b.c.d) reaches the IPv4 address inside.
  if (zeroUntil(5) && groups[5] === 0xffff) {
    const high = groups[6] ?? 0;
    const low = groups[7] ?? 0;
    return isLocalIpv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);
  }
  return false;
}
