import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { COMMON_SENSITIVE } from './common-config';

/** Thrown at boot when the environment does not describe a runnable service. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
  }
}

/**
 * Reads environment variables into a validated, typed object; fails fast naming every missing or
 * bad variable. Property names of `schema` are the variable names. Values of properties listed in
 * `sensitive`, and of COMMON_SENSITIVE, are never echoed back in error messages.
 */
export function loadConfig<T extends object>(
  schema: new () => T,
  env: NodeJS.ProcessEnv = process.env,
  sensitive: readonly (keyof T)[] = [],
): Readonly<T> {
  const defaults = new schema();
  const raw: Record<string, unknown> = { ...(defaults as Record<string, unknown>) };
  for (const key of Object.keys(defaults)) {
    const value = env[key];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const config = plainToInstance(schema, raw, { enableImplicitConversion: true });
  const errors = validateSync(config, { validationError: { target: false, value: false } });
  if (errors.length > 0) {
    throw new ConfigError(
      errors.map((e) => {
        const reasons = Object.values(e.constraints ?? {}).join('; ');
        const secret = [...COMMON_SENSITIVE, ...(sensitive as readonly string[])].includes(e.property);
        const shown = secret ? '' : ` (got ${JSON.stringify(raw[e.property])})`;
        return `${e.property}: ${reasons}${shown}`;
      }),
    );
  }
  return Object.freeze(config);
}
