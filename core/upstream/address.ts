import { BlockList, isIP } from 'node:net';

/** What an IP address is, for deciding whether a copilot may call it. */
export type AddressKind =
  | 'public'
  | 'loopback'
  | 'private'
  | 'link_local'
  | 'shared' // CGNAT 100.64/10
  | 'reserved' // documentation, benchmarking, other special-purpose ranges
  | 'unspecified'
  | 'multicast'
  | 'metadata'
  | 'invalid';

type Range = [network: string, prefix: number];

function blockList(v4: Range[], v6: Range[]): BlockList {
  const list = new BlockList();
  for (const [net, prefix] of v4) list.addSubnet(net, prefix, 'ipv4');
  for (const [net, prefix] of v6) list.addSubnet(net, prefix, 'ipv6');
  return list;
}

// Cloud instance metadata endpoints: AWS/GCP/Azure/OCI/OpenStack, AWS IPv6, ECS task metadata,
// Alibaba Cloud, Azure WireServer.
const METADATA = blockList(
  [
    ['169.254.169.254', 32],
    ['169.254.170.2', 32],
    ['100.100.100.200', 32],
    ['168.63.129.16', 32],
  ],
  [['fd00:ec2::254', 128]],
);

// Checked in order; the first list that contains the address names its kind.
const KINDS: [AddressKind, BlockList][] = [
  ['unspecified', blockList([['0.0.0.0', 8]], [['::', 128]])],
  ['loopback', blockList([['127.0.0.0', 8]], [['::1', 128]])],
  ['multicast', blockList([['224.0.0.0', 4], ['255.255.255.255', 32]], [['ff00::', 8]])],
  ['link_local', blockList([['169.254.0.0', 16]], [['fe80::', 10]])],
  ['private', blockList([['10.0.0.0', 8], ['172.16.0.0', 12], ['192.168.0.0', 16]], [['fc00::', 7], ['fec0::', 10]])],
  ['shared', blockList([['100.64.0.0', 10]], [])],
  [
    'reserved',
    blockList(
      [
        ['192.0.0.0', 24],
        ['192.0.2.0', 24],
        ['192.88.99.0', 24],
        ['198.18.0.0', 15],
        ['198.51.100.0', 24],
        ['203.0.113.0', 24],
        ['240.0.0.0', 4],
      ],
      [
        ['100::', 64],
        ['2001::', 23], // IETF protocol assignments, incl. Teredo 2001::/32
        ['2001:db8::', 32],
        ['64:ff9b:1::', 48], // local-use NAT64
      ],
    ),
  ],
];

/** Eight 16-bit groups of an IPv6 address (dotted-quad tail allowed), or null. */
function ipv6Groups(address: string): number[] | null {
  let text = address;
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - tail.length;
  if (missing < 0 || (halves.length === 1 && missing !== 0)) return null;
  const groups = [...head, ...Array<string>(missing).fill('0'), ...tail].map((g) => Number.parseInt(g, 16));
  return groups.some((g) => Number.isNaN(g)) ? null : groups;
}

function ipv4FromGroups(high: number, low: number): string {
  return `${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`;
}

/** The IPv4 address an IPv6 address carries (mapped, compatible, NAT64, 6to4), if any. */
function embeddedIPv4(groups: number[]): string | null {
  const [g0, g1, g2, g3, g4, g5, g6, g7] = groups as [number, number, number, number, number, number, number, number];
  const zeroHead = g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0;
  if (zeroHead && g5 === 0xffff) return ipv4FromGroups(g6, g7); // ::ffff:a.b.c.d
  if (zeroHead && g5 === 0 && !(g6 === 0 && g7 <= 1)) return ipv4FromGroups(g6, g7); // ::a.b.c.d (deprecated)
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) return ipv4FromGroups(g6, g7);
  if (g0 === 0x2002) return ipv4FromGroups(g1, g2); // 6to4
  return null;
}

/** Classifies an IP literal (brackets and zone ids tolerated). */
export function classifyAddress(raw: string): AddressKind {
  let address = raw.trim();
  if (address.startsWith('[') && address.endsWith(']')) address = address.slice(1, -1);
  const zone = address.indexOf('%');
  if (zone !== -1) address = address.slice(0, zone);
  const family = isIP(address);
  if (family === 0) return 'invalid';
  const type = family === 4 ? 'ipv4' : 'ipv6';

  if (family === 6) {
    const groups = ipv6Groups(address.toLowerCase());
    if (!groups) return 'invalid';
    const inner = embeddedIPv4(groups);
    if (inner) return classifyAddress(inner);
  }
  if (METADATA.check(address, type)) return 'metadata';
  for (const [kind, list] of KINDS) {
    if (list.check(address, type)) return kind;
  }
  return 'public';
}

/** Kinds no allowlist entry can open: there is no legitimate API behind them. */
const NEVER_ALLOWED = new Set<AddressKind>(['metadata', 'unspecified', 'multicast', 'invalid']);

const KIND_LABEL: Record<AddressKind, string> = {
  public: 'a public address',
  loopback: 'a loopback address',
  private: 'a private address',
  link_local: 'a link-local address',
  shared: 'a carrier-grade NAT address',
  reserved: 'a reserved address',
  unspecified: 'an unspecified address',
  multicast: 'a multicast or broadcast address',
  metadata: 'a cloud metadata address',
  invalid: 'an invalid address',
};

/** Lowercase, brackets stripped, IPv6 literals in canonical form — so '::1' and '[0::1]' compare equal. */
export function normalizeHostForAllowlist(host: string): string {
  let h = host.trim().toLowerCase();
  if (h.startsWith('[') && h.endsWith(']')) h = h.slice(1, -1);
  if (isIP(h) === 6) {
    try {
      return new URL(`http://[${h}]/`).hostname.slice(1, -1);
    } catch {
      return h;
    }
  }
  return h;
}

export type AddressCheck = { ok: true; kind: AddressKind } | { ok: false; kind: AddressKind; reason: string };

/**
 * Decides whether `address` (what `hostname` resolved to, or the literal itself) may be called.
 * Public addresses always may. Loopback/private/link-local/CGNAT/reserved ones only when the exact
 * hostname is in the operator's `privateHosts` (RUNTIME_PRIVATE_HOSTS). Cloud metadata, unspecified and multicast never, allowlisted or not:
 * metadata endpoints hand out the server's own cloud credentials.
 */
export function checkAddress(address: string, hostname: string, privateHosts: readonly string[]): AddressCheck {
  const kind = classifyAddress(address);
  if (kind === 'public') return { ok: true, kind };
  if (NEVER_ALLOWED.has(kind)) {
    return { ok: false, kind, reason: `The API host resolves to ${KIND_LABEL[kind]}, which is never allowed.` };
  }
  const host = normalizeHostForAllowlist(hostname);
  if (privateHosts.some((entry) => normalizeHostForAllowlist(entry) === host)) return { ok: true, kind };
  return {
    ok: false,
    kind,
    reason: `The API host resolves to ${KIND_LABEL[kind]}; only hosts the operator lists in RUNTIME_PRIVATE_HOSTS may.`,
  };
}
