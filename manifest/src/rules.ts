/** Teams rules the JSON schema does not express, checked on the filled manifest. */
import { domainCovers } from './variables.js';

interface ManifestShape {
  validDomains?: string[];
  staticTabs?: { entityId?: string; contentUrl?: string; websiteUrl?: string }[];
  configurableTabs?: { configurationUrl?: string }[];
  bots?: { botId?: string }[];
  composeExtensions?: { botId?: string }[];
}

export function ruleProblems(manifest: unknown): string[] {
  const m = manifest as ManifestShape;
  const problems: string[] = [];
  const domains = m.validDomains ?? [];

  const urls: [string, string | undefined][] = [
    ...(m.staticTabs ?? []).flatMap((tab, i): [string, string | undefined][] => [
      [`staticTabs[${i}].contentUrl`, tab.contentUrl],
      [`staticTabs[${i}].websiteUrl`, tab.websiteUrl],
    ]),
    ...(m.configurableTabs ?? []).map((tab, i): [string, string | undefined] => [`configurableTabs[${i}].configurationUrl`, tab.configurationUrl]),
  ];
  for (const [field, value] of urls) {
    if (value === undefined) continue;
    const url = new URL(value);
    if (!domains.some((domain) => domainCovers(domain, url))) {
      problems.push(`${field} (${value}) is on ${url.host}, which validDomains does not list`);
    }
  }

  const seen = new Set<string>();
  (m.staticTabs ?? []).forEach((tab, i) => {
    if (tab.entityId === undefined) return;
    if (seen.has(tab.entityId)) problems.push(`staticTabs[${i}].entityId "${tab.entityId}" is used by another tab`);
    seen.add(tab.entityId);
  });

  const botIds = new Set((m.bots ?? []).map((bot) => bot.botId));
  (m.composeExtensions ?? []).forEach((extension, i) => {
    if (extension.botId !== undefined && !botIds.has(extension.botId)) {
      problems.push(`composeExtensions[${i}].botId is not the bot of bots[]: Ruche serves its message extensions from its bot`);
    }
  });
  return problems;
}
