// Per-IP limits: an IPv6 client is its /64, an IPv4 client its address, an IPv4-mapped address its IPv4 address.
import { clientKey } from './client-address';

describe('clientKey', () => {
  it('groups the addresses of one IPv6 /64, however they are written', () => {
    const key = clientKey('2001:db8:1:2::1');
    expect(key).toBe('2001:db8:1:2::/64');
    for (const same of ['2001:db8:1:2:ffff:ffff:ffff:ffff', '2001:0DB8:0001:0002:0:0:0:9', '2001:db8:1:2:a::', '2001:db8:1:2::1%eth0']) {
      expect(clientKey(same)).toBe(key);
    }
  });

  it('keeps two /64s apart, the neighbouring one included', () => {
    expect(clientKey('2001:db8:1:3::1')).toBe('2001:db8:1:3::/64');
    expect(clientKey('2001:db8:1:2::1')).not.toBe(clientKey('2001:db8:1:3::1'));
    expect(clientKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(clientKey('::1')).toBe('0:0:0:0::/64');
    expect(clientKey('::')).toBe('0:0:0:0::/64');
  });

  it('counts an IPv4-mapped IPv6 address as its IPv4 address, in either spelling', () => {
    expect(clientKey('::ffff:1.2.3.4')).toBe('1.2.3.4');
    expect(clientKey('::FFFF:0102:0304')).toBe('1.2.3.4');
    expect(clientKey('0:0:0:0:0:ffff:203.0.113.9')).toBe('203.0.113.9');
    // Only the mapped prefix is IPv4: an address that merely ends in dotted form is IPv6.
    expect(clientKey('64:ff9b::1.2.3.4')).toBe('64:ff9b:0:0::/64');
  });

  it('keeps IPv4 per address', () => {
    expect(clientKey('203.0.113.1')).toBe('203.0.113.1');
    expect(clientKey('203.0.113.2')).toBe('203.0.113.2');
  });

  it('keys anything that is not an address as itself', () => {
    expect(clientKey('')).toBe('');
    expect(clientKey('unknown')).toBe('unknown');
    expect(clientKey('01.2.3.4')).toBe('01.2.3.4');
    expect(clientKey('2001:db8::1::2')).toBe('2001:db8::1::2');
  });
});
