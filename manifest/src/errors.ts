/**
 * The manifest package's error catalogue. Every failure of the build carries one of these
 * codes and a message that names the variable, file or manifest field at fault.
 */
export const ManifestErrorCode = {
  /** A variable needed in production is not set. */
  VariableMissing: 'RUCHE_MANIFEST_001',
  /** A variable is set to a value the manifest cannot use. */
  VariableInvalid: 'RUCHE_MANIFEST_002',
  /** The template uses a ${{VAR}} placeholder that no variable defines. */
  PlaceholderUnknown: 'RUCHE_MANIFEST_003',
  /** The filled manifest does not validate against the bundled schema. */
  SchemaInvalid: 'RUCHE_MANIFEST_004',
  /** A localisation file does not validate, or does not match the manifest. */
  LocalizationInvalid: 'RUCHE_MANIFEST_005',
  /** An icon has the wrong size or colours. */
  IconInvalid: 'RUCHE_MANIFEST_006',
  /** The schema for the manifest version is not bundled in @microsoft/app-manifest. */
  SchemaNotBundled: 'RUCHE_MANIFEST_007',
  /** The manifest breaks a Teams rule the JSON schema does not express. */
  RuleBroken: 'RUCHE_MANIFEST_008',
} as const;

export type ManifestErrorCode = (typeof ManifestErrorCode)[keyof typeof ManifestErrorCode];

export class ManifestBuildError extends Error {
  override readonly name = 'ManifestBuildError';

  constructor(
    readonly code: ManifestErrorCode,
    /** One line per problem, each naming the variable, file or field at fault. */
    readonly problems: readonly string[],
    summary: string,
  ) {
    super(`${summary}\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}
