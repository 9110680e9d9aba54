import { ValidateIf } from 'class-validator';

/**
 * Like @IsOptional, but only an absent field is skipped: `null` is validated (and refused)
 * like any other value. @IsOptional let `{"user_id": null}` through to the stores.
 */
export const IsOptionalNotNull = () => ValidateIf((_object: object, value: unknown) => value !== undefined);
