/**
 * The fixed material of the demo organisation, Hexagone Industries: offices, departments
 * with their titles and skills, names, community templates. French and English throughout.
 * A title written "Masculine|Feminine" is chosen by the person's gender.
 */

export type Lang = 'fr' | 'en';
export type PreferredLanguage = 'fr-FR' | 'fr-CA' | 'en-GB' | 'en-US';
export type NameOrigin = 'fr' | 'en' | 'de';

export interface Office {
  name: string;
  country: string;
  language: PreferredLanguage;
  /** Hours from UTC, to place working hours. */
  utcOffset: number;
  weight: number;
  address: string;
  names: Record<NameOrigin, number>;
}

export const OFFICES: readonly Office[] = [
  { name: 'Paris', country: 'FR', language: 'fr-FR', utcOffset: 1, weight: 38, address: '12 rue de la Ruche, 75011 Paris', names: { fr: 85, en: 12, de: 3 } },
  { name: 'Lyon', country: 'FR', language: 'fr-FR', utcOffset: 1, weight: 15, address: '40 quai Rambaud, 69002 Lyon', names: { fr: 92, en: 6, de: 2 } },
  { name: 'London', country: 'GB', language: 'en-GB', utcOffset: 0, weight: 13, address: '1 Honey Lane, London EC2V 8BT', names: { fr: 18, en: 80, de: 2 } },
  { name: 'Montréal', country: 'CA', language: 'fr-CA', utcOffset: -5, weight: 10, address: '500 rue Sherbrooke Ouest, Montréal QC', names: { fr: 75, en: 25, de: 0 } },
  { name: 'New York', country: 'US', language: 'en-US', utcOffset: -5, weight: 9, address: '250 Hudson Street, New York, NY', names: { fr: 8, en: 90, de: 2 } },
  { name: 'Bruxelles', country: 'BE', language: 'fr-FR', utcOffset: 1, weight: 7, address: 'Rue de la Loi 80, 1040 Bruxelles', names: { fr: 75, en: 10, de: 15 } },
  { name: 'Berlin', country: 'DE', language: 'en-GB', utcOffset: 1, weight: 8, address: 'Friedrichstraße 68, 10117 Berlin', names: { fr: 12, en: 33, de: 55 } },
];

export function langOf(p: PreferredLanguage): Lang {
  return p.startsWith('fr') ? 'fr' : 'en';
}

/** [English, French] */
export type Title = readonly [string, string];

export interface Department {
  key: string;
  name: string;
  /** Share of the people (the executive office has a fixed small size). */
  weight: number;
  head: Title;
  senior: Title;
  manager: Title;
  lead: Title;
  ic: readonly Title[];
  skills: readonly string[];
}

