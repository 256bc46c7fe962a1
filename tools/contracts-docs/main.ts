/**
 * `npm run docs`: writes docs/schemas/*.json and docs/asyncapi.yaml from libs/contracts.
 * `npm run docs:check`: regenerates into a temporary folder, fails naming every committed file that
 * differs, and validates docs/asyncapi.yaml with the AsyncAPI parser.
 *
 *   node dist/tools/contracts-docs/main.js write [--accept-breaking]
 *   node dist/tools/contracts-docs/main.js check
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { DiagnosticSeverity, Parser, fromFile } from '@asyncapi/parser';
import * as prettier from 'prettier';
import { repoRoot } from '../kafka/cluster';
import { ASYNCAPI_FILE, buildAsyncApi, renderAsyncApi, SCHEMAS_DIR } from './asyncapi';
import { breakingChangesAcross } from './compat';
import { ENVELOPE_SCHEMA_NAME, generateSchemas, renderSchemas, type JsonSchema } from './json-schemas';

/** Every generated file, by its path relative to docs/. */
export async function generateDocs(): Promise<Record<string, string>> {
  const schemas = generateSchemas();
  const files: Record<string, string> = {};
  for (const [name, text] of Object.entries(renderSchemas(schemas))) files[`${SCHEMAS_DIR}/${name}`] = text;
  // Formatted as the repository's prettier would, so `npm run lint` and the generator agree.
  const asyncApiPath = join(repoRoot(), 'docs', ASYNCAPI_FILE);
  const options = (await prettier.resolveConfig(asyncApiPath)) ?? {};
  files[ASYNCAPI_FILE] = await prettier.format(renderAsyncApi(buildAsyncApi(schemas[ENVELOPE_SCHEMA_NAME]!)), {
    ...options,
    filepath: asyncApiPath,
  });
  return files;
}

/** The committed schemas under `docsDir`/schemas, parsed, by name without `.json`. */
export function readSchemas(docsDir: string): Record<string, JsonSchema> {
  const dir = join(docsDir, SCHEMAS_DIR);
  if (!existsSync(dir)) return {};
  return Object.fromEntries(
    readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => [f.slice(0, -'.json'.length), JSON.parse(readFileSync(join(dir, f), 'utf8')) as JsonSchema]),
  );
}

function writeDocs(docsDir: string, files: Record<string, string>): void {
  const schemasDir = join(docsDir, SCHEMAS_DIR);
  mkdirSync(schemasDir, { recursive: true });
  // A schema whose type left the registry must not linger as if it were still a contract.
  for (const old of readdirSync(schemasDir)) if (files[`${SCHEMAS_DIR}/${old}`] === undefined) rmSync(join(schemasDir, old));
  for (const [path, text] of Object.entries(files)) writeFileSync(join(docsDir, path), text);
}

// The parser's diagnostics come typed by its own copy of @stoplight/types, hence the numeric comparison.
const ERROR_SEVERITY: number = DiagnosticSeverity.Error;

/** Problems the AsyncAPI parser reports as errors (severity 0) for the document at `path`. */
export async function asyncApiErrors(path: string): Promise<string[]> {
  const parser = new Parser();
  const { document, diagnostics } = await fromFile(parser, path).parse();
  const errors = diagnostics.filter((d) => Number(d.severity) === ERROR_SEVERITY).map((d) => `${d.path.join('/') || '/'}: ${d.message}`);
  if (document === undefined && errors.length === 0) errors.push('the parser produced no document');
  return errors;
}

async function main(argv: string[]): Promise<number> {
  const [mode = 'write', ...flags] = argv;
  const docsDir = join(repoRoot(), 'docs');
  const files = await generateDocs();
  if (mode === 'write') {
    const fresh = Object.fromEntries(
      Object.entries(files)
        .filter(([path]) => path.startsWith(`${SCHEMAS_DIR}/`))
        .map(([path, text]) => [path.slice(SCHEMAS_DIR.length + 1, -'.json'.length), JSON.parse(text) as JsonSchema]),
    );
    const breaking = breakingChangesAcross(readSchemas(docsDir), fresh);
    if (breaking.length > 0 && !flags.includes('--accept-breaking')) {
      console.error('Refusing to overwrite the committed schemas: these changes break the contract within its version.');
      console.error('Publish a new version (a new .vN event type) instead, or pass --accept-breaking if nothing was released yet.');
      for (const change of breaking) console.error(`  ${change}`);
      return 1;
    }
    writeDocs(docsDir, files);
    console.log(`wrote ${Object.keys(files).length} files under ${relative(process.cwd(), docsDir) || '.'}`);
    return 0;
  }
  if (mode === 'check') {
    const temp = mkdtempSync(join(tmpdir(), 'liaison-docs-'));
    try {
      writeDocs(temp, files);
      const stale: string[] = [];
      for (const path of Object.keys(files).sort()) {
        const committed = join(docsDir, path);
        if (!existsSync(committed)) stale.push(`docs/${path} is missing`);
        else if (readFileSync(committed, 'utf8') !== readFileSync(join(temp, path), 'utf8')) stale.push(`docs/${path} is stale`);
      }
      for (const name of readdirSync(join(docsDir, SCHEMAS_DIR)).sort()) {
        if (files[`${SCHEMAS_DIR}/${name}`] === undefined) stale.push(`docs/${SCHEMAS_DIR}/${name} is not generated any more`);
      }
      const errors = await asyncApiErrors(join(docsDir, ASYNCAPI_FILE));
      for (const line of stale) console.error(line);
      for (const line of errors) console.error(`docs/${ASYNCAPI_FILE}: ${line}`);
      if (stale.length > 0) console.error('Run `npm run docs` and commit the result.');
      if (stale.length > 0 || errors.length > 0) return 1;
      console.log(`contract docs up to date: ${Object.keys(files).length} files; docs/${ASYNCAPI_FILE} parses without errors`);
      return 0;
    } finally {
      rmSync(temp, { recursive: true, force: true });
    }
  }
  console.error(`unknown mode ${mode}: use write or check`);
  return 2;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? (error.stack ?? error.message) : error);
      process.exit(1);
    },
  );
}
