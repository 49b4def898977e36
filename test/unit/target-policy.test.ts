// Which outbound addresses Herald may reach. Pure checks: nothing here resolves a name or opens a
// socket.
import { addressProblem, urlProblem, type TargetPolicy } from '../../src/domain/target-policy';

const strict: TargetPolicy = { allowPrivate: false, allowInsecure: false };
const insecureOnly: TargetPolicy = { allowPrivate: false, allowInsecure: true };
const privateOnly: TargetPolicy = { allowPrivate: true, allowInsecure: false };
const open: TargetPolicy = { allowPrivate: true, allowInsecure: true };

describe('urlProblem: scheme and port', () => {
  test('https on the default port is accepted', () => {
    expect(urlProblem('https://hooks.example.com/alerts', strict)).toBeUndefined();
    expect(urlProblem('https://hooks.example.com:443/alerts?x=1', strict)).toBeUndefined(); // 443 is the default
    expect(urlProblem('HTTPS://HOOKS.EXAMPLE.COM/alerts', strict)).toBeUndefined();
  });

  test('http is refused unless insecure targets are allowed, and the message says how', () => {
    expect(urlProblem('http://hooks.example.com/alerts', strict)).toBe('must use https (set HERALD_ALLOW_INSECURE_TARGETS=true to allow http)');
    expect(urlProblem('http://hooks.example.com/alerts', privateOnly)).toMatch(/must use https/);
    expect(urlProblem('http://hooks.example.com/alerts', insecureOnly)).toBeUndefined();
  });

  test('a non-default port is refused unless insecure targets are allowed', () => {
    expect(urlProblem('https://hooks.example.com:8443/alerts', strict)).toMatch(/default https port.*HERALD_ALLOW_INSECURE_TARGETS/);
    expect(urlProblem('https://hooks.example.com:80/alerts', strict)).toMatch(/default https port/);
    expect(urlProblem('https://hooks.example.com:8443/alerts', insecureOnly)).toBeUndefined();
    expect(urlProblem('http://hooks.example.com:9000/alerts', insecureOnly)).toBeUndefined();
  });

  test.each(['ftp://hooks.example.com/x', 'file:///etc/passwd', 'ws://hooks.example.com/x', 'javascript:alert(1)'])(
    'only http(s) is ever allowed: %s',
    (url) => {
      expect(urlProblem(url, open)).toBe('must be an https:// URL');
    },
  );

  test.each(['not a url', '', '/relative/path', 'https://'])('%j is not a valid URL', (url) => {
    expect(urlProblem(url, open)).toBe('is not a valid URL');
  });

  test('credentials in the URL are refused even when everything else is allowed', () => {
    expect(urlProblem('https://user:pw@hooks.example.com/x', open)).toMatch(/credentials/);
    expect(urlProblem('https://token@hooks.example.com/x', open)).toMatch(/credentials/);
  });
});

