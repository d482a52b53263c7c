/** The demo organisation's tenant and size limits, apart from the generator (the CLI reads them without loading it). */
export const DEMO_TENANT_ID = '2f0c5d1e-7a1b-4c3d-9e8f-5a6b7c8d9e01';
export const DEMO_TENANT_NAME = 'Ruche Demo — Hexagone Industries';
export const DEMO_MAX_PEOPLE = 50_000;
export const DEMO_MIN_PEOPLE = 40;
