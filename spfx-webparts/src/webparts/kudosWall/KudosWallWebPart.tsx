import { Version } from '@microsoft/sp-core-library';
import {
  PropertyPaneChoiceGroup,
  PropertyPaneDropdown,
  PropertyPaneSlider,
  PropertyPaneTextField,
  PropertyPaneToggle,
  type IPropertyPaneGroup,
} from '@microsoft/sp-property-pane';
import type { ReactElement } from 'react';
import * as strings from 'RucheWebPartStrings';
import { lazyContent } from '../../common/lazyContent.js';
import { RucheWebPart, type RucheWebPartProps } from '../../common/RucheWebPart.js';
import type { WallScope } from '../../components/KudosWall.js';
import type { Layout } from '../../components/ScopedFeed.js';

export interface KudosWallWebPartProps extends RucheWebPartProps {
  title: string;
  scope: WallScope;
  community: string;
  department: string;
  count: number;
  layout: Layout;
  showGive: boolean;
}

const KudosWall = lazyContent(() => import(/* webpackChunkName: 'kudos-wall' */ '../../components/KudosWall.js').then((m) => m.KudosWall));

/** Ruche kudos wall: give kudos, and the latest kudos of the organisation, a community or a department. */
export default class KudosWallWebPart extends RucheWebPart<KudosWallWebPartProps> {
  protected renderContent(): ReactElement {
    const p = this.properties;
    return (
      <KudosWall
        title={p.title}
        scope={p.scope ?? 'organisation'}
        community={p.community}
        department={p.department}
        count={p.count ?? 6}
        layout={p.layout ?? 'grid'}
        showGive={p.showGive ?? true}
      />
    );
  }

  protected get dataVersion(): Version {
    return Version.parse('1.0');
  }

  protected contentGroups(): IPropertyPaneGroup[] {
    const scope = this.properties.scope ?? 'organisation';
    return [
      {
        groupName: strings.ContentGroupName,
        groupFields: [
          PropertyPaneTextField('title', { label: strings.TitleLabel }),
          PropertyPaneDropdown('scope', {
            label: strings.WallScopeLabel,
            options: [
              { key: 'organisation', text: strings.WallScopeOrganisation },
              { key: 'community', text: strings.ScopeCommunity },
              { key: 'department', text: strings.WallScopeDepartment },
            ],
          }),
          ...(scope === 'community' ? [PropertyPaneTextField('community', { label: strings.CommunityLabel, description: strings.CommunityDescription })] : []),
          ...(scope === 'department' ? [PropertyPaneTextField('department', { label: strings.DepartmentLabel, description: strings.DepartmentDescription })] : []),
          PropertyPaneSlider('count', { label: strings.CountLabel, min: 1, max: 30, step: 1 }),
          PropertyPaneToggle('showGive', { label: strings.ShowGiveLabel }),
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
