import { GraphErrorCodes } from './errors.js';
import { appOnlyTokenProvider, fromTokenFunction, graphDefaultScope, onBehalfOfTokenProvider, staticTokenProvider } from './tokens.js';

const scopes = [graphDefaultScope];

test('app-only and on-behalf-of need exactly one credential and ids', () => {
  expect(() => appOnlyTokenProvider({ tenantId: 't', clientId: 'c' })).toThrow(expect.objectContaining({ code: GraphErrorCodes.InvalidArgument }));
  expect(() =>
    appOnlyTokenProvider({ tenantId: 't', clientId: 'c', clientSecret: 's', clientCertificate: { thumbprintSha256: 'ab', privateKey: 'k' } }),
  ).toThrow(expect.objectContaining({ code: GraphErrorCodes.InvalidArgument }));
  expect(() => appOnlyTokenProvider({ tenantId: '', clientId: 'c', clientSecret: 's' })).toThrow(expect.objectContaining({ code: GraphErrorCodes.InvalidArgument }));
  expect(() => onBehalfOfTokenProvider({ tenantId: 't', clientId: 'c', clientSecret: 's', userAssertion: '' })).toThrow(
    expect.objectContaining({ code: GraphErrorCodes.InvalidArgument }),
  );
});

test('token functions are adapted, and their failures coded without leaking the message', async () => {
  expect(await staticTokenProvider('abc')({ scopes })).toBe('abc');
  expect(await fromTokenFunction(async () => ({ token: 'xyz' }))({ scopes })).toBe('xyz');
  const failing = fromTokenFunction(async () => {
    throw Object.assign(new Error('secret=hunter2'), { errorCode: 'invalid_client' });
  });
  await expect(failing({ scopes })).rejects.toEqual(expect.objectContaining({ code: GraphErrorCodes.TokenAcquisition, graphCode: 'invalid_client' }));
  await failing({ scopes }).catch((error: Error) => expect(error.message).not.toContain('hunter2'));
  await expect(fromTokenFunction(async () => '')({ scopes })).rejects.toEqual(expect.objectContaining({ code: GraphErrorCodes.TokenAcquisition }));
});

test('an unreachable authority gives a coded token error (no network beyond 127.0.0.1)', async () => {
  const provider = appOnlyTokenProvider({ tenantId: 'contoso', clientId: 'c', clientSecret: 's', authorityHost: 'https://127.0.0.1:9' });
  await expect(provider({ scopes })).rejects.toEqual(expect.objectContaining({ code: GraphErrorCodes.TokenAcquisition }));
});
