import type { IReadonlyTheme } from '@microsoft/sp-component-base';
import { AadHttpClient, SPHttpClient } from '@microsoft/sp-http';
import {
  PropertyPaneTextField,
  type IPropertyPaneConfiguration,
  type IPropertyPaneGroup,
} from '@microsoft/sp-property-pane';
import { BaseClientSideWebPart } from '@microsoft/sp-webpart-base';
import type { ReactElement } from 'react';
import * as ReactDom from 'react-dom';
import * as strings from 'RucheWebPartStrings';
import { supportedLocale, type Locale } from '../ui/index.js';
import { aadFetch } from './aadFetch.js';
import { RucheHost } from './RucheHost.js';
import { resolveSettings, tenantPropertyKeys, type RucheConnectionSettings } from './settings.js';

/** Properties every Ruche web part has: where the API is (empty: the tenant properties). */
export interface RucheWebPartProps {
  apiBaseUrl?: string;
  apiAppIdUri?: string;
}

/**
 * The base of every Ruche web part: reads the connection settings (own properties, else the
 * tenant properties), gets an AadHttpClient for the API's App ID URI, follows the section's
 * theme and the page's language, and renders the web part's content inside <RucheHost>.
 */
export abstract class RucheWebPart<P extends RucheWebPartProps> extends BaseClientSideWebPart<P> {
  private spTheme: IReadonlyTheme | undefined;
  private tenantSettings: Partial<RucheConnectionSettings> = {};
  private connection: { key: string; value: { apiBaseUrl: string; fetch: typeof fetch } } | null = null;

  protected abstract renderContent(): ReactElement;
  protected abstract contentGroups(): IPropertyPaneGroup[];

  protected async onInit(): Promise<void> {
    await super.onInit();
    this.tenantSettings = await this.readTenantSettings();
  }

  private get locale(): Locale {
    return supportedLocale(this.context.pageContext.cultureInfo.currentUICultureName);
  }

  /** Tenant properties RucheApiBaseUrl and RucheApiAppIdUri from the tenant app catalog (absent: {}). */
  private async readTenantSettings(): Promise<Partial<RucheConnectionSettings>> {
    const read = async (key: string): Promise<string | undefined> => {
      try {
        const url = `${this.context.pageContext.web.absoluteUrl}/_api/web/GetStorageEntity('${key}')`;
        const response = await this.context.spHttpClient.get(url, SPHttpClient.configurations.v1);
        if (!response.ok) return undefined;
        const entity = (await response.json()) as { Value?: string | null };
        return entity.Value ?? undefined;
      } catch {
        return undefined;
      }
    };
    const [apiBaseUrl, apiAppIdUri] = await Promise.all([read(tenantPropertyKeys.apiBaseUrl), read(tenantPropertyKeys.apiAppIdUri)]);
    return { ...(apiBaseUrl ? { apiBaseUrl } : {}), ...(apiAppIdUri ? { apiAppIdUri } : {}) };
  }

  private async connect(): Promise<{ apiBaseUrl: string; fetch: typeof fetch } | null> {
    const settings = resolveSettings({ apiBaseUrl: this.properties.apiBaseUrl, apiAppIdUri: this.properties.apiAppIdUri }, this.tenantSettings);
    if (!settings) return null;
    const key = `${settings.apiBaseUrl} ${settings.apiAppIdUri}`;
    if (this.connection?.key !== key) {
      const client = await this.context.aadHttpClientFactory.getClient(settings.apiAppIdUri);
      this.connection = { key, value: { apiBaseUrl: settings.apiBaseUrl, fetch: aadFetch(client, AadHttpClient.configurations.v1) } };
    }
    return this.connection.value;
  }

  public render(): void {
    this.connect().then(
      (connection) => {
        ReactDom.render(
          <RucheHost connection={connection} locale={this.locale} spTheme={this.spTheme}>
            {this.renderContent()}
          </RucheHost>,
          this.domElement,
        );
      },
      (err: unknown) => {
        this.context.statusRenderer.renderError(this.domElement, err instanceof Error ? err : String(err));
      },
    );
  }

  protected onThemeChanged(theme: IReadonlyTheme | undefined): void {
    this.spTheme = theme;
    if (this.renderedOnce) this.render();
  }

  protected onDispose(): void {
    ReactDom.unmountComponentAtNode(this.domElement);
  }

  protected getPropertyPaneConfiguration(): IPropertyPaneConfiguration {
    return {
      pages: [
        {
          header: { description: strings.PropertyPaneDescription },
          groups: [
            ...this.contentGroups(),
            {
              groupName: strings.ConnectionGroupName,
              isCollapsed: true,
              groupFields: [
                PropertyPaneTextField('apiBaseUrl', { label: strings.ApiBaseUrlLabel, description: strings.ApiBaseUrlDescription }),
                PropertyPaneTextField('apiAppIdUri', { label: strings.ApiAppIdUriLabel, description: strings.ApiAppIdUriDescription }),
              ],
            },
          ],
        },
      ],
    };
  }
}
