/** Decisions about what the directory shows of people. */
import type { Viewer } from './policy.js';

/** A person's photo is seen by everyone of the organisation, as their name is (former employees included: their content stays). */
export function canSeePersonPhoto(viewer: Viewer, subject: { tenantId: string }): boolean {
  return viewer.tenantId === subject.tenantId;
}
