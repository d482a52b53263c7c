define([], function () {
  return {
    PropertyPaneDescription: 'Ruche: the social layer of your intranet',
    ConnectionGroupName: 'Connection to Ruche',
    ApiBaseUrlLabel: 'Ruche API address',
    ApiBaseUrlDescription: 'e.g. https://ruche.contoso.com. Empty: the tenant property RucheApiBaseUrl.',
    ApiAppIdUriLabel: 'Application ID URI of the Ruche API',
    ApiAppIdUriDescription: 'e.g. api://ruche.contoso.com/<client id>. Empty: the tenant property RucheApiAppIdUri.',
    ContentGroupName: 'Content',
    LayoutGroupName: 'Layout',
    TitleLabel: 'Title',
    ScopeLabel: 'Show',
    ScopeHome: 'The visitor\'s home feed',
    ScopeCommunity: 'A community',
    ScopeTopic: 'A topic',
    CommunityLabel: 'Community',
    CommunityDescription: 'Its address name (as in its link) or its id',
    TopicLabel: 'Topic (without #)',
    CountLabel: 'Number of items',
    LayoutLabel: 'Layout',
    LayoutList: 'List',
    LayoutGrid: 'Grid',
    PendingOnlyLabel: 'Only those still to acknowledge',
    ExpertQueryLabel: 'Subject searched when the page opens (optional)'
  };
});
