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
import { WebPartFrame } from '../../components/WebPartFrame.js';
import { Announcements } from '../../ui/index.js';

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
    // The shared component (ui), in the web part's frame: the page author's title and a link to the app.
    return (
      <WebPartFrame title={p.title} place={{ page: 'home' }}>
        <Announcements count={p.count ?? 3} pendingOnly={!!p.pendingOnly} layout={p.layout ?? 'list'} label={p.title || undefined} />
      </WebPartFrame>
    );
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