export const DEPARTMENTS: readonly Department[] = [
  {
    key: 'exec', name: 'Direction Générale', weight: 0,
    head: ['Chief Executive Officer', 'Président-directeur général|Présidente-directrice générale'],
    senior: ['Chief of Staff', 'Directeur de cabinet|Directrice de cabinet'],
    manager: ['Head of Strategy', 'Responsable stratégie et transformation'],
    lead: ['Strategy Lead', 'Responsable stratégie'],
    ic: [['Strategy Analyst', 'Analyste stratégie'], ['Executive Assistant', 'Assistant de direction|Assistante de direction'], ['Transformation Officer', 'Chargé de transformation|Chargée de transformation']],
    skills: ['Stratégie', 'Conduite du changement', 'Gestion de projet', 'Prise de parole en public', 'Fusions-acquisitions', 'RSE'],
  },
  {
    key: 'eng', name: 'Engineering', weight: 22,
    head: ['VP Engineering', "Directeur de l'ingénierie|Directrice de l'ingénierie"],
    senior: ['Director of Engineering', 'Directeur technique adjoint|Directrice technique adjointe'],
    manager: ['Engineering Manager', "Responsable d'équipe ingénierie"],
    lead: ['Tech Lead', 'Tech lead'],
    ic: [
      ['Software Engineer', 'Ingénieur logiciel|Ingénieure logiciel'],
      ['Senior Software Engineer', 'Ingénieur logiciel senior|Ingénieure logiciel senior'],
      ['Frontend Developer', 'Développeur front-end|Développeuse front-end'],
      ['Backend Developer', 'Développeur back-end|Développeuse back-end'],
      ['DevOps Engineer', 'Ingénieur DevOps|Ingénieure DevOps'],
      ['QA Engineer', 'Ingénieur qualité logicielle|Ingénieure qualité logicielle'],
      ['Site Reliability Engineer', 'Ingénieur SRE|Ingénieure SRE'],
    ],
    skills: ['TypeScript', 'React', 'Node.js', 'Kubernetes', 'PostgreSQL', 'Docker', 'Terraform', 'Go', 'Observabilité', 'CI/CD', 'Architecture logicielle', 'Tests automatisés', 'Sécurité applicative', 'Accessibilité', 'Design system'],
  },
  {
    key: 'rnd', name: 'R&D', weight: 9,
    head: ['Chief Scientific Officer', 'Directeur R&D|Directrice R&D'],
    senior: ['Research Director', 'Directeur de recherche|Directrice de recherche'],
    manager: ['Research Manager', 'Responsable de laboratoire'],
    lead: ['Principal Scientist', 'Chercheur principal|Chercheuse principale'],
    ic: [
      ['Research Engineer', 'Ingénieur de recherche|Ingénieure de recherche'],
      ['Data Scientist', 'Data scientist'],
      ['Materials Engineer', 'Ingénieur matériaux|Ingénieure matériaux'],
      ['Embedded Systems Engineer', 'Ingénieur systèmes embarqués|Ingénieure systèmes embarqués'],
      ['PhD Student', 'Doctorant CIFRE|Doctorante CIFRE'],
    ],
    skills: ['Machine learning', 'Python', 'Data science', 'Vision industrielle', 'IoT', 'Simulation numérique', 'Propriété intellectuelle', 'Matériaux composites', 'Rust', 'C++', 'Systèmes embarqués', 'IA générative'],
  },
  {
    key: 'sales', name: 'Sales', weight: 14,
    head: ['Chief Sales Officer', 'Directeur commercial|Directrice commerciale'],
    senior: ['Regional Sales Director', 'Directeur régional des ventes|Directrice régionale des ventes'],
    manager: ['Sales Manager', 'Responsable des ventes'],
    lead: ['Key Account Lead', 'Responsable grands comptes'],
    ic: [
      ['Account Executive', "Chargé d'affaires|Chargée d'affaires"],
      ['Business Developer', 'Business developer'],
      ['Key Account Manager', 'Ingénieur commercial|Ingénieure commerciale'],
      ['Sales Development Representative', 'Chargé de prospection|Chargée de prospection'],
      ['Pre-sales Consultant', 'Consultant avant-vente|Consultante avant-vente'],
    ],
    skills: ['Négociation', 'Prospection', 'Salesforce', 'Grands comptes', "Appels d'offres", 'Pricing', 'Social selling', 'Export'],
  },
  {
    key: 'mkt', name: 'Marketing & Communication', weight: 7,
    head: ['Chief Marketing Officer', 'Directeur marketing et communication|Directrice marketing et communication'],
    senior: ['Marketing Director', 'Directeur marketing adjoint|Directrice marketing adjointe'],
    manager: ['Marketing Manager', 'Responsable marketing'],
    lead: ['Content Lead', 'Responsable éditorial|Responsable éditoriale'],
    ic: [
      ['Product Marketing Manager', 'Chef de produit marketing|Cheffe de produit marketing'],
      ['Content Manager', 'Chargé de contenu|Chargée de contenu'],
      ['Graphic Designer', 'Graphiste'],
      ['Internal Communications Officer', 'Chargé de communication interne|Chargée de communication interne'],
      ['SEO Specialist', 'Spécialiste SEO'],
      ['Event Manager', "Chargé d'événementiel|Chargée d'événementiel"],
    ],
    skills: ['SEO', 'Communication interne', 'Marketing produit', 'Brand design', 'Copywriting', 'Événementiel', 'Réseaux sociaux', 'Design system', 'Relations presse', 'Google Analytics'],
  },
  {
    key: 'cs', name: 'Customer Success', weight: 9,
    head: ['VP Customer Success', 'Directeur de la relation client|Directrice de la relation client'],
    senior: ['Customer Success Director', 'Directeur Customer Success|Directrice Customer Success'],
    manager: ['Customer Success Lead', 'Responsable Customer Success'],
    lead: ['Support Team Lead', "Chef d'équipe support|Cheffe d'équipe support"],
    ic: [
      ['Customer Success Manager', 'Customer success manager'],
      ['Support Engineer', 'Ingénieur support|Ingénieure support'],
      ['Technical Trainer', 'Formateur technique|Formatrice technique'],
      ['Onboarding Specialist', "Chargé d'onboarding client|Chargée d'onboarding client"],
    ],
    skills: ['Onboarding client', 'Zendesk', 'Churn', 'NPS', 'Formation', 'Support technique', 'Gestion de compte', 'Écoute client'],
  },
  {
    key: 'ops', name: 'Operations', weight: 14,
    head: ['Chief Operating Officer', 'Directeur des opérations|Directrice des opérations'],
    senior: ['Plant Director', 'Directeur de site|Directrice de site'],
    manager: ['Operations Manager', 'Responsable de production'],
    lead: ['Shift Lead', "Chef d'équipe production|Cheffe d'équipe production"],
    ic: [
      ['Supply Chain Analyst', 'Analyste supply chain'],
      ['Quality Engineer', 'Ingénieur qualité|Ingénieure qualité'],
      ['Buyer', 'Acheteur|Acheteuse'],
      ['Logistics Coordinator', 'Coordinateur logistique|Coordinatrice logistique'],
      ['Production Planner', 'Planificateur de production|Planificatrice de production'],
      ['HSE Officer', 'Chargé HSE|Chargée HSE'],
    ],
    skills: ['Supply chain', 'Lean', 'ISO 9001', 'Logistique', 'Achats', 'Planification', 'SAP', 'Qualité', 'Sécurité au travail', 'Amélioration continue'],
  },
  {
    key: 'fin', name: 'Finance', weight: 6,
    head: ['Chief Financial Officer', 'Directeur administratif et financier|Directrice administrative et financière'],
    senior: ['Financial Controller', 'Directeur du contrôle de gestion|Directrice du contrôle de gestion'],
    manager: ['Finance Manager', 'Responsable comptable'],
    lead: ['Accounting Team Lead', 'Chef comptable|Cheffe comptable'],
    ic: [
      ['Accountant', 'Comptable'],
      ['Management Controller', 'Contrôleur de gestion|Contrôleuse de gestion'],
      ['Treasury Analyst', 'Trésorier|Trésorière'],
      ['Tax Specialist', 'Fiscaliste'],
      ['Financial Analyst', 'Analyste financier|Analyste financière'],
    ],
    skills: ['Comptabilité', 'Contrôle de gestion', 'IFRS', 'Trésorerie', 'Fiscalité', 'Excel', 'Power BI', 'Audit', 'Consolidation'],
  },
  {
    key: 'hr', name: 'Ressources Humaines', weight: 5,
    head: ['Chief People Officer', 'Directeur des ressources humaines|Directrice des ressources humaines'],
    senior: ['HR Director', 'Responsable RH groupe'],
    manager: ['HR Manager', 'Responsable RH'],
    lead: ['Talent Acquisition Lead', 'Responsable recrutement'],
    ic: [
      ['HR Business Partner', 'HR business partner'],
      ['Recruiter', 'Chargé de recrutement|Chargée de recrutement'],
      ['Payroll Specialist', 'Gestionnaire de paie'],
      ['Learning & Development Officer', 'Chargé de formation|Chargée de formation'],
      ['Employer Branding Officer', 'Chargé de marque employeur|Chargée de marque employeur'],
    ],
    skills: ['Recrutement', 'Paie', 'Droit du travail', 'Formation', 'Marque employeur', 'QVT', 'Gestion des talents', 'Onboarding', 'Entretiens annuels'],
  },
  {
    key: 'legal', name: 'Juridique', weight: 3,
    head: ['General Counsel', 'Directeur juridique|Directrice juridique'],
    senior: ['Deputy General Counsel', 'Directeur juridique adjoint|Directrice juridique adjointe'],
    manager: ['Legal Manager', 'Responsable juridique'],
    lead: ['Senior Legal Counsel', 'Juriste senior'],
    ic: [
      ['Legal Counsel', 'Juriste'],
      ['Compliance Officer', 'Chargé de conformité|Chargée de conformité'],
      ['Data Protection Officer', 'Délégué à la protection des données|Déléguée à la protection des données'],
      ['Paralegal', 'Assistant juridique|Assistante juridique'],
    ],
    skills: ['RGPD', 'Droit des contrats', 'Propriété intellectuelle', 'Conformité', 'Droit social', 'Contentieux', 'Anticorruption'],
  },
  {
    key: 'it', name: 'IT', weight: 7,
    head: ['Chief Information Officer', "Directeur des systèmes d'information|Directrice des systèmes d'information"],
    senior: ['IT Director', 'Responsable infrastructure'],
    manager: ['IT Manager', 'Responsable IT'],
    lead: ['Service Desk Lead', 'Responsable support informatique'],
    ic: [
      ['Systems Administrator', 'Administrateur systèmes|Administratrice systèmes'],
      ['Network Engineer', 'Ingénieur réseau|Ingénieure réseau'],
      ['Service Desk Analyst', 'Technicien support|Technicienne support'],
      ['Cloud Engineer', 'Ingénieur cloud|Ingénieure cloud'],
      ['Security Analyst', 'Analyste cybersécurité'],
      ['Microsoft 365 Administrator', 'Administrateur Microsoft 365|Administratrice Microsoft 365'],
    ],
    skills: ['Microsoft 365', 'Azure', 'Intune', 'Entra ID', 'Réseau', 'ITIL', 'Cybersécurité', 'PowerShell', 'SharePoint', 'Teams'],
  },
];

