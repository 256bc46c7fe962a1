import { ValidateIf } from 'class-validator';

/**
 * A request member that may be left out. Unlike class-validator's IsOptional, which also skips
 * every check for `null`, a `null` is validated like any other value, so it is refused by the
 * member's type checks instead of reaching a NOT NULL column. Members where `null` means "clear
 * it" keep IsOptional (and say `nullable` in their OpenAPI property).
 */
export function Omittable(): PropertyDecorator {
  return ValidateIf((_object: object, value: unknown) => value !== undefined);
}
