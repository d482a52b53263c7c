import { Version } from '@microsoft/sp-core-library';
import { PropertyPaneTextField, type IPropertyPaneGroup } from '@microsoft/sp-property-pane';
import type { ReactElement } from 'react';
import * as strings from 'RucheWebPartStrings';
import { RucheWebPart, type RucheWebPartProps } from '../../common/RucheWebPart.js';
import { MyProfile } from '../../components/MyProfile.js';

export interface PeopleCardWebPartProps extends RucheWebPartProps {
  title: string;
}

/** Ruche people card: the visitor's profile as Ruche knows it. */
export default class PeopleCardWebPart extends RucheWebPart<PeopleCardWebPartProps> {
  protected renderContent(): ReactElement {
    return <MyProfile title={this.properties.title} />;
  }

  protected get dataVersion(): Version {
    return Version.parse('1.0');
  }

  protected contentGroups(): IPropertyPaneGroup[] {
    return [{ groupName: strings.ContentGroupName, groupFields: [PropertyPaneTextField('title', { label: strings.TitleLabel })] }];
  }
}
