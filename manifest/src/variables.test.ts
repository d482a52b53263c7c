import { ManifestBuildError, ManifestErrorCode } from './errors.js';
import {
  DEFAULT_APP_ID,
  PLACEHOLDER_AAD_APP_CLIENT_ID,
  PLACEHOLDER_BOT_ID,
  domainCovers,
  resolveVariables,
} from './variables.js';
import { workspaceVersion } from './paths.js';

const PRODUCTION = {
  NODE_ENV: 'production',
  TAB_ENDPOINT: 'https://ruche.contoso.com',
  BOT_ID: '6d1c9a4e-3b2f-4c5d-8e7f-9a0b1c2d3e4f',
  AAD_APP_CLIENT_ID: '0f9e8d7c-6b5a-4c3d-9e2f-1a0b9c8d7e6f',
};

function failure(fn: () => unknown): ManifestBuildError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ManifestBuildError) return error;
    throw error;
  }
  throw new Error('expected a ManifestBuildError');
}

describe('resolveVariables', () => {
  it('needs no variable at all for local use, with documented defaults', () => {
    expect(resolveVariables({})).toEqual({
      APP_ID: DEFAULT_APP_ID,
      APP_VERSION: workspaceVersion(),
      TAB_ENDPOINT: 'http://localhost:3978',
      TAB_DOMAIN: 'localhost',
      BOT_ID: PLACEHOLDER_BOT_ID,
      AAD_APP_CLIENT_ID: PLACEHOLDER_AAD_APP_CLIENT_ID,
      PRIVACY_URL: 'http://localhost:3978/privacy',
      TERMS_URL: 'http://localhost:3978/terms',
    });
  });

  it('derives TAB_DOMAIN and the legal URLs from TAB_ENDPOINT, without its trailing slash', () => {
    const v = resolveVariables({ ...PRODUCTION, TAB_ENDPOINT: 'https://ruche.contoso.com/' });
    expect(v.TAB_ENDPOINT).toBe('https://ruche.contoso.com');
    expect(v.TAB_DOMAIN).toBe('ruche.contoso.com');
    expect(v.PRIVACY_URL).toBe('https://ruche.contoso.com/privacy');
  });

  it('fails in production without BOT_ID, naming the variable and where it goes', () => {
    const { BOT_ID: _omitted, ...env } = PRODUCTION;
    const error = failure(() => resolveVariables(env));
    expect(error.code).toBe(ManifestErrorCode.VariableMissing);
    expect(error.message).toContain('BOT_ID');
    expect(error.message).toContain('NODE_ENV=production');
    expect(error.message).toContain('bots[0].botId');
    expect(error.problems).toHaveLength(1);
  });

  it('reports every missing variable at once, without noise from values derived from them', () => {
    const error = failure(() => resolveVariables({ NODE_ENV: 'production' }));
    expect(error.problems.map((p) => p.split(' ')[0])).toEqual(['TAB_ENDPOINT', 'BOT_ID', 'AAD_APP_CLIENT_ID']);
  });

  it('treats an empty variable as unset', () => {
    const error = failure(() => resolveVariables({ ...PRODUCTION, AAD_APP_CLIENT_ID: '  ' }));
    expect(error.message).toContain('AAD_APP_CLIENT_ID');
  });

  it('refuses the local placeholders and plain http in production', () => {
    const error = failure(() =>
      resolveVariables({ ...PRODUCTION, BOT_ID: PLACEHOLDER_BOT_ID, TAB_ENDPOINT: 'http://ruche.contoso.com' }),
    );
    expect(error.code).toBe(ManifestErrorCode.VariableInvalid);
    expect(error.message).toMatch(/TAB_ENDPOINT=.*https/);
    expect(error.message).toMatch(/BOT_ID=.*placeholder/);
  });

  it('refuses values the manifest cannot hold', () => {
    const error = failure(() => resolveVariables({ BOT_ID: 'my-bot', APP_VERSION: '1.0.0-beta.1', TAB_DOMAIN: 'https://x.y' }));
    expect(error.problems.map((p) => p.split('=')[0])).toEqual(['APP_VERSION', 'TAB_DOMAIN', 'BOT_ID']);
  });

  it('refuses a TAB_DOMAIN that does not cover TAB_ENDPOINT', () => {
    const error = failure(() => resolveVariables({ ...PRODUCTION, TAB_DOMAIN: 'other.contoso.com' }));
    expect(error.message).toContain('TAB_DOMAIN');
  });

  it('matches domains the way validDomains does', () => {
    const url = new URL('https://ruche.contoso.com:8443/tabs/home');
    expect(domainCovers('ruche.contoso.com', url)).toBe(true);
    expect(domainCovers('ruche.contoso.com:8443', url)).toBe(true);
    expect(domainCovers('*.contoso.com', url)).toBe(true);
    expect(domainCovers('contoso.com', url)).toBe(false);
  });
});
