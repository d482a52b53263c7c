import { Version } from '@microsoft/sp-core-library';
import { PropertyPaneTextField, type IPropertyPaneGroup } from '@microsoft/sp-property-pane';
import type { ReactElement } from 'react';
import * as strings from 'RucheWebPartStrings';
import { lazyContent } from '../../common/lazyContent.js';
import { isPersonRef } from '../../common/personRef.js';
import { RucheWebPart, type RucheWebPartProps } from '../../common/RucheWebPart.js';

export interface PeopleCardWebPartProps extends RucheWebPartProps {
  title: string;
  /** A user name (UPN or e-mail) or a Ruche person id; empty: the visitor. */
  person: string;
}

const PersonProfile = lazyContent(() => import(/* webpackChunkName: 'people-card' */ '../../components/PersonProfile.js').then((m) => m.PersonProfile));

function personPropertyError(value: string): string {
  return isPersonRef(value) ? '' : strings.PersonInvalid;
}

/** Ruche people card: the Ruche profile of the visitor, or of the person the page author chose. */
export default class PeopleCardWebPart extends RucheWebPart<PeopleCardWebPartProps> {
  protected renderContent(): ReactElement {
    return <PersonProfile title={this.properties.title} person={this.properties.person} />;
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
          PropertyPaneTextField('person', { label: strings.PersonLabel, description: strings.PersonDescription, onGetErrorMessage: personPropertyError, deferredValidationTime: 500 }),
        ],
      },
    ];
  }
}
