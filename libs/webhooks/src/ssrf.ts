import { BlockList, isIP } from 'node:net';

/**
 * Server-side request forgery guard for webhook targets: a partner-supplied URL must not make
 * Liaison call its own network. Addresses in these ranges are refused unless the operator's
 * allow-list (`WEBHOOK_ALLOWED_HOSTS`) names the host and port.
 */
const BLOCKED = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], // "this" network
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local (cloud metadata services live here)
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  BLOCKED.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
  ['64:ff9b::', 96], // NAT64 can reach IPv4 private space
] as const) {
  BLOCKED.addSubnet(net, prefix, 'ipv6');
}

/** True for loopback, private, link-local, unique-local, multicast and other non-public addresses. */
export function isNonPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return BLOCKED.check(address, 'ipv4');
  if (family === 6) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    if (mapped?.[1] !== undefined) return BLOCKED.check(mapped[1], 'ipv4');
    return BLOCKED.check(address, 'ipv6');
  }
  return true; // not an address at all: refuse
}

export interface AllowEntry {
  host: string;
  port: number | '*';
}

/** Parses `127.0.0.1:*,hooks.internal:8443` into entries; undefined when an entry is malformed. */
export function parseAllowList(text: string): AllowEntry[] | undefined {
  const entries: AllowEntry[] = [];
  for (const item of text.split(',').map((s) => s.trim())) {
    if (item === '') continue;
    const match = /^(\[[0-9a-fA-F:.]+\]|[^:\s]+):(\*|\d{1,5})$/.exec(item);
    if (!match?.[1] || !match[2]) return undefined;
    entries.push({ host: match[1].replace(/^\[|\]$/g, '').toLowerCase(), port: match[2] === '*' ? '*' : Number(match[2]) });
  }
  return entries;
}

/** True when the allow-list names this host (name or address) and port. */
export function isAllowListed(allow: readonly AllowEntry[], host: string, port: number): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return allow.some((e) => e.host === h && (e.port === '*' || e.port === port));
}

export type TargetVerdict = { ok: true } | { ok: false; reason: string };

/** Checks a webhook URL's shape: http(s), no credentials, a host. Addresses are checked at connect time. */
export function checkWebhookUrl(text: string): TargetVerdict {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, reason: 'url is not an absolute URL' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, reason: 'url must be http or https' };
  if (url.username !== '' || url.password !== '') return { ok: false, reason: 'url must not carry credentials' };
  if (url.hostname === '') return { ok: false, reason: 'url has no host' };
  return { ok: true };
}

/**
 * Decides whether a resolved address may be connected to for `host:port`: public addresses always;
 * non-public ones only when the allow-list names the host or the address with the port.
 */
export function mayConnect(allow: readonly AllowEntry[], host: string, address: string, port: number): TargetVerdict {
  if (!isNonPublicAddress(address)) return { ok: true };
  if (isAllowListed(allow, host, port) || isAllowListed(allow, address, port)) return { ok: true };
  return { ok: false, reason: `${host} resolves to the non-public address ${address}, which the operator allow-list does not permit` };
}

/** The port a webhook URL connects to. */
export function webhookPort(url: URL): number {
  return url.port !== '' ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
}

/**
 * Chooses the address to connect to among those `host` resolved to: the first one `mayConnect`
 * permits. The one rule for webhook targets, applied when a subscription is created and again at
 * every connection (where the lookup pins the socket to the address it checked).
 */
export function chooseAddress(
  allow: readonly AllowEntry[],
  host: string,
  addresses: readonly { address: string; family: number }[],
  port: number,
): { ok: true; address: string; family: number } | { ok: false; reason: string } {
  const chosen = addresses.find((a) => mayConnect(allow, host, a.address, port).ok);
  if (chosen !== undefined) return { ok: true, address: chosen.address, family: chosen.family };
  const first = addresses[0]?.address;
  if (first === undefined) return { ok: false, reason: `${host} resolves to no address` };
  return { ok: false, reason: `${host} resolves to ${first}, a non-public address the operator allow-list does not permit` };
}

/**
 * Whether the SSRF guard would let Liaison call this (well-formed) webhook URL now: a literal
 * address is checked as is, a name by resolving it. A name that does not resolve is refused too.
 */
export async function checkWebhookTarget(
  allow: readonly AllowEntry[],
  text: string,
  resolve: (host: string) => Promise<{ address: string; family: number }[]>,
): Promise<TargetVerdict> {
  const url = new URL(text);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = webhookPort(url);
  if (isIP(host) !== 0) return mayConnect(allow, host, host, port);
  let addresses: { address: string; family: number }[];
  try {
    addresses = await resolve(host);
  } catch {
    return { ok: false, reason: `${host} does not resolve` };
  }
  const choice = chooseAddress(allow, host, addresses, port);
  return choice.ok ? { ok: true } : choice;
}
