declare interface IRucheWebPartStrings {
  PropertyPaneDescription: string;
  ConnectionGroupName: string;
  ApiBaseUrlLabel: string;
  ApiBaseUrlDescription: string;
  ApiAppIdUriLabel: string;
  ApiAppIdUriDescription: string;
  ContentGroupName: string;
  LayoutGroupName: string;
  TitleLabel: string;
  ScopeLabel: string;
  ScopeHome: string;
  ScopeCommunity: string;
  ScopeDepartment: string;
  ScopeTopic: string;
  CommunityLabel: string;
  CommunityDescription: string;
  TopicLabel: string;
  CountLabel: string;
  LayoutLabel: string;
  LayoutList: string;
  LayoutGrid: string;
  LayoutStacked: string;
  LayoutColumns: string;
  PendingOnlyLabel: string;
  ExpertQueryLabel: string;
  WallScopeLabel: string;
  WallScopeOrganisation: string;
  WallScopeDepartment: string;
  DepartmentLabel: string;
  DepartmentDescription: string;
  ShowGiveLabel: string;
  BoardLabel: string;
  BoardDepartments: string;
  BoardTeams: string;
  BoardPeople: string;
  BoardDepartmentDescription: string;
  InsightsGroupName: string;
  InsightsCommunityDescription: string;
  PersonLabel: string;
  PersonDescription: string;
  PersonInvalid: string;
}

declare module 'RucheWebPartStrings' {
  const strings: IRucheWebPartStrings;
  export = strings;
}
