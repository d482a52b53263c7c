import { assertSelect, isCollectionPath, resolveTarget } from './client.js';
import { GraphErrorCodes, RucheGraphError } from './errors.js';
import { backoffDelay, defaultRetryPolicy, isRetryableStatus, parseRetryAfter } from './retry.js';

describe('parseRetryAfter', () => {
  const now = Date.UTC(2026, 0, 1, 12, 0, 0);

  test('reads delta-seconds', () => {
    expect(parseRetryAfter('0', now)).toBe(0);
    expect(parseRetryAfter('7', now)).toBe(7000);
    expect(parseRetryAfter(' 2 ', now)).toBe(2000);
  });

  test('reads an HTTP date relative to now, never negative', () => {
    expect(parseRetryAfter(new Date(now + 5000).toUTCString(), now)).toBe(5000);
    expect(parseRetryAfter(new Date(now - 5000).toUTCString(), now)).toBe(0);
  });

  test('ignores absent or unreadable values', () => {
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });
});

describe('backoffDelay', () => {
  test('grows exponentially within the jitter window and is capped', () => {
    const policy = { ...defaultRetryPolicy, baseDelayMs: 100, maxDelayMs: 1000 };
    expect(backoffDelay(0, policy, () => 0)).toBe(50);
    expect(backoffDelay(0, policy, () => 0.999999)).toBe(100);
    expect(backoffDelay(2, policy, () => 0)).toBe(200);
    expect(backoffDelay(10, policy, () => 0.999999)).toBe(1000);
  });
});

test('retries 429, 503 and 504 only', () => {
  expect([429, 503, 504].every(isRetryableStatus)).toBe(true);
  expect([400, 401, 403, 404, 409, 500, 502].some(isRetryableStatus)).toBe(false);
});

describe('$select rule', () => {
  test('recognises collections by their last segment', () => {
    expect(isCollectionPath('/users')).toBe(true);
    expect(isCollectionPath('/users/delta()')).toBe(true);
    expect(isCollectionPath('/groups/abc/members')).toBe(true);
    expect(isCollectionPath('/users/abc')).toBe(false);
    expect(isCollectionPath('/users/abc/manager')).toBe(false);
  });

  test('throws a coded error for a collection GET without $select', () => {
    expect(() => assertSelect('GET', '/users?$top=5')).toThrow(RucheGraphError);
    try {
      assertSelect('GET', '/groups/x/members');
    } catch (error) {
      expect((error as RucheGraphError).code).toBe(GraphErrorCodes.SelectRequired);
    }
    expect(() => assertSelect('GET', '/users?$select=id')).not.toThrow();
    expect(() => assertSelect('GET', '/users/delta()?$skiptoken=abc')).not.toThrow();
    expect(() => assertSelect('POST', '/external/connections')).not.toThrow();
  });
});

describe('resolveTarget', () => {
  test('keeps relative paths and splits absolute Graph links into version and path', () => {
    expect(resolveTarget('/users', 'https://graph.microsoft.com', 'v1.0')).toEqual({ version: 'v1.0', pathAndQuery: '/users' });
    expect(resolveTarget('https://graph.microsoft.com/beta/users/delta()?$skiptoken=x', 'http://127.0.0.1:1', 'v1.0')).toEqual({
      version: 'beta',
      pathAndQuery: '/users/delta()?$skiptoken=x',
    });
    expect(resolveTarget('http://127.0.0.1:1234/v1.0/users?$select=id', 'http://127.0.0.1:1234', 'v1.0').pathAndQuery).toBe('/users?$select=id');
  });

  test('refuses links to other hosts (a token must not leak)', () => {
    expect(() => resolveTarget('https://evil.example/v1.0/users', 'https://graph.microsoft.com', 'v1.0')).toThrow(
      expect.objectContaining({ code: GraphErrorCodes.UntrustedLink }),
    );
  });
});
