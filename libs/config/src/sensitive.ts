import 'reflect-metadata';

const SENSITIVE_KEY = Symbol('liaison:sensitive-config');

/**
 * Marks a config property as a secret (a password, a key, a URL that may carry a password): its
 * value is never echoed in a configuration error. Subclasses inherit their parents' marks.
 */
export function Sensitive(): PropertyDecorator {
  return (target, property) => {
    const inherited = (Reflect.getMetadata(SENSITIVE_KEY, target) as readonly (string | symbol)[] | undefined) ?? [];
    Reflect.defineMetadata(SENSITIVE_KEY, [...inherited, property], target);
  };
}

/** The names of the properties of `schema` marked @Sensitive, its parents' included. */
export function sensitiveProperties(schema: new () => object): ReadonlySet<string> {
  const marked = (Reflect.getMetadata(SENSITIVE_KEY, schema.prototype as object) as readonly (string | symbol)[] | undefined) ?? [];
  return new Set(marked.filter((p): p is string => typeof p === 'string'));
}
