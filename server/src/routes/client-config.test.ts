import { loadConfig } from '@ruche/core';
import { clientConfigOf } from './client-config.js';
import { localConfig } from '../testing.js';

const tenant = '11111111-2222-3333-4444-555555555555';
const client = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
const teamsApp = 'ABCDEF01-2345-6789-ABCD-EF0123456789';

describe('client configuration for the tabs', () => {
  it('says local sign-in and has no Entra settings in local mode', () => {
    expect(clientConfigOf(localConfig())).toEqual({ signIn: 'local', clientId: null, authority: null, apiScope: null, teamsAppId: null });
  });

  it('gives the client id, the API scope from the App ID URI and the Teams app id with a tenant', () => {
    const config = loadConfig({
      NODE_ENV: 'development',
      ENTRA_CLIENT_ID: client,
      ENTRA_ALLOWED_TENANTS: tenant,
      ENTRA_APP_ID_URI: `api://ruche.example.com/${client}/`,
      TEAMS_APP_ID: teamsApp,
    });
    expect(clientConfigOf(config)).toEqual({
      signIn: 'entra',
      clientId: client,
      authority: 'https://login.microsoftonline.com',
      apiScope: `api://ruche.example.com/${client}/access_as_user`,
      teamsAppId: teamsApp.toLowerCase(),
    });
  });

  it('asks for api://<client id>/<scope> when no App ID URI is set', () => {
    const config = loadConfig({ NODE_ENV: 'development', ENTRA_CLIENT_ID: client, ENTRA_ALLOWED_TENANTS: tenant, ENTRA_REQUIRED_SCOPE: 'Ruche.Use' });
    expect(clientConfigOf(config).apiScope).toBe(`api://${client}/Ruche.Use`);
  });

  it('refuses a Teams app id that is not a GUID', () => {
    expect(() => loadConfig({ TEAMS_APP_ID: 'ruche' })).toThrow(/TEAMS_APP_ID/);
  });
});
