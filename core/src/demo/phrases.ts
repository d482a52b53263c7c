/**
 * Sentences of the demo content, in French and English. `{s}` is a subject (a topic name),
 * `{name}` a first name, `{dept}` a department, `{city}` an office, `{slug}` a topic slug.
 * A fragment written "masculine|feminine" is chosen by the writer's gender.
 */
import type { Lang } from './catalogue.js';

type Bilingual = Record<Lang, readonly string[]>;

export const DISCUSSION_TITLES: Bilingual = {
  fr: ["Retour d'expérience : {s}", '{s} : où en est-on ?', 'Nos apprentissages sur {s}', '{s}, vos bonnes pratiques ?', 'Atelier {s} : le compte rendu', 'Ce qui a changé pour nous avec {s}'],
  en: ['Lessons learned: {s}', 'Where are we with {s}?', '{s}: what worked for us', 'Your best practices for {s}?', '{s} workshop: the write-up', 'What changed for us with {s}'],
};

export const DISCUSSION_OPENERS: Bilingual = {
  fr: [
    'On a testé {s} sur notre périmètre ce mois-ci, voici un premier retour.',
    'Petit partage après notre atelier sur {s} de la semaine dernière.',
    'Je me pose des questions sur notre usage de {s} : est-ce qu’on fait les choses de la bonne manière ?',
    'Bonne nouvelle : notre chantier {s} avance bien.',
    "J'ai lu un article très intéressant sur {s}, je vous partage l'essentiel.",
    'Trois mois après le lancement, un point d’étape sur {s}.',
  ],
  en: [
    'We tried {s} in our team this month; here is a first write-up.',
    'A quick share after last week’s {s} workshop.',
    'I am wondering about how we use {s}: are we doing it the right way?',
    'Good news: our {s} work is going well.',
    'I read a great article about {s}; here are the key points.',
    'Three months after the launch, a progress update on {s}.',
  ],
};

export const DISCUSSION_MIDDLES: Bilingual = {
  fr: [
    'Ce qui nous a le plus aidés : **documenter les décisions** au fur et à mesure.',
    "On a gagné du temps, mais il reste du travail sur l'outillage et la formation.",
    "Le plus difficile n'a pas été la technique mais l'adoption par les équipes.",
    'Les premiers chiffres sont encourageants : moins d’allers-retours et des délais plus courts.',
    'Tout est résumé sur [la page intranet](https://intranet.hexagone.example/sujets/{slug}).',
    'Merci à {mention} pour le coup de main, ça a tout débloqué.',
    'Point clé : **commencer petit**, mesurer, puis élargir.',
  ],
  en: [
    'What helped most: **writing decisions down** as we went.',
    'We saved time, but tooling and training still need work.',
    'The hard part was not the technology but getting teams on board.',
    'Early numbers look good: fewer back-and-forths and shorter lead times.',
    'Everything is summarised on [the intranet page](https://intranet.hexagone.example/topics/{slug}).',
    'Thanks to {mention} for the help, it unblocked everything.',
    'Key point: **start small**, measure, then widen.',
  ],
};

export const DISCUSSION_CLOSINGS: Bilingual = {
  fr: ['Vos retours sont les bienvenus !', "Qui serait partant pour un retour d'expérience en visio ?", "Est-ce que d'autres équipes ont vécu la même chose ?", 'On en reparle au prochain point d’équipe.', 'Je peux présenter ça plus en détail si ça intéresse du monde.'],
  en: ['Feedback welcome!', 'Anyone up for a short show-and-tell on Teams?', 'Have other teams been through the same thing?', 'Let’s pick this up at the next team meeting.', 'Happy to present it in more detail if people are interested.'],
};

export const QUESTION_TITLES: Bilingual = {
  fr: ['Comment démarrer avec {s} ?', "Quelqu'un a déjà utilisé {s} sur un projet client ?", 'Quelle est la bonne pratique chez nous pour {s} ?', "Besoin d'aide sur {s} : qui peut m'éclairer ?", '{s} : quelle formation recommandez-vous ?', '{s} : on fait comment quand ça bloque ?'],
  en: ['How do I get started with {s}?', 'Has anyone used {s} on a customer project?', 'What is our recommended practice for {s}?', 'Need help with {s}: who can advise?', 'Which training would you recommend for {s}?', '{s}: what do we do when it gets stuck?'],
};

