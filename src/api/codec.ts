// The remote codec endpoint the Temporal UI calls to show encrypted payloads in plaintext
// (POST /codec/decode and /codec/encode, JSON payloads with base64 fields). Open to the UI's origin
// (CORS). Every caller needs the API key, whatever its address (behind a reverse proxy on the same
// host every caller is loopback), except the embedded UI of `herald start`: it alone is given
// /codec/ui/<token>/, a path with a random token made at each start.
import { timingSafeEqual } from 'node:crypto';
import express, { Router, type RequestHandler } from 'express';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { z } from 'zod';
import { requireApiKey, requireScope } from './auth';
import type { Scope } from '../domain/api-scopes';
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

const sameToken = (given: string, token: string) => given.length === token.length && timingSafeEqual(Buffer.from(given), Buffer.from(token));

export function codecRouter(deps: { codec: PayloadCodec; uiOrigin: string; apiKeys: readonly string[]; apiKeyScopes?: ReadonlyMap<string, readonly Scope[]>; uiToken?: string }) {
  const router = Router();
  // Decrypting any payload is as much as reading every secret: admin keys only.
  const keyed = [requireApiKey(deps.apiKeys, deps.apiKeyScopes), requireScope('admin')];
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
  const embeddedUi: RequestHandler = (req, res, next) => {
    if (deps.uiToken && sameToken(String(req.params.token), deps.uiToken)) return next();
    res.status(404).json({ error: { code: 'not_found', message: 'no such codec endpoint' } });
  };
  const convert = (direction: 'encode' | 'decode'): RequestHandler => async (req, res) => {
    const { payloads } = parseBody(bodySchema, req.body);
    const result = await deps.codec[direction](payloads.map(fromJson));
    res.json({ payloads: result.map(toJson) });
  };
  const json = express.json({ limit: '4mb' });
  for (const direction of ['encode', 'decode'] as const) {
    router.post(`/ui/:token/${direction}`, cors, embeddedUi, json, convert(direction));
    router.options(`/ui/:token/${direction}`, cors);
    router.post(`/${direction}`, cors, keyed, json, convert(direction));
    router.options(`/${direction}`, cors);
  }
  return router;
}
