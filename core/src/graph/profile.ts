/** People profile skills (Graph beta: /users/{id}/profile/skills, skillProficiency). */
import type { GraphClient } from './client.js';

export const skillSelect = ['id', 'displayName', 'proficiency', 'categories', 'collaborationTags', 'webUrl', 'lastModifiedDateTime'] as const;

export type SkillProficiencyLevel =
  | 'elementary'
  | 'limitedWorking'
  | 'generalProfessional'
  | 'advancedProfessional'
  | 'expert'
  | 'unknownFutureValue';

export interface DeclaredSkill {
  id: string;
  displayName: string;
  proficiency?: SkillProficiencyLevel | null;
  categories: string[];
  collaborationTags: string[];
  webUrl?: string | null;
  lastModifiedDateTime?: string;
}

/** The skills a user declared in their Microsoft 365 profile (beta endpoint). */
export async function listUserSkills(client: GraphClient, userId: string): Promise<DeclaredSkill[]> {
  const skills: DeclaredSkill[] = [];
  const url = `/users/${encodeURIComponent(userId)}/profile/skills?$select=${skillSelect.join(',')}`;
  for await (const page of client.getAll<Record<string, unknown>>(url, { version: 'beta' })) {
    for (const raw of page.value) {
      skills.push({
        id: String(raw.id),
        displayName: String(raw.displayName ?? ''),
        proficiency: (raw.proficiency as SkillProficiencyLevel | null | undefined) ?? null,
        categories: ((raw.categories as (string | null)[] | undefined) ?? []).filter((c): c is string => typeof c === 'string'),
        collaborationTags: ((raw.collaborationTags as (string | null)[] | undefined) ?? []).filter((c): c is string => typeof c === 'string'),
        webUrl: (raw.webUrl as string | null | undefined) ?? null,
        ...(typeof raw.lastModifiedDateTime === 'string' ? { lastModifiedDateTime: raw.lastModifiedDateTime } : {}),
      });
    }
  }
  return skills;
}
