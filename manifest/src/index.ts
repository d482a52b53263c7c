export { buildAppPackage, type BuildOptions, type BuildResult } from './package.js';
export { ManifestBuildError, ManifestErrorCode } from './errors.js';
export { VARIABLES, VARIABLE_NAMES, resolveVariables, type Variables, type VariableName } from './variables.js';
export { MANIFEST_VERSION, validateManifest, validateLocalization } from './schema.js';
export { localizableFields, translationProblems } from './localization.js';
export { renderColorIcon, renderOutlineIcon, checkIcons, ACCENT_COLOR } from './icons.js';
export { defaultOutFile } from './paths.js';