export const QUESTION_BODIES: Bilingual = {
  fr: [
    "Je travaille sur un dossier qui touche à {s} et je bloque un peu.\n\nSi quelqu'un a de l'expérience, toute aide est la bienvenue. Merci d'avance !",
    "Nouveau|Nouvelle sur le sujet {s}, je cherche les **bons interlocuteurs** et la documentation à jour.\n\nMerci !",
    "On doit trancher cette semaine sur {s}. Des retours d'expérience avant qu'on se lance ?",
  ],
  en: [
    'I am working on something that touches {s} and I am a bit stuck.\n\nIf anyone has experience, any help is welcome. Thanks in advance!',
    'New to {s}, I am looking for the **right people** and up-to-date documentation.\n\nThanks!',
    'We have to decide on {s} this week. Any lessons learned before we start?',
  ],
};

export const ANSWERS: Bilingual = {
  fr: [
    'Chez nous, on utilise {s} depuis l’an dernier : commence petit, sur un cas simple, et documente au fur et à mesure.',
    'Il y a un guide interne très bien fait sur [l’intranet](https://intranet.hexagone.example/guides/{slug}). Sinon je peux te montrer en 15 minutes.',
    'Attention aux pièges classiques de {s} : on s’est fait avoir sur les cas limites. Je t’envoie notre checklist.',
    'La formation interne sur {s} était très bien, je te la recommande. Et n’hésite pas à me ping sur Teams.',
    'On a eu exactement le même cas : la solution a été de **clarifier les responsabilités** avant de toucher à {s}.',
  ],
  en: [
    'We have been using {s} since last year: start small, on a simple case, and write things down as you go.',
    'There is a good internal guide on [the intranet](https://intranet.hexagone.example/guides/{slug}). Otherwise I can walk you through it in 15 minutes.',
    'Watch out for the classic {s} pitfalls: edge cases bit us. I will send you our checklist.',
    'The internal {s} training was really good, I recommend it. And feel free to ping me on Teams.',
    'We had exactly the same case: the fix was to **clarify who owns what** before touching {s}.',
  ],
};

export const COMMENTS: Bilingual = {
  fr: ['Merci pour le partage !', 'Très intéressant, merci.', '+1, même constat de notre côté.', 'Super initiative 👏', 'On peut en parler à la prochaine réunion ?', 'Je transmets à mon équipe.', 'Bravo à toute l’équipe !', 'Partant|Partante !', 'Hâte de voir la suite.', 'Question bête : est-ce que ça concerne aussi les sites hors de France ?'],
  en: ['Thanks for sharing!', 'Really useful, thanks.', '+1, same here.', 'Great initiative 👏', 'Can we discuss this at the next team meeting?', 'Forwarding to my team.', 'Well done, everyone!', 'Count me in!', 'Looking forward to what comes next.', 'Quick question: does this apply to offices outside France too?'],
};

export const REPLIES: Bilingual = {
  fr: ['Merci {name} !', 'Bonne idée {name}, je regarde ça.', "Tout à fait d'accord avec toi {name}.", '{name}, je te fais un retour demain.', 'Bien vu {name} 👍'],
  en: ['Thanks {name}!', 'Good point {name}, I will look into it.', 'Fully agree with you {name}.', '{name}, I will get back to you tomorrow.', 'Nice catch {name} 👍'],
};

export const THANKS_ANSWER: Bilingual = {
  fr: ['Merci {name}, c’est exactement ce qu’il me fallait !', 'Parfait, merci {name} 🙏', 'Top, ça marche. Merci {name} !'],
  en: ['Thanks {name}, exactly what I needed!', 'Perfect, thank you {name} 🙏', 'Great, it works. Thanks {name}!'],
};

/** [title, body] */
export const ANNOUNCEMENTS: Record<Lang, readonly (readonly [string, string])[]> = {
  fr: [
    ['Les résultats du trimestre sont en ligne', 'Les résultats du trimestre sont disponibles sur [l’intranet](https://intranet.hexagone.example/finance/resultats).\n\n**Merci à toutes et à tous** pour votre engagement.'],
    ['Bienvenue aux nouveaux arrivants', 'Ce mois-ci, nous accueillons de nouveaux collègues dans l’équipe {dept}. Pensez à leur faire signe !'],
    ['{dept} : notre feuille de route du semestre', 'La feuille de route est publiée. Les priorités : **qualité**, **délais** et **{s}**.\n\nLes détails sont [ici](https://intranet.hexagone.example/feuille-de-route).'],
    ['Nouveaux horaires du restaurant d’entreprise', 'À partir de lundi, le restaurant de {city} ouvre de 11 h 30 à 14 h 15.'],
    ['Ruche est ouvert à toute l’entreprise !', 'Posez vos questions, partagez vos réussites, remerciez vos collègues : Ruche est disponible dans Teams et sur l’intranet.'],
    ['Séminaire {dept} : save the date', 'Notre séminaire annuel aura lieu à {city}. Programme et inscriptions très bientôt.'],
  ],
  en: [
    ['Quarterly results are out', 'The quarterly results are on [the intranet](https://intranet.hexagone.example/finance/results).\n\n**Thank you all** for your commitment.'],
    ['Welcome to our new joiners', 'This month we welcome new colleagues in {dept}. Make sure to say hello!'],
    ['{dept}: our roadmap for the half-year', 'The roadmap is published. Priorities: **quality**, **lead times** and **{s}**.\n\nDetails [here](https://intranet.hexagone.example/roadmap).'],
    ['New opening hours for the staff restaurant', 'From Monday, the {city} restaurant opens from 11:30 to 14:15.'],
    ['Ruche is open to everyone!', 'Ask questions, share wins, thank colleagues: Ruche is available in Teams and on the intranet.'],
    ['{dept} offsite: save the date', 'Our yearly offsite will take place in {city}. Agenda and registration coming soon.'],
  ],
};

