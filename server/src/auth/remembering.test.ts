import { RucheError } from '@ruche/core';
import { rememberingVerifier, type TokenVerifier, type VerifiedIdentity } from './tokens.js';

function identity(subjectId: string, expiresAt: number): VerifiedIdentity {
  return { tenantId: 't', subjectId, kind: 'dev', scopes: [], expiresAt };
}

/** A verifier that accepts tokens named "ok-<subject>-<expiresAt>" and counts its checks. */
function countingVerifier(): TokenVerifier & { checks: number } {
  const v = {
    checks: 0,
    async verify(token: string) {
      v.checks++;
      const m = /^ok-(\w+)-(\d+)$/.exec(token);
      if (!m) throw new RucheError('AUTH_INVALID', 'bad token');
      return identity(m[1]!, Number(m[2]));
    },
  };
  return v;
}

describe('remembering verified tokens', () => {
  test('a token is checked once while it is valid, and again once it has expired', async () => {
    let clock = 1_000;
    const inner = countingVerifier();
    const verifier = rememberingVerifier(inner, { now: () => clock });
    expect((await verifier.verify('ok-ann-5000')).subjectId).toBe('ann');
    expect((await verifier.verify('ok-ann-5000')).subjectId).toBe('ann');
    expect(inner.checks).toBe(1);
    clock = 5_000;
    await verifier.verify('ok-ann-5000');
    expect(inner.checks).toBe(2);
  });

  test('refused tokens are never remembered: each attempt is checked and refused', async () => {
    const inner = countingVerifier();
    const verifier = rememberingVerifier(inner, { now: () => 0 });
    await expect(verifier.verify('forged')).rejects.toMatchObject({ code: 'AUTH_INVALID' });
    await expect(verifier.verify('forged')).rejects.toMatchObject({ code: 'AUTH_INVALID' });
    expect(inner.checks).toBe(2);
  });

  test('a token accepted although already expired (clock tolerance) is not remembered', async () => {
    const inner = countingVerifier();
    const verifier = rememberingVerifier(inner, { now: () => 10_000 });
    await verifier.verify('ok-bob-9000');
    await verifier.verify('ok-bob-9000');
    expect(inner.checks).toBe(2);
  });

  test('at most max tokens are remembered, the oldest forgotten first', async () => {
    const inner = countingVerifier();
    const verifier = rememberingVerifier(inner, { max: 2, now: () => 0 });
    await verifier.verify('ok-a-10');
    await verifier.verify('ok-b-10');
    await verifier.verify('ok-c-10');
    expect(inner.checks).toBe(3);
    await verifier.verify('ok-c-10');
    await verifier.verify('ok-b-10');
    expect(inner.checks).toBe(3);
    await verifier.verify('ok-a-10');
    expect(inner.checks).toBe(4);
  });
});
