/** The demo organisation (Hexagone Industries): a believable company to try Ruche, test it and benchmark it. */
export {
  DEMO_TENANT_ID, DEMO_TENANT_NAME, DEMO_MAX_PEOPLE, DEMO_MIN_PEOPLE, generateDemo,
  type DemoOptions, type DemoSummary, type ShyExpert,
} from './generate.js';
export { resetDemo, isDemoLoaded } from './reset.js';
export { demoId } from './random.js';
export { DEMO_DOMAIN } from './org.js';
export { renderDemoMarkdown } from './text.js';
export { SAME_WORK_TWINS, plantWeakTies, type WeakTiesSummary } from './weak-ties.js';
