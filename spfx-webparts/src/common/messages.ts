/** Texts of the web parts themselves (the shared components' texts come from ui/i18n). */
export const spfxEn = {
  spfx: {
    notConfigured: 'Ruche is not connected yet',
    notConfiguredHint:
      'Edit this web part and enter the address of the Ruche API and its Application ID URI, or ask your admin to set the tenant properties RucheApiBaseUrl and RucheApiAppIdUri.',
    openInRuche: 'Open in Ruche',
    communityMissing: 'Choose a community in the web part\'s properties.',
    topicMissing: 'Choose a topic in the web part\'s properties.',
    announcementsEmpty: 'No announcement for you',
    announcementsEmptyPending: 'You have acknowledged every announcement',
    mustRead: 'Must read',
    acknowledge: 'I have read it',
    acknowledged: 'Read on {{date}}',
    acknowledgeAgain: 'Updated since you read it: please read it again',
    signedOut: 'Sign in to see your Ruche profile.',
    expertsLabel: 'Who knows about…',
    expertsSearch: 'Find experts',
    expertsHint: 'Type a subject, a skill or a tool to find colleagues who know it.',
    expertsNone: 'Nobody found for "{{q}}"',
    expertsResults: 'Experts for "{{q}}"',
    expertsAnswers_one: '{{count}} accepted answer',
    expertsAnswers_other: '{{count}} accepted answers',
    expertsEndorsements_one: '{{count}} endorsement',
    expertsEndorsements_other: '{{count}} endorsements',
    expertsKudos_one: '{{count}} kudos',
    expertsKudos_other: '{{count}} kudos',
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
    announcementsEmpty: 'Aucune annonce pour vous',
    announcementsEmptyPending: 'Vous avez pris connaissance de toutes les annonces',
    mustRead: '\u00c0 lire',
    acknowledge: 'J\u2019ai lu',
    acknowledged: 'Lu le {{date}}',
    acknowledgeAgain: 'Modifi\u00e9e depuis votre lecture : merci de la relire',
    signedOut: 'Connectez-vous pour voir votre profil Ruche.',
    expertsLabel: 'Qui s\u2019y conna\u00eet en\u2026',
    expertsSearch: 'Trouver des experts',
    expertsHint: 'Saisissez un sujet, une comp\u00e9tence ou un outil pour trouver les coll\u00e8gues qui le connaissent.',
    expertsNone: 'Personne trouv\u00e9 pour \u00ab {{q}} \u00bb',
    expertsResults: 'Experts pour \u00ab {{q}} \u00bb',
    expertsAnswers_one: '{{count}} r\u00e9ponse accept\u00e9e',
    expertsAnswers_other: '{{count}} r\u00e9ponses accept\u00e9es',
    expertsEndorsements_one: '{{count}} recommandation',
    expertsEndorsements_other: '{{count}} recommandations',
    expertsKudos_one: '{{count}} kudos',
    expertsKudos_other: '{{count}} kudos',
  },
};