/** Skills anyone may declare besides those of their department. */
export const CROSS_SKILLS: readonly string[] = ['Gestion de projet', 'Agilité', 'Anglais', 'Prise de parole en public', 'Management', 'Excel', 'Mentorat'];

/** Interests: topics of conversation, never declared as skills. [topic, French phrase, English phrase] */
export const INTERESTS: readonly (readonly [string, string, string])[] = [
  ['Running', 'la course à pied', 'running'],
  ['Photographie', 'la photographie', 'photography'],
  ['Vélo', 'le vélo', 'cycling'],
  ['Cuisine', 'la cuisine', 'cooking'],
  ['Musique', 'la musique', 'music'],
  ['Lecture', 'la lecture', 'reading'],
  ['Jeux de société', 'les jeux de société', 'board games'],
  ['Bénévolat', 'le bénévolat', 'volunteering'],
  ['Randonnée', 'la randonnée', 'hiking'],
  ['Yoga', 'le yoga', 'yoga'],
  ['Échecs', 'les échecs', 'chess'],
  ['Cinéma', 'le cinéma', 'films'],
  ['Jardinage', 'le jardinage', 'gardening'],
  ['Langues', 'les langues étrangères', 'learning languages'],
];

/** Topics of company life (neither skills nor hobbies). */
export const COMPANY_TOPICS: readonly string[] = ['Télétravail', 'Bien-être', 'Éco-gestes', 'Inclusion', 'Parentalité', 'Vie de bureau', 'Innovation'];

