import { Version } from '@microsoft/sp-core-library';
import { PropertyPaneChoiceGroup, PropertyPaneDropdown, PropertyPaneSlider, PropertyPaneTextField, type IPropertyPaneGroup } from '@microsoft/sp-property-pane';
import type { ReactElement } from 'react';
import * as strings from 'RucheWebPartStrings';
import { lazyContent } from '../../common/lazyContent.js';
import { RucheWebPart, type RucheWebPartProps } from '../../common/RucheWebPart.js';
import type { Board, BoardLayout } from '../../components/Leaderboard.js';

export interface LeaderboardWebPartProps extends RucheWebPartProps {
  title: string;
  board: Board;
  department: string;
  count: number;
  community: string;
  layout: BoardLayout;
}

const Leaderboard = lazyContent(() => import(/* webpackChunkName: 'leaderboard' */ '../../components/Leaderboard.js').then((m) => m.Leaderboard));

/** Ruche leaderboard and insights summary: teams, departments or opted-in people ranked; a community's health. */
export default class LeaderboardWebPart extends RucheWebPart<LeaderboardWebPartProps> {
  protected renderContent(): ReactElement {
    const p = this.properties;
    return <Leaderboard title={p.title} board={p.board ?? 'department'} department={p.department} count={p.count ?? 5} community={p.community} layout={p.layout ?? 'stacked'} />;
  }

  protected get dataVersion(): Version {
    return Version.parse('1.0');
  }

  protected contentGroups(): IPropertyPaneGroup[] {
    return [
      {
        groupName: strings.ContentGroupName,
        groupFields: [
          PropertyPaneTextField('title', { label: strings.TitleLabel }),
          PropertyPaneDropdown('board', {
            label: strings.BoardLabel,
            options: [
              { key: 'department', text: strings.BoardDepartments },
              { key: 'team', text: strings.BoardTeams },
              { key: 'people', text: strings.BoardPeople },
            ],
          }),
          PropertyPaneTextField('department', { label: strings.DepartmentLabel, description: strings.BoardDepartmentDescription }),
          PropertyPaneSlider('count', { label: strings.CountLabel, min: 1, max: 20, step: 1 }),
        ],
      },
      {
        groupName: strings.InsightsGroupName,
        groupFields: [PropertyPaneTextField('community', { label: strings.CommunityLabel, description: strings.InsightsCommunityDescription })],
      },
      {
        groupName: strings.LayoutGroupName,
        groupFields: [
          PropertyPaneChoiceGroup('layout', {
            label: strings.LayoutLabel,
            options: [
              { key: 'stacked', text: strings.LayoutStacked },
              { key: 'columns', text: strings.LayoutColumns },
            ],
          }),
        ],
      },
    ];
  }
}
