import { Version } from '@microsoft/sp-core-library';
import {
  PropertyPaneChoiceGroup,
  PropertyPaneDropdown,
  PropertyPaneSlider,
  PropertyPaneTextField,
  type IPropertyPaneGroup,
} from '@microsoft/sp-property-pane';
import type { ReactElement } from 'react';
import * as strings from 'RucheWebPartStrings';
import { RucheWebPart, type RucheWebPartProps } from '../../common/RucheWebPart.js';
import { lazyContent } from '../../common/lazyContent.js';
import type { FeedScope, Layout } from '../../components/ScopedFeed.js';

const ScopedFeed = lazyContent(() => import(/* webpackChunkName: 'feed' */ '../../components/ScopedFeed.js').then((m) => m.ScopedFeed));

export interface FeedWebPartProps extends RucheWebPartProps {
  title: string;
  scope: FeedScope;
  community: string;
  department: string;
  topic: string;
  count: number;
  layout: Layout;
}

/** Ruche feed: the visitor's home feed, a community's, a department's (its org unit) or a topic's. */
export default class FeedWebPart extends RucheWebPart<FeedWebPartProps> {
  protected renderContent(): ReactElement {
    const p = this.properties;
    return <ScopedFeed title={p.title} scope={p.scope ?? 'home'} community={p.community} department={p.department} topic={p.topic} count={p.count ?? 5} layout={p.layout ?? 'list'} />;
  }

  protected get dataVersion(): Version {
    return Version.parse('1.0');
  }

  protected contentGroups(): IPropertyPaneGroup[] {
    const scope = this.properties.scope ?? 'home';
    return [
      {
        groupName: strings.ContentGroupName,
        groupFields: [
          PropertyPaneTextField('title', { label: strings.TitleLabel }),
          PropertyPaneDropdown('scope', {
            label: strings.ScopeLabel,
            options: [
              { key: 'home', text: strings.ScopeHome },
              { key: 'community', text: strings.ScopeCommunity },
              { key: 'department', text: strings.ScopeDepartment },
              { key: 'topic', text: strings.ScopeTopic },
            ],
          }),
          ...(scope === 'community' ? [PropertyPaneTextField('community', { label: strings.CommunityLabel, description: strings.CommunityDescription })] : []),
          ...(scope === 'department' ? [PropertyPaneTextField('department', { label: strings.DepartmentLabel, description: strings.DepartmentDescription })] : []),
          ...(scope === 'topic' ? [PropertyPaneTextField('topic', { label: strings.TopicLabel })] : []),
          PropertyPaneSlider('count', { label: strings.CountLabel, min: 1, max: 20, step: 1 }),
        ],
      },
      {
        groupName: strings.LayoutGroupName,
        groupFields: [
          PropertyPaneChoiceGroup('layout', {
            label: strings.LayoutLabel,
            options: [
              { key: 'list', text: strings.LayoutList },
              { key: 'grid', text: strings.LayoutGrid },
            ],
          }),
        ],
      },
    ];
  }
}
