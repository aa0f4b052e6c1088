import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/server/server.js';

/**
 * Fault 5 (first half) and the 431 of fault 6, issue #18: what a raw socket sees. A response that
 * promises keep-alive must keep the connection usable; one that cannot says `Connection: close`.
 */

let dir: string;
let running: RunningServer;
let port: number;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'custody-connections-'));
  running = await startServer({ dbPath: join(dir, 'custody.db'), port: 0, checkpointSeconds: 0 });
  port = Number(new URL(running.url).port);
});
afterAll(async () => {
  await running.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A raw connection that collects what the server sends, and knows when the server closed it. */
function rawConnection() {
  const socket: Socket = connect(port, '127.0.0.1');
  let received = '';
  const waiters: (() => void)[] = [];
  socket.on('data', (chunk) => {
    received += chunk.toString('latin1');
    for (const wake of waiters.splice(0)) wake();
  });
  const ended = new Promise<'ended'>((resolve) => socket.on('close', () => resolve('ended')));
  socket.on('error', () => undefined);
  ended.then(() => {
    for (const wake of waiters.splice(0)) wake();
  });
  /** Waits until `count` complete responses (headers and Content-Length body) have arrived, or the socket ended. */
  async function responses(count: number): Promise<{ status: number; headers: Record<string, string>; body: string }[]> {
    for (;;) {
      const parsed = parseResponses(received);
      if (parsed.length >= count || socket.destroyed) return parsed;
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
  }
  return { socket, ended, responses };
}

function parseResponses(text: string) {
  const parsed: { status: number; headers: Record<string, string>; body: string }[] = [];
  let rest = text;
  for (;;) {
    const end = rest.indexOf('\r\n\r\n');
    if (end < 0) return parsed;
    const [statusLine, ...lines] = rest.slice(0, end).split('\r\n');
    const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
    const length = Number(headers['content-length'] ?? 0);
    if (rest.length < end + 4 + length) return parsed;
    parsed.push({ status: Number(statusLine!.split(' ')[1]), headers, body: rest.slice(end + 4, end + 4 + length) });
    rest = rest.slice(end + 4 + length);
  }
}

describe('a body over the limit', () => {
  it('413 says Connection: close and the server closes after its problem, body sent or not', async () => {
    for (const sendBody of [true, false]) {
      const { socket, ended, responses } = rawConnection();
      const size = 2 * 1024 * 1024;
      socket.write(`POST /acts HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${size}\r\n\r\n`);
      if (sendBody) socket.write('x'.repeat(size));
      const [reply] = await responses(1);
      expect(reply!.status).toBe(413);
      expect(reply!.headers['connection']).toBe('close');
      expect(reply!.headers['content-type']).toBe('application/problem+json');
      expect(JSON.parse(reply!.body)).toMatchObject({ status: 413, type: 'urn:custody-ledger:problem:payload-too-large' });
      expect(await ended).toBe('ended');
    }
  });

  it('a request that fits keeps its connection alive for the next one', async () => {
    const { socket, responses } = rawConnection();
    const body = JSON.stringify({ personId: 'nobody' });
    socket.write(`POST /auth/challenge HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
    socket.write('GET /health HTTP/1.1\r\nHost: x\r\n\r\n');
    const replies = await responses(2);
    expect(replies.map((r) => r.status)).toEqual([200, 200]);
    socket.destroy();
  });
});

describe('requests the HTTP parser refuses', () => {
  it('431 for oversized headers, with a problem+json body', async () => {
    const { socket, ended, responses } = rawConnection();
    socket.write(`GET /health HTTP/1.1\r\nHost: x\r\nX-Padding: ${'a'.repeat(64 * 1024)}\r\n\r\n`);
    const [reply] = await responses(1);
    expect(reply!.status).toBe(431);
    expect(reply!.headers['content-type']).toBe('application/problem+json');
    expect(reply!.headers['connection']).toBe('close');
    expect(JSON.parse(reply!.body)).toMatchObject({ status: 431, type: 'urn:custody-ledger:problem:headers-too-large' });
    expect(await ended).toBe('ended');
  });

  it('400 for a request that is not HTTP, with a problem+json body', async () => {
    const { socket, ended, responses } = rawConnection();
    socket.write('HELLO THERE\r\n\r\n');
    const [reply] = await responses(1);
    expect(reply!.status).toBe(400);
    expect(reply!.headers['content-type']).toBe('application/problem+json');
    expect(JSON.parse(reply!.body)).toMatchObject({ status: 400, type: 'urn:custody-ledger:problem:malformed-request' });
    expect(JSON.parse(reply!.body).detail).not.toMatch(/HPE_|Parse Error/);
    expect(await ended).toBe('ended');
  });

  it('400 problem for a request line the adaptor cannot turn into a URL (a backslash in the path)', async () => {
    const { socket, responses } = rawConnection();
    socket.write('GET /carriers\\C1 HTTP/1.1\r\nHost: x\r\n\r\n');
    const [reply] = await responses(1);
    expect(reply!.status).toBe(400);
    expect(reply!.headers['content-type']).toBe('application/problem+json');
    expect(JSON.parse(reply!.body)).toMatchObject({ type: 'urn:custody-ledger:problem:malformed-request' });
    socket.destroy();
  });
});
