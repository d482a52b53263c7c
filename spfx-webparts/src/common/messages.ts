/** Texts of the web parts themselves (the shared components' texts come from ui/i18n). */
export const spfxEn = {
  spfx: {
    notConfigured: 'Ruche is not connected yet',
    notConfiguredHint:
      'Edit this web part and enter the address of the Ruche API and its Application ID URI, or ask your admin to set the tenant properties RucheApiBaseUrl and RucheApiAppIdUri.',
    openInRuche: 'Open in Ruche',
    communityMissing: 'Choose a community in the web part\'s properties.',
    topicMissing: 'Choose a topic in the web part\'s properties.',
    signedOut: 'Sign in to see your Ruche profile.',
    departmentMissing: 'Choose a department in the web part\'s properties.',
    departmentUnknown: 'No department called {{department}} has a space in Ruche.',
    personUnknown: 'Nobody called {{person}} works here (a user name such as jane@contoso.com, or a Ruche person id).',
    teamBoard: 'Teams',
    departmentBoard: 'Departments',
    communityHealth: 'Community health',
    communityHealthOf: 'Health of {{name}}',
  },
};
export type SpfxMessages = typeof spfxEn;

export const spfxFr: SpfxMessages = {
  spfx: {
    notConfigured: 'Ruche n\u2019est pas encore connect\u00e9',
    notConfiguredHint:
      'Modifiez ce composant et saisissez l\u2019adresse de l\u2019API Ruche et son URI d\u2019ID d\u2019application, ou demandez \u00e0 votre administrateur de d\u00e9finir les propri\u00e9t\u00e9s de locataire RucheApiBaseUrl et RucheApiAppIdUri.',
    openInRuche: 'Ouvrir dans Ruche',
    communityMissing: 'Choisissez une communaut\u00e9 dans les propri\u00e9t\u00e9s du composant.',
    topicMissing: 'Choisissez un sujet dans les propri\u00e9t\u00e9s du composant.',
    signedOut: 'Connectez-vous pour voir votre profil Ruche.',
    departmentMissing: 'Choisissez un service dans les propri\u00e9t\u00e9s du composant.',
    departmentUnknown: 'Aucun service nomm\u00e9 {{department}} n\u2019a d\u2019espace dans Ruche.',
    personUnknown: 'Personne ne s\u2019appelle {{person}} ici (un nom d\u2019utilisateur comme jeanne@contoso.com, ou un identifiant de personne Ruche).',
    teamBoard: '\u00c9quipes',
    departmentBoard: 'Services',
    communityHealth: 'Sant\u00e9 de la communaut\u00e9',
    communityHealthOf: 'Sant\u00e9 de {{name}}',
  },
};