export const FIRST_NAMES: Record<NameOrigin, { f: readonly string[]; m: readonly string[] }> = {
  fr: {
    f: ['Camille', 'Hélène', 'Zoé', 'Chloé', 'Léa', 'Manon', 'Inès', 'Sarah', 'Juliette', 'Élodie', 'Céline', 'Noémie', 'Anaïs', 'Maëlle', 'Émilie', 'Claire', 'Sophie', 'Isabelle', 'Nathalie', 'Aurélie', 'Mathilde', 'Margaux', 'Pauline', 'Océane', 'Louise', 'Agathe', 'Bérénice', 'Capucine', 'Gaëlle', 'Solène', 'Marie-Hélène', 'Anne-Sophie', 'Laëtitia', 'Amélie', 'Valérie', 'Françoise', 'Yasmine', 'Nadia', 'Fatou', 'Lucie', 'Héloïse', 'Clémence', 'Élise', 'Maïwenn', 'Salomé'],
    m: ['François', 'Loïc', 'Jérôme', 'Benoît', 'Clément', 'Théo', 'Mathéo', 'Hugo', 'Lucas', 'Julien', 'Nicolas', 'Thomas', 'Antoine', 'Maxime', 'Guillaume', 'Sébastien', 'Stéphane', 'Frédéric', 'Gaël', 'Raphaël', 'Noé', 'Aurélien', 'Étienne', 'Baptiste', 'Romain', 'Quentin', 'Adrien', 'Yannick', 'Hervé', 'Jean-Marc', 'Jean-François', 'Pierre-Yves', 'Karim', 'Mehdi', 'Moussa', 'Olivier', 'Cédric', 'Grégoire', 'Timothée', 'Joël', 'Mathis', 'Léo', 'Arnaud', 'Bastien', 'Rémi'],
  },
  en: {
    f: ['Zoë', 'Emma', 'Olivia', 'Amelia', 'Charlotte', 'Grace', 'Sophie', 'Hannah', 'Emily', 'Jessica', 'Rebecca', 'Lauren', 'Megan', 'Abigail', 'Isla', 'Freya', 'Ava', 'Priya', 'Aisha', 'Niamh', 'Siobhán', 'Rachel', 'Katherine', 'Madison', 'Taylor', 'Harriet', 'Imogen', 'Eleanor', 'Lily', 'Ruby'],
    m: ['James', 'Oliver', 'Harry', 'George', 'William', 'Jack', 'Thomas', 'Daniel', 'Matthew', 'Ryan', 'Ethan', 'Noah', 'Samuel', 'Benjamin', 'Connor', 'Liam', 'Rohan', 'Arjun', 'Tariq', 'Seán', 'Callum', 'Owen', 'Edward', 'Henry', 'Michael', 'David', 'Nathan', 'Tyler', 'Joshua', 'Alexander'],
  },
  de: {
    f: ['Jana', 'Lena', 'Anna', 'Katrin', 'Sabine', 'Jülide', 'Greta', 'Marlene', 'Leonie', 'Annika', 'Birgit', 'Charlotte'],
    m: ['Jürgen', 'Lukas', 'Jonas', 'Felix', 'Tobias', 'Matthias', 'Stefan', 'Sören', 'Maximilian', 'Florian', 'Björn', 'Niklas'],
  },
};

