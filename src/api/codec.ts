// The remote codec endpoint the Temporal UI calls to show encrypted payloads in plaintext
// (POST /codec/decode and /codec/encode, JSON payloads with base64 fields). Open to the UI's origin
// (CORS); it answers callers on loopback (the UI of `herald start`) and anyone else only with the API key.
import express, { Router, type RequestHandler } from 'express';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { z } from 'zod';
import { requireApiKey } from './auth';
import { parseBody } from './errors';

type JsonPayload = { metadata?: Record<string, string>; data?: string };

const bodySchema = z.strictObject({
  payloads: z.array(z.looseObject({ metadata: z.record(z.string(), z.string()).optional(), data: z.string().optional() })).max(1000),
});

const fromJson = (p: JsonPayload): Payload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
  data: Buffer.from(p.data ?? '', 'base64'),
});
const toJson = (p: Payload): JsonPayload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? new Uint8Array()).toString('base64')])),
  data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
});

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

export function codecRouter(deps: { codec: PayloadCodec; uiOrigin: string; apiKeys: readonly string[] }) {
  const router = Router();
  const keyed = requireApiKey(deps.apiKeys);
  const cors: RequestHandler = (req, res, next) => {
    res.set({
      'Access-Control-Allow-Origin': deps.uiOrigin,
      'Access-Control-Allow-Methods': 'POST, OPTIONS',
      'Access-Control-Allow-Headers': 'Content-Type, X-Namespace, Authorization',
      'Access-Control-Allow-Credentials': 'true',
      Vary: 'Origin',
    });
    if (req.method === 'OPTIONS') return void res.status(204).end();
    next();
  };
  const localOrKeyed: RequestHandler = (req, res, next) => (LOOPBACK.has(req.socket.remoteAddress ?? '') ? next() : keyed(req, res, next));

  router.use(cors, localOrKeyed, express.json({ limit: '4mb' }));
  for (const direction of ['encode', 'decode'] as const) {
    router.post(`/${direction}`, async (req, res) => {
      const { payloads } = parseBody(bodySchema, req.body);
      const result = await deps.codec[direction](payloads.map(fromJson));
      res.json({ payloads: result.map(toJson) });
    });
  }
  return router;
}
