import { RucheError } from '../errors.js';
import { isUuid } from '../people/people.js';

const isoPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;

/** Checks the parts of a decoded cursor that go into SQL casts, so a forged cursor is a 400, never a 500. */
export function checkKeyset(parts: { timestamps?: unknown[]; ids?: unknown[] }): void {
  for (const t of parts.timestamps ?? []) if (typeof t !== 'string' || !isoPattern.test(t)) throw new RucheError('INVALID_CURSOR');
  for (const id of parts.ids ?? []) if (typeof id !== 'string' || !isUuid(id)) throw new RucheError('INVALID_CURSOR');
}