export const LAST_NAMES: Record<NameOrigin, readonly string[]> = {
  fr: ['Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau', 'Simon', 'Laurent', 'Lefèvre', 'Michel', 'Garcia', 'David', 'Bertrand', 'Roux', 'Vincent', 'Fournier', 'Morel', 'Girard', 'André', 'Mercier', 'Dupont', 'Lambert', 'Bonnet', 'François', 'Martinez', 'Legrand', 'Garnier', 'Faure', 'Rousseau', 'Blanc', 'Guérin', 'Muller', 'Henry', 'Roussel', 'Nicolas', 'Perrin', 'Morin', 'Mathieu', 'Clément', 'Gauthier', 'Dumont', 'Lopez', 'Fontaine', 'Chevalier', 'Robin', 'Masson', 'Sanchez', 'Gérard', 'Nguyen', 'Boyer', 'Denis', 'Lemaire', 'Duval', 'Joly', 'Gautier', 'Roger', 'Roche', 'Roy', 'Noël', 'Meyer', 'Lucas', 'Meunier', 'Jean', 'Pérez', 'Marchand', 'Dufour', 'Blanchard', 'Barbier', 'Brun', 'Dumas', 'Brunet', 'Schmitt', 'Leroux', 'Colin', 'Fernandez', 'Pierre', 'Renard', 'Arnaud', 'Rolland', 'Caron', 'Aubert', 'Giraud', 'Leclerc', 'Vidal', 'Bourgeois', 'Renaud', 'Lemoine', 'Picard', 'Gaillard', 'Philippe', 'Lacroix', 'Dupuis', 'Olivier', 'Rodriguez', 'Da Silva', 'Le Gall', "D'Almeida", 'Béranger', 'Lefébure', 'Tremblay', 'Gagnon', 'Bouchard', 'Côté', 'Pelletier', 'Lévesque', 'Bergeron', 'Benali', 'Haddad', 'Diallo', 'Traoré', 'Mbappé', 'Ménard', 'Hébert', 'Poirier', 'Delacroix', 'Desjardins', 'Jégou', 'Kerbrat', 'Le Goff', 'Péron'],
  en: ['Smith', 'Jones', 'Taylor', 'Brown', 'Williams', 'Wilson', 'Johnson', 'Davies', 'Robinson', 'Wright', 'Thompson', 'Evans', 'Walker', 'White', 'Roberts', 'Green', 'Hall', 'Wood', 'Jackson', 'Clarke', 'Patel', 'Khan', 'Lewis', 'James', 'Phillips', 'Mason', 'Mitchell', 'Rose', 'Davis', 'Rodriguez', 'Cox', 'Alexander', 'Morgan', 'Moore', 'Miller', 'Anderson', 'Murphy', "O'Brien", 'Kelly', 'Campbell', 'Stewart', 'MacDonald', 'Hughes', 'Edwards', 'Turner', 'Cooper', 'Hill', 'Ward', 'Baker', 'Harris', 'Scott', 'Young', 'King', 'Lee', 'Chen', 'Singh', 'Shah', 'Okafor', 'Adeyemi', 'Fitzgerald', 'Sullivan', 'Bennett', 'Carter', 'Parker', 'Collins', 'Reed', 'Brooks', 'Gray', 'Hayes', 'Foster'],
  de: ['Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner', 'Becker', 'Schulz', 'Hoffmann', 'Schäfer', 'Koch', 'Bauer', 'Richter', 'Klein', 'Wolf', 'Schröder', 'Neumann', 'Schwarz', 'Zimmermann', 'Krüger', 'Hartmann', 'Lange', 'Günther', 'Weiß', 'Vogel', 'Jäger', 'Köhler'],
};

