import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, getSchemaPath, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { ProblemDoc } from './api-problems';

export const OPENAPI_JSON_PATH = '/openapi.json';
export const OPENAPI_UI_PATH = '/docs';
/** Operation extension marking a route that needs no credential (see `PublicRoute`). */
export const PUBLIC_EXTENSION = 'x-liaison-public';

/** The admin API's OpenAPI 3 document, built from the controllers' and DTOs' decorators. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Liaison management API')
    .setDescription(
      'Agencies, keys, sharing agreements, operator accounts, sessions and the audit trail. Errors are RFC 9457 ' +
        'problem details (`application/problem+json`). Another tenant’s object is always 404, never 403.',
    )
    .setVersion('1')
    .addBearerAuth({
      type: 'http',
      scheme: 'bearer',
      description: 'the bootstrap operator token, a session token (`lss_…`) or an agency API key with the manage scope (`lsk_…`)',
    })
    .build();
  return withGuardResponses(SwaggerModule.createDocument(app, config));
}

/**
 * The auth guard is global, so every route but the public ones needs a bearer credential and can
 * answer 401 and 403. Stating that here keeps the document true for routes whose controllers forget.
 */
function withGuardResponses(document: OpenAPIObject): OpenAPIObject {
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      const op = item[method];
      if (op === undefined || path === '/health' || Reflect.get(op, PUBLIC_EXTENSION) === true) continue;
      op.security ??= [{ bearer: [] }];
      for (const [status, description] of [
        ['401', 'missing, invalid, expired or revoked credentials'],
        ['403', 'the credentials do not allow this action (independent of which object was asked for)'],
      ] as const) {
        op.responses[status] ??= {
          description,
          content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemDoc) } } },
        };
      }
    }
  }
  return document;
}

/**
 * Serves the document at a stable path and a human page at /docs. Both are registered on the HTTP
 * adapter directly, outside Nest's guards: the API's shape is public, its data is not. The page's
 * scripts and styles come from the swagger-ui-dist package on disk, so it works offline.
 */
export function serveOpenApi(app: INestApplication): void {
  let document: OpenAPIObject | undefined;
  SwaggerModule.setup(OPENAPI_UI_PATH.slice(1), app, () => (document ??= buildOpenApiDocument(app)), {
    jsonDocumentUrl: OPENAPI_JSON_PATH,
    raw: ['json'],
    customSiteTitle: 'Liaison management API',
  });
}
