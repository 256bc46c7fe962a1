import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { sensitiveProperties } from './sensitive';

/** Thrown at boot when the environment does not describe a runnable service. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
  }
}

/**
 * Reads environment variables into a validated, typed object; fails fast naming every missing or
 * bad variable. Property names of `schema` are the variable names. Values of properties marked
 * @Sensitive are never echoed back in error messages.
 */
export function loadConfig<T extends object>(schema: new () => T, env: NodeJS.ProcessEnv = process.env): Readonly<T> {
  const sensitive = sensitiveProperties(schema);
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
        const shown = sensitive.has(e.property) ? '' : ` (got ${JSON.stringify(raw[e.property])})`;
        return `${e.property}: ${reasons}${shown}`;
      }),
    );
  }
  return Object.freeze(config);
}