describe('urlProblem: private and loopback targets', () => {
  test.each([
    ['IPv4 loopback', 'https://127.0.0.1/x', /loopback/],
    ['another 127/8 address', 'https://127.1.2.3/x', /loopback/],
    ['RFC 1918 10/8', 'https://10.0.0.1/x', /private/],
    ['RFC 1918 172.16/12', 'https://172.31.255.1/x', /private/],
    ['RFC 1918 192.168/16', 'https://192.168.1.1/x', /private/],
    ['link-local', 'https://169.254.1.1/x', /linkLocal/],
    ['cloud metadata', 'https://169.254.169.254/latest/meta-data/', /linkLocal/],
    ['unspecified', 'https://0.0.0.0/x', /unspecified/],
    ['IPv6 loopback', 'https://[::1]/x', /loopback/],
    ['IPv6 unique-local fc00::/7 (fc)', 'https://[fc00::1]/x', /uniqueLocal/],
    ['IPv6 unique-local fc00::/7 (fd)', 'https://[fdff:ffff::1]/x', /uniqueLocal/],
    ['IPv6 link-local', 'https://[fe80::1]/x', /linkLocal/],
    ['IPv4-mapped loopback', 'https://[::ffff:127.0.0.1]/x', /loopback/],
    ['IPv4-mapped private', 'https://[::ffff:10.0.0.1]/x', /private/],
    ['IPv4-mapped metadata', 'https://[::ffff:169.254.169.254]/x', /linkLocal/],
    ['decimal loopback', 'https://2130706433/x', /loopback/],
    ['hex loopback', 'https://0x7f.0.0.1/x', /loopback/],
    ['octal private', 'https://012.0.0.1/x', /private/],
    ['localhost', 'https://localhost/x', /loopback/],
    ['a localhost subdomain', 'https://api.localhost/x', /loopback/],
    ['LOCALHOST in capitals', 'https://LOCALHOST/x', /loopback/],
  ])('%s is refused: %s', (_label, url, reason) => {
    const problem = urlProblem(url, strict);
    expect(problem).toMatch(reason);
    expect(problem).toMatch(/HERALD_ALLOW_PRIVATE_TARGETS=true/);
  });

  test('the loopback name with a trailing dot (an equivalent FQDN) is refused like localhost', () => {
    expect(urlProblem('https://localhost./x', strict)).toMatch(/loopback/);
    expect(urlProblem('https://api.localhost./x', strict)).toMatch(/loopback/);
  });

  test('private targets are accepted when allowed', () => {
    for (const url of ['https://127.0.0.1/x', 'https://10.0.0.1/x', 'https://[::1]/x', 'https://[fd00::1]/x', 'https://localhost/x', 'https://169.254.169.254/x']) {
      expect(urlProblem(url, privateOnly)).toBeUndefined();
    }
    expect(urlProblem('http://127.0.0.1:9000/x', open)).toBeUndefined();
  });

  test('allowing private targets does not allow http', () => {
    expect(urlProblem('http://127.0.0.1/x', privateOnly)).toMatch(/must use https/);
  });

  test('a public IP literal is accepted', () => {
    expect(urlProblem('https://93.184.216.34/x', strict)).toBeUndefined();
    expect(urlProblem('https://[2606:4700:4700::1111]/x', strict)).toBeUndefined();
  });

  test('names that merely contain "localhost" are not loopback', () => {
    expect(urlProblem('https://localhost.example.com/x', strict)).toBeUndefined();
    expect(urlProblem('https://mylocalhost/x', strict)).toBeUndefined();
  });
});

describe('addressProblem', () => {
  test.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['10.0.0.1', 'private'],
    ['10.255.255.255', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'linkLocal'],
    ['169.254.0.1', 'linkLocal'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['240.0.0.1', 'reserved'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fc00::', 'uniqueLocal'],
    ['fd12:3456:789a::1', 'uniqueLocal'],
    ['fe80::1', 'linkLocal'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:192.168.1.1', 'private'],
    ['::ffff:169.254.169.254', 'linkLocal'],
  ])('%s is refused as %s, naming the address and the setting', (address, range) => {
    expect(addressProblem(address, strict)).toBe(
      `resolves to a ${range} address (${address}); set HERALD_ALLOW_PRIVATE_TARGETS=true to allow private targets`,
    );
  });

  test.each(['93.184.216.34', '8.8.8.8', '172.15.255.255', '172.32.0.1', '192.167.1.1', '169.253.1.1', '11.0.0.1', '2606:4700:4700::1111', '::ffff:93.184.216.34'])(
    'public address %s is allowed',
    (address) => {
      expect(addressProblem(address, strict)).toBeUndefined();
    },
  );

  test('allowPrivate allows every range', () => {
    for (const address of ['127.0.0.1', '10.0.0.1', '169.254.169.254', '::1', 'fd00::1', '::ffff:127.0.0.1']) {
      expect(addressProblem(address, privateOnly)).toBeUndefined();
    }
  });

  test('the deprecated IPv4-compatible IPv6 form is judged by its IPv4 address', () => {
    expect(addressProblem('::7f00:1', strict)).toMatch(/loopback/);
    expect(addressProblem('::a9fe:a9fe', strict)).toMatch(/linkLocal/);
    expect(addressProblem('::5db8:d822', strict)).toBeUndefined(); // 93.184.216.34
  });

  test('allowInsecure alone does not allow private addresses', () => {
    expect(addressProblem('10.0.0.1', insecureOnly)).toMatch(/private/);
  });
});