/** Must-read announcements, written in both languages as official communication is. [title, body] */
export const MUST_READS: readonly (readonly [string, string])[] = [
  ['Charte de sécurité informatique / IT security policy', "La charte évolue : **authentification multifacteur obligatoire** et nouvelles règles de partage externe. Merci de la lire et de confirmer votre lecture.\n\nOur IT security policy changes: **multi-factor authentication is mandatory** and external sharing rules are new. Please read it and acknowledge.\n\n[Lire la charte / Read the policy](https://intranet.hexagone.example/it/charte-securite)"],
  ['Code de conduite / Code of conduct', "Notre code de conduite a été mis à jour (cadeaux, conflits d'intérêts, lanceurs d'alerte). Lecture obligatoire pour toutes et tous.\n\nOur code of conduct has been updated (gifts, conflicts of interest, whistleblowing). Everyone must read it.\n\n[Code de conduite / Code of conduct](https://intranet.hexagone.example/ethique)"],
  ['Nouvelle procédure de notes de frais / New expense process', 'À partir du 1er du mois, les notes de frais passent par la nouvelle application. **Les justificatifs papier ne sont plus acceptés.**\n\nFrom the 1st, expenses go through the new app. **Paper receipts are no longer accepted.**'],
  ['Politique de télétravail / Remote work policy', "La nouvelle politique de télétravail s'applique dès maintenant : jusqu'à 3 jours par semaine, en accord avec votre manager.\n\nThe new remote work policy applies now: up to 3 days a week, agreed with your manager."],
  ['RGPD : les bons réflexes / GDPR: the right reflexes', 'Données clients, fichiers partagés, durées de conservation : les règles à connaître.\n\nCustomer data, shared files, retention periods: the rules you need to know.\n\n[Guide RGPD / GDPR guide](https://intranet.hexagone.example/juridique/rgpd)'],
  ["Consignes d'évacuation / Evacuation procedure", "Les consignes d'évacuation de tous les sites ont changé. Repérez votre point de rassemblement.\n\nEvacuation procedures have changed on every site. Find your assembly point."],
];

export const IDEAS: Record<Lang, readonly string[]> = {
  fr: ['Des créneaux sans réunion le mercredi matin', 'Un programme de mentorat inversé sur {s}', 'Installer des bornes de recharge au parking de {city}', 'Des « vis ma vie » entre services', 'Remplacer les gobelets par des gourdes', 'Des déjeuners-formations sur {s}', 'Un annuaire des experts {s}', 'Un espace calme au bureau de {city}'],
  en: ['Meeting-free Wednesday mornings', 'A reverse mentoring programme on {s}', 'EV chargers in the {city} car park', 'Job shadowing between departments', 'Replace paper cups with reusable bottles', 'Lunch & learn sessions on {s}', 'A directory of {s} experts', 'A quiet room in the {city} office'],
};

export const IDEA_BODIES: Bilingual = {
  fr: ['Et si on essayait ? On gagnerait en **concentration** et en qualité de vie.\n\nVotez si vous êtes pour !', 'Plusieurs équipes en parlent déjà, formalisons-le. Qui veut m’aider à monter le dossier ?', "C'est simple à mettre en place et ça aiderait beaucoup sur {s}."],
  en: ['Why not give it a try? We would gain **focus** and quality of life.\n\nVote if you like it!', 'Several teams already talk about it, let’s make it official. Who wants to help me write it up?', 'It is easy to set up and would help a lot with {s}.'],
};

