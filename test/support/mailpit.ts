// A real SMTP server on loopback for the email tests: Mailpit (github.com/axllent/mailpit), found on
// MAILPIT_PATH, PATH or in Herald's cache, or built once with Go into that cache like the Temporal
// CLI (src/tools/go-built-tools.ts). Each test starts its own, and reads what it received back
// through Mailpit's API.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freeLoopbackPort } from '../../src/free-port';
import { goInstall, heraldCacheDir, isExecutable, onPath, type Log } from '../../src/tools/go-built-tools';

export const MAILPIT_VERSION = 'v1.33.1';
const CACHED_NAME = `mailpit-${MAILPIT_VERSION}`;

/** The Mailpit binary, built into the cache when none is found and Go is there; undefined otherwise. */
export function findMailpit(log: Log, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.MAILPIT_PATH) {
    if (!isExecutable(env.MAILPIT_PATH)) throw new Error(`MAILPIT_PATH=${env.MAILPIT_PATH} is not an executable file`);
    return env.MAILPIT_PATH;
  }
  const cached = path.join(heraldCacheDir(env), 'bin', CACHED_NAME);
  if (isExecutable(cached)) return cached;
  const found = onPath('mailpit', env);
  if (found) return found;
  const built = goInstall({ label: `Mailpit ${MAILPIT_VERSION}`, programs: [{ module: `github.com/axllent/mailpit@${MAILPIT_VERSION}`, name: CACHED_NAME }] }, { env, log });
  return built && isExecutable(cached) ? cached : undefined;
}

export const NO_MAILPIT_HELP = `The email tests need Mailpit (a real SMTP server). Install Go so the tests can build it
(go install github.com/axllent/mailpit@${MAILPIT_VERSION}), or set MAILPIT_PATH to a mailpit binary.`;

export type MailpitOptions = {
  /** user → password; the server then demands a login (PLAIN/LOGIN; before TLS only when it has no TLS). */
  logins?: Record<string, string>;
  /** 'starttls': offers and demands STARTTLS; 'tls': TLS from the first byte. A self-signed localhost certificate. */
  tls?: 'starttls' | 'tls';
  /** Allows changing SMTP answers through the chaos API (setFailure). */
  chaos?: boolean;
};

export type MailpitMessage = {
  ID: string;
  MessageID: string;
  Subject: string;
  From: { Name: string; Address: string };
  To: { Address: string }[];
  Cc: { Address: string }[] | null;
  Text: string;
  HTML: string;
};

export type SmtpStage = 'Sender' | 'Recipient' | 'Authentication';

export class Mailpit {
  private constructor(
    private readonly child: ChildProcess,
    readonly smtpPort: number,
    readonly api: string,
    /** The PEM certificate it presents, when it speaks TLS (the destination's ca_certificate). */
    readonly certificate: string | undefined,
  ) {}

  static async start(opts: MailpitOptions = {}): Promise<Mailpit> {
    const binary = process.env.MAILPIT_PATH;
    if (!binary) throw new Error(NO_MAILPIT_HELP);
    const dir = mkdtempSync(path.join(process.env.HERALD_TEST_SCRATCH ?? os.tmpdir(), 'mailpit-'));
    const [smtpPort, httpPort] = [await freeLoopbackPort(), await freeLoopbackPort()];
    const args = [
      '--smtp', `127.0.0.1:${smtpPort}`, '--listen', `127.0.0.1:${httpPort}`, '--database', path.join(dir, 'mail.db'),
      '--disable-version-check', '--smtp-disable-rdns', '--block-remote-css-and-fonts', '--quiet',
    ];
    if (opts.logins) {
      const file = path.join(dir, 'logins');
      writeFileSync(file, Object.entries(opts.logins).map(([user, pass]) => `${user}:${pass}\n`).join(''));
      // A login before TLS only on a server without TLS (Mailpit refuses the two together).
      args.push('--smtp-auth-file', file, ...(opts.tls ? [] : ['--smtp-auth-allow-insecure']));
    }
    let certificate: string | undefined;
    if (opts.tls) {
      const [cert, key] = [path.join(dir, 'cert.pem'), path.join(dir, 'key.pem')];
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-keyout', key, '-out', cert, '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'], { stdio: 'ignore' });
      certificate = readFileSync(cert, 'utf8');
      args.push('--smtp-tls-cert', cert, '--smtp-tls-key', key, opts.tls === 'tls' ? '--smtp-require-tls' : '--smtp-require-starttls');
    }
    if (opts.chaos) args.push('--enable-chaos');
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = ''; // its errors go to stdout
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    const api = `http://127.0.0.1:${httpPort}`;
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (await fetch(`${api}/readyz`).then((r) => r.ok, () => false)) return new Mailpit(child, smtpPort, api, certificate);
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`Mailpit did not start: ${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Every message received, oldest first, read whole. */
  async messages(): Promise<MailpitMessage[]> {
    const list = (await this.get('/api/v1/messages?limit=500')) as { messages: { ID: string }[] };
    const whole = await Promise.all(list.messages.map((m) => this.get(`/api/v1/message/${m.ID}`) as Promise<MailpitMessage>));
    return whole.reverse();
  }

  /** A message's headers as Mailpit parsed them: name → values. */
  async headers(id: string): Promise<Record<string, string[]>> {
    return (await this.get(`/api/v1/message/${id}/headers`)) as Record<string, string[]>;
  }

  /** From now on, the stage answers with the code at the probability (%); probability 0 turns it off. */
  async setFailure(stage: SmtpStage, errorCode: number, probability = 100): Promise<void> {
    const res = await fetch(`${this.api}/api/v1/chaos`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ [stage]: { ErrorCode: errorCode, Probability: probability } }),
    });
    if (!res.ok) throw new Error(`Mailpit refused the chaos setting: ${res.status} ${await res.text()}`);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    this.child.kill('SIGTERM');
    await once(this.child, 'exit');
  }

  private async get(urlPath: string): Promise<unknown> {
    const res = await fetch(`${this.api}${urlPath}`);
    if (!res.ok) throw new Error(`Mailpit ${urlPath}: ${res.status} ${await res.text()}`);
    return res.json();
  }
}
