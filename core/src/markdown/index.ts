export * from './markdown.js';
export { xssPayloads, inertnessProblem } from './xss-payloads.js';