/** [question, options...] */
export const POLLS: Record<Lang, readonly (readonly string[])[]> = {
  fr: [
    ['Quel créneau pour le prochain afterwork ?', 'Jeudi soir', 'Vendredi midi', 'Mardi soir'],
    ['Quel format pour la formation {s} ?', 'Présentiel', 'Visio', 'Hybride'],
    ['Vous utilisez {s} au quotidien ?', 'Tous les jours', 'Parfois', 'Jamais', "C'est quoi ?"],
    ['Quel thème pour le prochain séminaire ?', 'IA et nous', 'Collaboration', 'Nos clients', 'Bien-être'],
    ['Quelle fréquence pour nos points d’équipe ?', 'Hebdomadaire', 'Tous les 15 jours', 'Mensuelle'],
  ],
  en: [
    ['Which slot for the next team drinks?', 'Thursday evening', 'Friday lunch', 'Tuesday evening'],
    ['Which format for the {s} training?', 'In person', 'Online', 'Hybrid'],
    ['Do you use {s} every day?', 'Every day', 'Sometimes', 'Never', 'What is it?'],
    ['Which theme for the next offsite?', 'AI and us', 'Collaboration', 'Our customers', 'Well-being'],
    ['How often should we meet as a team?', 'Weekly', 'Every two weeks', 'Monthly'],
  ],
};

export const EVENTS: Bilingual = {
  fr: ['Afterwork à {city}', 'Meetup {s}', 'Webinaire : {s} pour les débutants', 'Petit-déjeuner des nouveaux arrivants', 'Hackathon Hexagone', 'Atelier {s}', 'Conférence interne : {s}'],
  en: ['Team drinks in {city}', '{s} meetup', 'Webinar: {s} for beginners', 'New joiners breakfast', 'Hexagone hackathon', '{s} workshop', 'Internal talk: {s}'],
};

export const EVENT_BODIES: Bilingual = {
  fr: ['Rendez-vous pour un moment d’échange autour de {s}. **Inscription conseillée**, places limitées.', 'Au programme : retours d’expérience, démonstrations et questions ouvertes. Tout le monde est bienvenu !'],
  en: ['Join us for an open conversation about {s}. **Please register**, seats are limited.', 'On the agenda: lessons learned, demos and open questions. Everyone is welcome!'],
};

export const KUDOS: Record<Lang, Record<string, readonly string[]>> = {
  fr: {
    teamwork: ['Merci {name} pour ton aide sur {s}, un vrai travail d’équipe !', 'Merci {name} d’avoir épaulé toute l’équipe sur {s} cette semaine.'],
    customer: ['Bravo {name} pour ta réactivité avec le client sur le dossier {s} !', '{name}, le client a adoré ta présentation sur {s}. Merci !'],
    innovation: ['{name}, ton idée sur {s} va nous faire gagner un temps fou. Merci !', 'Merci {name} pour ton astuce sur {s}, adoptée par toute l’équipe.'],
    courage: ['Merci {name} d’avoir porté le sujet {s} jusqu’au bout, ce n’était pas simple.', 'Bravo {name} pour ta franchise en réunion sur {s}.'],
    kindness: ['Merci {name} pour ta bienveillance et ta patience quand je découvrais {s}.', '{name}, merci pour ton accueil et tes conseils sur {s} !'],
  },
  en: {
    teamwork: ['Thanks {name} for your help on {s}, real teamwork!', 'Thanks {name} for backing the whole team on {s} this week.'],
    customer: ['Well done {name} for being so responsive with the customer on {s}!', '{name}, the customer loved your {s} presentation. Thank you!'],
    innovation: ['{name}, your idea on {s} will save us so much time. Thanks!', 'Thanks {name} for your {s} trick, the whole team uses it now.'],
    courage: ['Thanks {name} for seeing {s} through, it was not easy.', 'Well done {name} for speaking up about {s} in the meeting.'],
    kindness: ['Thanks {name} for your patience when I was new to {s}.', '{name}, thank you for the warm welcome and your tips on {s}!'],
  },
};

export const BIOGRAPHIES: Bilingual = {
  fr: [
    '{title} chez Hexagone depuis {year}. Je travaille surtout sur {skill1} et {skill2}. En dehors du bureau : {interest}.',
    '{title}, basé|basée à {city}. Sujets du moment : {skill1}, {skill2}. Passionné|Passionnée par {interest}.',
    'Chez Hexagone depuis {year}, {title}. N’hésitez pas à me solliciter sur {skill1} !',
  ],
  en: [
    '{title} at Hexagone since {year}. Mostly working on {skill1} and {skill2}. Outside work: {interest}.',
    '{title}, based in {city}. Current topics: {skill1}, {skill2}. Big fan of {interest}.',
    'At Hexagone since {year} as {title}. Happy to help with {skill1}!',
  ],
};
