import { beforeAll, describe, expect, it } from 'vitest';
import { createApiKit, type ApiKit } from './kit.js';

/** Fault 6 of issue #18: the API description promises only what the API does. */

let api: ApiKit;
let doc: any;
beforeAll(async () => {
  api = await createApiKit();
  doc = await (await api.app.request('/openapi.json')).json();
});

function patternsIn(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((item) => patternsIn(item, found));
  else if (value && typeof value === 'object') {
    for (const [key, member] of Object.entries(value)) {
      if (key === 'pattern' && typeof member === 'string') found.push(member);
      else patternsIn(member, found);
    }
  }
  return found;
}

describe('/openapi.json', () => {
  it('every pattern is an ECMA-262 regular expression without a trailing flag suffix', () => {
    const patterns = patternsIn(doc);
    expect(patterns.length).toBeGreaterThan(5);
    for (const pattern of patterns) {
      expect(pattern, pattern).not.toMatch(/\/[a-z]+$/);
      expect(() => new RegExp(pattern, 'u'), pattern).not.toThrow();
    }
  });

  it('the cosignature line pattern matches a real signed-note signature line', () => {
    const pattern = new RegExp(doc.components.schemas.Cosignature.properties.line.pattern, 'u');
    expect(pattern.test('\u2014 witness.example/w1 AAAAAQID8QmLqnWm0X1x1c1c1Q==\n')).toBe(true);
    expect(pattern.test('- witness AAAA')).toBe(false);
  });
});

describe('GET /carriers?limit=', () => {
  it('takes decimal digits only: 0x10, 1e1, 16.0 and " 16" are refused, 16 is taken', async () => {
    const token = await api.login('clerk1');
    for (const limit of ['0x10', '1e1', '16.0', '%2016', '0b1', '+16', '']) {
      const reply = await api.call('GET', `/carriers?limit=${limit}`, { token });
      expect(reply.status, limit).toBe(400);
      expect(reply.body.issues[0].path).toEqual(['limit']);
    }
    expect((await api.call('GET', '/carriers?limit=16', { token })).status).toBe(200);
  });
});
