import { describe, expect, it } from 'vitest';
import { isPublicAddress, resolveTarget } from './address';

describe('webhook target addresses', () => {
  it.each([
    '127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.0.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '224.0.0.1', '255.255.255.255',
    '::1', '::', 'fe80::1', 'fc00::1', 'fd12:3456::1', 'ff02::1',
    '::ffff:127.0.0.1', '::ffff:10.0.0.1', '::ffff:a9fe:a9fe', '64:ff9b::a00:1', '2002:a00:1::1',
  ])('refuses %s', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each(['93.184.215.14', '8.8.8.8', '2606:4700:4700::1111', '::ffff:8.8.8.8'])('allows %s', (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });

  it('refuses http and credentials unless private targets are allowed, and checks literal addresses without DNS', async () => {
    await expect(resolveTarget('http://93.184.215.14/x', false)).rejects.toMatchObject({ problem: 'webhookUrlHttps' });
    await expect(resolveTarget('https://user:pw@93.184.215.14/x', false)).rejects.toMatchObject({ problem: 'webhookUrlHttps' });
    await expect(resolveTarget('https://[::ffff:7f00:1]/x', false)).rejects.toMatchObject({ problem: 'webhookUrlPrivate' });
    await expect(resolveTarget('https://93.184.215.14/x', false)).resolves.toMatchObject({ address: '93.184.215.14', family: 4 });
    await expect(resolveTarget('http://127.0.0.1:8080/x', true)).resolves.toMatchObject({ address: '127.0.0.1' });
  });
});
