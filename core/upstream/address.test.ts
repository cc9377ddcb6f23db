import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { checkAddress, classifyAddress, type AddressKind } from './address';
import { createPinnedLookup, resolveCheckedAddresses } from './resolve-host';
import { startServer } from '@/test/fixtures/test-servers';

describe('classifyAddress', () => {
  const table: [string, AddressKind][] = [
    ['8.8.8.8', 'public'],
    ['93.184.216.34', 'public'],
    ['2606:4700:4700::1111', 'public'],
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['172.32.0.1', 'public'],
    ['192.168.1.1', 'private'],
    ['fc00::1', 'private'],
    ['fd12:3456::1', 'private'],
    ['169.254.1.1', 'link_local'],
    ['fe80::1', 'link_local'],
    ['fe80::1%eth0', 'link_local'],
    ['100.64.0.1', 'shared'],
    ['100.127.255.254', 'shared'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['::', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'multicast'],
    ['ff02::1', 'multicast'],
    ['169.254.169.254', 'metadata'],
    ['fd00:ec2::254', 'metadata'],
    ['100.100.100.200', 'metadata'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:169.254.169.254', 'metadata'],
    ['::ffff:a9fe:a9fe', 'metadata'],
    ['::127.0.0.1', 'loopback'],
    ['64:ff9b::7f00:1', 'loopback'],
    ['64:ff9b::a9fe:a9fe', 'metadata'],
    ['2002:7f00:1::', 'loopback'],
    ['2002:0808:0808::', 'public'],
    ['192.0.2.1', 'reserved'],
    ['2001:db8::1', 'reserved'],
    ['not-an-ip', 'invalid'],
  ];
  it.each(table)('%s is %s', (address, kind) => {
    expect(classifyAddress(address)).toBe(kind);
  });
});

describe('checkAddress', () => {
  it('refuses loopback and private addresses unless the exact hostname is allowlisted', () => {
    expect(checkAddress('127.0.0.1', 'localhost', []).ok).toBe(false);
    expect(checkAddress('127.0.0.1', 'localhost', ['LOCALHOST']).ok).toBe(true);
    expect(checkAddress('127.0.0.1', 'localhost', ['127.0.0.1']).ok).toBe(false);
    expect(checkAddress('10.0.0.5', 'api.internal', ['internal']).ok).toBe(false);
    expect(checkAddress('::1', '[::1]', ['0:0:0:0:0:0:0:1']).ok).toBe(true);
    expect(checkAddress('8.8.8.8', 'dns.google', []).ok).toBe(true);
  });

  it('[private-networks-operator-only]: cloud metadata, unspecified and multicast addresses are refused even when allowlisted', () => {
    for (const [address, host] of [
      ['169.254.169.254', '169.254.169.254'],
      ['169.254.169.254', 'metadata.google.internal'],
      ['fd00:ec2::254', 'fd00:ec2::254'],
      ['100.100.100.200', 'meta.aliyun'],
      ['::ffff:169.254.169.254', 'x'],
      ['0.0.0.0', '0.0.0.0'],
      ['224.0.0.1', 'mcast'],
    ] as const) {
      expect(checkAddress(address, host, [host]).ok, address).toBe(false);
    }
  });
});

describe('resolveCheckedAddresses', () => {
  it('[private-networks-operator-only]: every resolved address is checked — one private address among public ones refuses the host', async () => {
    const lookup = async () => [
      { address: '93.184.216.34', family: 4 },
      { address: '127.0.0.1', family: 4 },
    ];
    const result = await resolveCheckedAddresses('api.example.com', [], { lookup });
    expect(result).toMatchObject({ ok: false, code: 'private_address' });
  });

  it('a host name resolving to the metadata address is refused even when allowlisted', async () => {
    const lookup = async () => [{ address: '169.254.169.254', family: 4 }];
    const result = await resolveCheckedAddresses('metadata.test', ['metadata.test'], { lookup });
    expect(result).toMatchObject({ ok: false, code: 'private_address' });
  });

  it('IP literals are checked without DNS; DNS failures become dns_failed', async () => {
    let called = 0;
    const lookup = async () => {
      called++;
      throw Object.assign(new Error('ENOTFOUND'), { code: 'ENOTFOUND' });
    };
    expect(await resolveCheckedAddresses('[::1]', ['::1'], { lookup })).toEqual({ ok: true, addresses: [{ address: '::1', family: 6 }] });
    expect(called).toBe(0);
    expect(await resolveCheckedAddresses('nope.invalid', [], { lookup })).toMatchObject({ ok: false, code: 'dns_failed' });
  });
});

describe('createPinnedLookup', () => {
  it('[private-networks-operator-only]: sockets connect only to the pre-checked address of a known host name', async () => {
    const server = await startServer();
    try {
      const lookup = createPinnedLookup(new Map([['pinned.test', [{ address: '127.0.0.1', family: 4 as const }]]]));
      const connected = await new Promise<string>((resolve, reject) => {
        const socket = connect({ host: 'pinned.test', port: server.port, lookup }, () => {
          resolve(socket.remoteAddress ?? '');
          socket.destroy();
        });
        socket.on('error', reject);
      });
      expect(connected).toBe('127.0.0.1');
      const refused = await new Promise<string>((resolve) => {
        const socket = connect({ host: 'unchecked.test', port: server.port, lookup }, () => resolve('connected'));
        socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
      });
      expect(refused).toBe('ENOTFOUND');
    } finally {
      await server.close();
    }
  });
});
