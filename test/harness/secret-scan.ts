/** A secret a test used, under a name for the report (never the value). */
export interface KnownSecret {
  name: string;
  value: string;
}

/** Where a secret showed up: which output, which line, in which encoding. */
export interface SecretSighting {
  secret: string;
  source: string;
  line: number;
  form: string;
}

/** Shorter values would match by chance (and are no secrets worth the name). */
const MIN_SECRET_LENGTH = 12;

/**
 * The forms a secret can take in output: as is, percent-encoded (inside a URL), JSON-escaped, and
 * for prefixed tokens (`whsec_…`, `lsk_…_…`, `lss_…`) the random part alone.
 */
function formsOf(value: string): { form: string; text: string }[] {
  const forms = [
    { form: 'plain', text: value },
    { form: 'percent-encoded', text: encodeURIComponent(value) },
    { form: 'json-escaped', text: JSON.stringify(value).slice(1, -1) },
  ];
  const random = /^(?:whsec_|lss_|lsk_[a-z2-7]{12}_)(.+)$/.exec(value)?.[1];
  if (random !== undefined) forms.push({ form: 'without its prefix', text: random });
  return forms.filter((f, i) => f.text.length >= MIN_SECRET_LENGTH && forms.findIndex((g) => g.text === f.text) === i);
}

/** Every place any of `secrets` appears in `outputs` (name → lines); empty when none does. */
export function findSecrets(secrets: readonly KnownSecret[], outputs: ReadonlyMap<string, readonly string[]>): SecretSighting[] {
  const sightings: SecretSighting[] = [];
  for (const secret of secrets) {
    if (secret.value.length < MIN_SECRET_LENGTH) throw new Error(`${secret.name} is too short to scan for reliably`);
    const forms = formsOf(secret.value);
    for (const [source, lines] of outputs) {
      lines.forEach((line, index) => {
        const found = forms.find((f) => line.includes(f.text));
        if (found !== undefined) sightings.push({ secret: secret.name, source, line: index + 1, form: found.form });
      });
    }
  }
  return sightings;
}

/** The values of an environment that look like secrets by their names: what a scan must cover. */
export function secretsOfEnv(env: NodeJS.ProcessEnv): KnownSecret[] {
  return Object.entries(env)
    .filter(([name, value]) => /(PASSWORD|SECRET|TOKEN|_KEY)$/.test(name) && value !== undefined && value.length >= MIN_SECRET_LENGTH)
    .map(([name, value]) => ({ name, value: value as string }));
}
