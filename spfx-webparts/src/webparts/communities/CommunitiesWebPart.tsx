import { Version } from '@microsoft/sp-core-library';
import { PropertyPaneTextField, type IPropertyPaneGroup } from '@microsoft/sp-property-pane';
import type { ReactElement } from 'react';
import * as strings from 'RucheWebPartStrings';
import { RucheWebPart, type RucheWebPartProps } from '../../common/RucheWebPart.js';
import { lazyContent } from '../../common/lazyContent.js';

const CommunitiesPart = lazyContent(() => import(/* webpackChunkName: 'communities' */ '../../components/CommunitiesPart.js').then((m) => m.CommunitiesPart));

export interface CommunitiesWebPartProps extends RucheWebPartProps {
  title: string;
}

/** Ruche communities directory: search, filter by kind, join or follow. */
export default class CommunitiesWebPart extends RucheWebPart<CommunitiesWebPartProps> {
  protected renderContent(): ReactElement {
    return <CommunitiesPart title={this.properties.title} />;
  }

  protected get dataVersion(): Version {
    return Version.parse('1.0');
  }

  protected contentGroups(): IPropertyPaneGroup[] {
    return [{ groupName: strings.ContentGroupName, groupFields: [PropertyPaneTextField('title', { label: strings.TitleLabel })] }];
  }
}
