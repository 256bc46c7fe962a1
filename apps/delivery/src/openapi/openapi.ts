import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject } from '@nestjs/swagger';
import { buildServiceDocument, cloudEventSchemas, serveOpenApi as serveDocument } from '@liaison/http';

/** The delivery API's OpenAPI 3.1 document (pull and live stream), with the contract schemas of the copies. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Liaison delivery API')
    .setDescription(
      'Read the copies your agency is entitled to: page through them (pull, TAXII 2.1 style) or follow them live ' +
        '(Server-Sent Events). Needs an agency API key with the consume scope; another agency’s path is 404. ' +
        'Every route is rate-limited per source address and per key (429 with `Retry-After`).',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'an agency API key (`lsk_…`) with the consume scope' })
    .build();
  const document = buildServiceDocument(app, config);
  document.openapi = '3.1.0';
  Object.assign((document.components ??= {}), { schemas: { ...document.components.schemas, ...cloudEventSchemas() } });
  return document;
}

export function serveOpenApi(app: INestApplication): void {
  serveDocument(app, 'Liaison delivery API', buildOpenApiDocument);
}
