define([], function () {
  return {
    PropertyPaneDescription: 'Ruche : la couche sociale de votre intranet',
    ConnectionGroupName: 'Connexion à Ruche',
    ApiBaseUrlLabel: 'Adresse de l\'API Ruche',
    ApiBaseUrlDescription: 'p. ex. https://ruche.contoso.com. Vide : la propriété de locataire RucheApiBaseUrl.',
    ApiAppIdUriLabel: 'URI d\'ID d\'application de l\'API Ruche',
    ApiAppIdUriDescription: 'p. ex. api://ruche.contoso.com/<id client>. Vide : la propriété de locataire RucheApiAppIdUri.',
    ContentGroupName: 'Contenu',
    LayoutGroupName: 'Disposition',
    TitleLabel: 'Titre',
    ScopeLabel: 'Afficher',
    ScopeHome: 'Le fil d\'accueil du visiteur',
    ScopeCommunity: 'Une communauté',
    ScopeTopic: 'Un sujet',
    CommunityLabel: 'Communauté',
    CommunityDescription: 'Son nom d\'adresse (comme dans son lien) ou son identifiant',
    TopicLabel: 'Sujet (sans #)',
    CountLabel: 'Nombre d\'éléments',
    LayoutLabel: 'Disposition',
    LayoutList: 'Liste',
    LayoutGrid: 'Grille',
    PendingOnlyLabel: 'Seulement celles à lire',
    ExpertQueryLabel: 'Sujet recherché à l\'ouverture de la page (facultatif)'
  };
});
