import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';

export const OPENAPI_JSON_PATH = '/openapi.json';
export const OPENAPI_UI_PATH = '/docs';

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
  return SwaggerModule.createDocument(app, config);
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
