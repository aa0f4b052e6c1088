import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { problem, PROBLEM_MEDIA_TYPE, type Problem } from '../api/problems.js';

/**
 * Requests Node's HTTP parser refuses before the app sees them. Node's own answer is a bare status
 * line with no body; ours is the API's problem+json, and the connection is closed (the parser
 * cannot find where the next request would start). The parser's own words (HPE_...) stay inside.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  // Nothing to answer to: the client went away, or a response is already under way on this socket.
  if (error.code === 'ECONNRESET' || !socket.writable || (socket as { _httpMessage?: unknown })._httpMessage) {
    socket.destroy();
    return;
  }
  const p = problemForClientError(error.code);
  const body = JSON.stringify(p);
  socket.end(
    `HTTP/1.1 ${p.status} ${STATUS_CODES[p.status]}\r\nContent-Type: ${PROBLEM_MEDIA_TYPE}\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

function problemForClientError(code: string | undefined): Problem {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return problem('headers-too-large', 'the request headers are larger than the server accepts (16 KiB in all)');
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return problem('payload-too-large', 'the chunk extensions are larger than the server accepts');
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return problem('request-timeout', 'the request did not arrive in time');
    default:
      return problem('malformed-request', 'the request is not valid HTTP/1.1');
  }
}

/** @hono/node-server's answer when a request cannot even be turned into a fetch Request: a problem, not an empty 400. */
export function adaptorErrorResponse(log: (error: unknown) => void) {
  return (error: unknown): Response => {
    const requestError = error instanceof Error && error.name === 'RequestError';
    if (!requestError) log(error);
    const p = requestError
      ? problem('malformed-request', 'the request could not be read (its URL or headers are malformed)')
      : problem('internal', 'the server could not complete the request; the error was logged');
    return new Response(JSON.stringify(p), { status: p.status, headers: { 'content-type': PROBLEM_MEDIA_TYPE } });
  };
}
