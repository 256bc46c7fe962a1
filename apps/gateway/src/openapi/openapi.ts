import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject } from '@nestjs/swagger';
import type { RequestBodyObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { buildServiceDocument, cloudEventSchemas, serveOpenApi as serveDocument } from '@liaison/http';
import { GatewayConfig } from '../gateway.config';

/** The ingest API's OpenAPI 3.1 document: the controllers' decorators plus the contract schemas. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Liaison ingest API')
    .setDescription(
      'Publish CloudEvents 1.0 (structured or batch mode) with an agency API key that has the publish scope. ' +
        '202 means Kafka holds the event durably. Errors are RFC 9457 problem details. Every route is ' +
        'rate-limited per source address and per key (429 with `Retry-After`).',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'an agency API key (`lsk_…`) with the publish scope' })
    .build();
  const document = buildServiceDocument(app, config);
  // The contract schemas are JSON Schema (type lists, const): OpenAPI 3.1 takes them as they are.
  document.openapi = '3.1.0';
  Object.assign((document.components ??= {}), { schemas: { ...document.components.schemas, ...cloudEventSchemas() } });
  const publish = document.paths['/v1/events']?.post;
  if (publish !== undefined) publish.requestBody = publishBody(app.get(GatewayConfig).GATEWAY_MAX_BATCH_EVENTS);
  return document;
}

export function serveOpenApi(app: INestApplication): void {
  serveDocument(app, 'Liaison ingest API', buildOpenApiDocument);
}

/** The publish body per media type (the controller reads the raw body, so it is stated here). */
function publishBody(maxBatch: number): RequestBodyObject {
  const event = { $ref: '#/components/schemas/CloudEvent' };
  return {
    required: true,
    content: {
      'application/cloudevents+json': { schema: event },
      'application/json': { schema: event },
      'application/cloudevents-batch+json': { schema: { type: 'array', minItems: 1, maxItems: maxBatch, items: event } },
    },
  };
}
