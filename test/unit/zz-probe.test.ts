import http from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { HttpClient, MAX_RESPONSE_BYTES, type LookupFn } from '../../src/destinations/http-client';
import { classifyFailure } from '../../src/destinations/outcome';
const lookup: LookupFn = (_h, o, cb) => (o as any).all ? cb(null, [{ address: '127.0.0.1', family: 4 }]) : cb(null, '127.0.0.1', 4);
test('probe', async () => {
  const server = http.createServer((req, res) => {
    if (req.url === '/exact') return res.end('x'.repeat(MAX_RESPONSE_BYTES));
    if (req.url === '/hang') return;
    res.end(JSON.stringify(req.headers));
  });
  server.listen(0, '127.0.0.1'); await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  const c = new HttpClient(lookup);
  const policy = { allowPrivate: true, allowInsecure: true };
  const r = await c.send({ url: `http://hooks.test:${port}/exact`, method: 'GET', headers: {}, timeoutMs: 2000, policy });
  console.log('exact', r.body.length, r.truncated);
  for (const v of ['a\x01b', '€', ' lead']) {
    try { const r2 = await c.send({ url: `http://hooks.test:${port}/h`, method: 'POST', headers: { 'x-a': v }, body: '{}', timeoutMs: 2000, policy }); console.log('hdr ok', JSON.stringify(v), r2.body) }
    catch (e: any) { console.log('hdr err', JSON.stringify(v), e.name, e.code, e.message, classifyFailure(e, 1, 2000)) }
  }
  const r3 = await c.send({ url: `http://hooks.test:${port}/h`, method: 'POST', headers: { Authorization: 'Bearer user', authorization: 'Bearer auth' }, body: '{}', timeoutMs: 2000, policy }); console.log(r3.body);
  try { await c.send({ url: `http://hooks.test:${port}/hang`, method: 'POST', headers: {}, body: '{}', timeoutMs: 300, policy }) }
  catch (e: any) { console.log('hang', e.name, e.code, e.message, classifyFailure(e, 1, 300)) }
  await c.close();
  server.closeAllConnections(); server.close();
});
