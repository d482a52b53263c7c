import { Version } from '@microsoft/sp-core-library';
import {
  PropertyPaneChoiceGroup,
  PropertyPaneSlider,
  PropertyPaneTextField,
  PropertyPaneToggle,
  type IPropertyPaneGroup,
} from '@microsoft/sp-property-pane';
import type { ReactElement } from 'react';
import * as strings from 'RucheWebPartStrings';
import { RucheWebPart, type RucheWebPartProps } from '../../common/RucheWebPart.js';
import type { Layout } from '../../components/ScopedFeed.js';
import { lazyContent } from '../../common/lazyContent.js';

const AnnouncementsPart = lazyContent(() =>
  import(/* webpackChunkName: 'announcements' */ '../../components/AnnouncementsPart.js').then((m) => m.AnnouncementsPart),
);

export interface AnnouncementsWebPartProps extends RucheWebPartProps {
  title: string;
  count: number;
  pendingOnly: boolean;
  layout: Layout;
}

/** Ruche announcements addressed to the visitor, with acknowledgement of must-read ones. */
export default class AnnouncementsWebPart extends RucheWebPart<AnnouncementsWebPartProps> {
  protected renderContent(): ReactElement {
    const p = this.properties;
    return <AnnouncementsPart title={p.title} count={p.count ?? 3} pendingOnly={!!p.pendingOnly} layout={p.layout ?? 'list'} />;
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
          PropertyPaneToggle('pendingOnly', { label: strings.PendingOnlyLabel }),
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
