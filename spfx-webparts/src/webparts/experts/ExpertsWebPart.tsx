import { Version } from '@microsoft/sp-core-library';
import { PropertyPaneChoiceGroup, PropertyPaneSlider, PropertyPaneTextField, type IPropertyPaneGroup } from '@microsoft/sp-property-pane';
import type { ReactElement } from 'react';
import * as strings from 'RucheWebPartStrings';
import { RucheWebPart, type RucheWebPartProps } from '../../common/RucheWebPart.js';
import { lazyContent } from '../../common/lazyContent.js';
import type { Layout } from '../../components/ScopedFeed.js';

const ExpertFinder = lazyContent(() => import(/* webpackChunkName: 'experts' */ '../../components/ExpertFinder.js').then((m) => m.ExpertFinder));

export interface ExpertsWebPartProps extends RucheWebPartProps {
  title: string;
  query: string;
  count: number;
  layout: Layout;
}

/** Ruche expert finder: colleagues by evidence of expertise, each result explained. */
export default class ExpertsWebPart extends RucheWebPart<ExpertsWebPartProps> {
  protected renderContent(): ReactElement {
    const p = this.properties;
    return <ExpertFinder title={p.title} initialQuery={p.query} count={p.count ?? 5} layout={p.layout ?? 'list'} />;
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
          PropertyPaneTextField('query', { label: strings.ExpertQueryLabel }),
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
