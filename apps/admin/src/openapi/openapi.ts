import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject } from '@nestjs/swagger';
import { buildServiceDocument, cloudEventSchemas, serveOpenApi as serveDocument } from '@liaison/http';

/** The admin API's OpenAPI 3 document, built from the controllers' and DTOs' decorators. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Liaison management API')
    .setDescription(
      'Agencies, keys, sharing agreements, operator accounts, sessions and the audit trail. Errors are RFC 9457 ' +
        'problem details (`application/problem+json`). Another tenant’s object is always 404, never 403. Every route ' +
        'is rate-limited per source address and per credential (429 with `Retry-After`).',
    )
    .setVersion('1')
    .addBearerAuth({
      type: 'http',
      scheme: 'bearer',
      description: 'the bootstrap operator token, a session token (`lss_…`) or an agency API key with the manage scope (`lsk_…`)',
    })
    .build();
  const document = withUuidPathIds(buildServiceDocument(app, config));
  // Explain takes a CloudEvent as the gateway would: the same contract schemas (JSON Schema, so 3.1).
  document.openapi = '3.1.0';
  Object.assign((document.components ??= {}), { schemas: { ...document.components.schemas, ...cloudEventSchemas() } });
  return document;
}

/**
 * Every admin path id goes through UuidParamPipe (a non-UUID names nothing: 404), so a path
 * parameter the controller did not describe itself is a UUID.
 */
function withUuidPathIds(document: OpenAPIObject): OpenAPIObject {
  for (const item of Object.values(document.paths)) {
    for (const op of [item.get, item.put, item.post, item.delete, item.patch]) {
      for (const param of op?.parameters ?? []) {
        if (!('in' in param) || param.in !== 'path') continue;
        const schema = (param.schema ?? {}) as { maxLength?: number };
        if (schema.maxLength === undefined) param.schema = { type: 'string', format: 'uuid', maxLength: 36 };
      }
    }
  }
  return document;
}

/** Serves the admin document at /openapi.json and a human page at /docs. */
export function serveOpenApi(app: INestApplication): void {
  serveDocument(app, 'Liaison management API', buildOpenApiDocument);
}