export type CommunityKind = 'org_unit' | 'interest' | 'profession' | 'project';
export type Visibility = 'public' | 'private' | 'secret';

export interface CommunityTemplate {
  name: string;
  kind: CommunityKind;
  visibility: Visibility;
  official?: boolean;
  description: string;
  topics: readonly string[];
  /** Where members come from: departments (keys), an office, or 'managers' / 'everyone'. */
  departments?: readonly string[];
  office?: string;
  audience?: 'managers' | 'everyone';
  /** Share of the audience that joins. */
  share: number;
}

/** Hand-written communities, in the order they are used: the first ones cover every kind and visibility. */
export const COMMUNITY_TEMPLATES: readonly CommunityTemplate[] = [
  { name: 'Guilde TypeScript', kind: 'profession', visibility: 'public', description: 'Entraide, revues de code et veille autour de TypeScript, Node.js et React.', topics: ['TypeScript', 'Node.js', 'React'], departments: ['eng', 'rnd', 'it'], share: 0.45 },
  { name: 'Running Club Hexagone', kind: 'interest', visibility: 'public', description: 'Lunch runs, races and training plans. All paces welcome!', topics: ['Running', 'Bien-être'], audience: 'everyone', share: 0.08 },
  { name: 'Projet Atlas — nouvel ERP', kind: 'project', visibility: 'private', description: "Déploiement du nouvel ERP : planning, décisions et points d'avancement.", topics: ['SAP', 'Achats', 'Gestion de projet'], departments: ['ops', 'fin', 'it'], share: 0.12 },
  { name: 'Women in Tech @Hexagone', kind: 'interest', visibility: 'public', official: true, description: 'Mentoring, role models and events to grow the number of women in tech roles.', topics: ['Inclusion', 'Mentorat'], audience: 'everyone', share: 0.06 },
  { name: 'Cercle des managers', kind: 'profession', visibility: 'private', description: 'Un espace entre managers pour partager pratiques, doutes et ressources.', topics: ['Management', 'Entretiens annuels', 'Conduite du changement'], audience: 'managers', share: 0.6 },
  { name: 'Project Orion (confidential)', kind: 'project', visibility: 'secret', description: 'Strategic review of a potential acquisition. Need-to-know only.', topics: ['Fusions-acquisitions', 'Stratégie'], departments: ['exec', 'fin', 'legal'], share: 0.15 },
  { name: 'Kubernetes & Cloud Native', kind: 'profession', visibility: 'public', description: 'Clusters, observability and platform engineering: questions, war stories and patterns.', topics: ['Kubernetes', 'Docker', 'Azure', 'Observabilité'], departments: ['eng', 'it'], share: 0.35 },
  { name: 'Bienvenue chez Hexagone', kind: 'interest', visibility: 'public', official: true, description: 'Pour les nouveaux arrivants : vos questions, nos bons plans, vos premiers pas.', topics: ['Onboarding', 'Télétravail', 'Vie de bureau'], audience: 'everyone', share: 0.12 },
  { name: 'Sécurité & conformité', kind: 'profession', visibility: 'public', official: true, description: 'Cybersécurité, RGPD et conformité : alertes, bonnes pratiques et questions.', topics: ['Cybersécurité', 'RGPD', 'Conformité'], departments: ['it', 'legal', 'eng'], share: 0.3 },
  { name: 'Photo & vidéo', kind: 'interest', visibility: 'public', description: 'Partagez vos photos, vos conseils matériel et nos sorties photo.', topics: ['Photographie'], audience: 'everyone', share: 0.05 },
  { name: 'Data & IA', kind: 'profession', visibility: 'public', description: 'Machine learning, generative AI and analytics across Hexagone.', topics: ['Machine learning', 'IA générative', 'Python', 'Data science', 'Power BI'], departments: ['rnd', 'eng', 'fin', 'mkt'], share: 0.25 },
  { name: 'Project Nova — customer portal', kind: 'project', visibility: 'public', description: 'Building the new customer portal: roadmap, demos and feedback.', topics: ['React', 'Onboarding client', 'Design system'], departments: ['eng', 'cs', 'mkt'], share: 0.12 },
  { name: 'Ventes grands comptes', kind: 'profession', visibility: 'private', description: 'Partage des opportunités, des appels d’offres en cours et des retours clients.', topics: ['Grands comptes', 'Négociation', "Appels d'offres"], departments: ['sales'], share: 0.5 },
  { name: 'Vélotaf Lyon', kind: 'interest', visibility: 'public', description: 'Aller au bureau à vélo à Lyon : itinéraires, entretien, équipement.', topics: ['Vélo', 'Éco-gestes'], office: 'Lyon', share: 0.25 },
  { name: 'Green IT & RSE', kind: 'interest', visibility: 'public', official: true, description: "Réduire notre empreinte : numérique responsable, éco-gestes et engagements RSE.", topics: ['RSE', 'Éco-gestes'], audience: 'everyone', share: 0.07 },
  { name: 'Design System Hexagone', kind: 'profession', visibility: 'public', description: 'Components, accessibility and brand: one design system for every product.', topics: ['Design system', 'Accessibilité', 'Brand design'], departments: ['eng', 'mkt'], share: 0.3 },
  { name: 'Finance Academy', kind: 'profession', visibility: 'public', description: 'IFRS, contrôle de gestion et Excel : formations et questions entre financiers.', topics: ['IFRS', 'Contrôle de gestion', 'Excel'], departments: ['fin'], share: 0.7 },
  { name: 'Board games London', kind: 'interest', visibility: 'public', description: 'Thursday evening board games at the London office.', topics: ['Jeux de société'], office: 'London', share: 0.2 },
  { name: 'Projet Hélios — usine 4.0', kind: 'project', visibility: 'public', description: "Capteurs IoT et lean sur la ligne de production de Lyon.", topics: ['IoT', 'Lean', 'Amélioration continue'], departments: ['ops', 'rnd'], share: 0.12 },
  { name: 'Comité de rémunération', kind: 'project', visibility: 'secret', description: 'Préparation de la campagne annuelle de rémunération.', topics: ['Paie', 'Gestion des talents'], departments: ['hr', 'exec', 'fin'], share: 0.1 },
  { name: 'Parents @ Hexagone', kind: 'interest', visibility: 'private', description: 'Parents and parents-to-be: childcare, leave, and balancing it all.', topics: ['Parentalité'], audience: 'everyone', share: 0.05 },
  { name: 'Club lecture', kind: 'interest', visibility: 'public', description: 'Un livre par mois, une discussion au déjeuner.', topics: ['Lecture'], audience: 'everyone', share: 0.04 },
  { name: 'Salesforce Champions', kind: 'profession', visibility: 'public', description: 'Tips, dashboards and admin help for our CRM.', topics: ['Salesforce', 'Prospection'], departments: ['sales', 'cs', 'mkt'], share: 0.35 },
  { name: 'Montréal — vie de bureau', kind: 'interest', visibility: 'public', description: 'Tout ce qui se passe au bureau de Montréal.', topics: ['Vie de bureau', 'Bien-être'], office: 'Montréal', share: 0.5 },
  { name: 'Microsoft 365 Champions', kind: 'profession', visibility: 'public', official: true, description: 'Teams, SharePoint and Microsoft 365 tips from the IT team and our champions.', topics: ['Microsoft 365', 'Teams', 'SharePoint'], audience: 'everyone', share: 0.08 },
  { name: 'Project Zephyr — pricing review', kind: 'project', visibility: 'private', description: 'Rethinking our price list for 2026.', topics: ['Pricing', 'Négociation'], departments: ['sales', 'fin'], share: 0.15 },
  { name: 'Musique & jam sessions', kind: 'interest', visibility: 'public', description: 'Musiciens de tous niveaux : jam sessions et playlists partagées.', topics: ['Musique'], audience: 'everyone', share: 0.03 },
  { name: 'Customer Voice', kind: 'profession', visibility: 'public', description: 'What our customers tell us: NPS verbatims, churn analysis and feedback loops.', topics: ['NPS', 'Écoute client', 'Churn'], departments: ['cs', 'mkt', 'sales'], share: 0.3 },
  { name: 'Berlin Office', kind: 'interest', visibility: 'public', description: 'News, lunches and language tandems at the Berlin office.', topics: ['Langues', 'Vie de bureau'], office: 'Berlin', share: 0.6 },
  { name: 'Yoga & bien-être', kind: 'interest', visibility: 'public', description: 'Séances de yoga au bureau et en visio, conseils bien-être.', topics: ['Yoga', 'Bien-être'], audience: 'everyone', share: 0.04 },
];

export const PROJECT_CODENAMES: readonly string[] = ['Andromède', 'Boréal', 'Cassiopée', 'Delta', 'Éole', 'Fénix', 'Gémeaux', 'Hermès', 'Iris', 'Jade', 'Kairos', 'Lumen', 'Mistral', 'Nébuleuse', 'Opale', 'Pégase', 'Quartz', 'Rivage', 'Saphir', 'Tramontane', 'Ulysse', 'Véga', 'Zénith', 'Aurora', 'Beacon', 'Compass', 'Falcon', 'Granite', 'Harbor', 'Keystone', 'Lighthouse', 'Meridian', 'Northstar', 'Pioneer', 'Summit', 'Tidal'];

export const PROJECT_GOALS: readonly (readonly [string, string])[] = [
  ['Refonte de {s}', 'Revamp of {s}'],
  ['Déploiement {s}', '{s} rollout'],
  ['Industrialisation de {s}', 'Scaling {s}'],
  ['Audit {s}', '{s} audit'],
  ['Pilote {s}', '{s} pilot'],
];
