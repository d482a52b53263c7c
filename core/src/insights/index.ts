/** Insights: the interaction graph and its connectors, community health and reach, CSV export. */
export * from './graph.js';
export * from './community.js';
