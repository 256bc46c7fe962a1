import { applyDecorators, type INestApplication } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiProperty,
  ApiPropertyOptional,
  ApiResponse,
  getSchemaPath,
  SwaggerModule,
  type OpenAPIObject,
} from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE } from './problem.filter';

export const OPENAPI_JSON_PATH = '/openapi.json';
export const OPENAPI_UI_PATH = '/docs';
/** Operation extension marking a route that needs no credential. */
export const PUBLIC_EXTENSION = 'x-liaison-public';

export class FieldProblemDoc {
  @ApiProperty({ description: 'JSON pointer to the field', example: '/email', maxLength: 512 })
  pointer!: string;

  @ApiProperty({ maxLength: 1000 })
  detail!: string;
}

/** RFC 9457 problem details, as every Liaison HTTP error is sent (`application/problem+json`). */
export class ProblemDoc {
  @ApiProperty({ example: 'urn:liaison:problem:not-found' })
  type!: string;

  @ApiProperty()
  title!: string;

  @ApiProperty({ example: 404 })
  status!: number;

  @ApiPropertyOptional()
  detail?: string;

  @ApiPropertyOptional()
  instance?: string;

  @ApiPropertyOptional({ type: [FieldProblemDoc] })
  errors?: FieldProblemDoc[];

  @ApiPropertyOptional({ description: 'set on 500s; quote it when reporting the error' })
  errorId?: string;
}

export type ProblemStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 503;

const MEANING: Record<ProblemStatus, string> = {
  400: 'invalid input; `errors` names each field',
  401: 'missing, invalid, expired or revoked credentials',
  403: 'the credentials do not allow this action (independent of which object was asked for)',
  404: 'no such object, or it belongs to another tenant',
  409: 'conflicts with the current state',
  413: 'the body is larger than the service accepts',
  415: 'the body is not of a media type this route accepts',
  422: 'well-formed but refused; `errors` names the member (e.g. a webhook target the SSRF guard refuses)',
  429: 'too many requests from this source address or with this credential in the current window; wait `Retry-After` seconds',
  503: 'temporarily unavailable; retry later',
};

const PROBLEM_CONTENT = { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: getSchemaPath(ProblemDoc) } } };
const RETRY_AFTER = {
  'Retry-After': { description: 'seconds until the current rate-limit window ends', schema: { type: 'integer', minimum: 1 } },
};

/** Documents the problem+json error responses a route can give. */
export function ApiProblems(...statuses: ProblemStatus[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(ProblemDoc, FieldProblemDoc),
    ...statuses.map((status) => ApiResponse({ status, description: MEANING[status], content: PROBLEM_CONTENT })),
  );
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/** A service's OpenAPI document from its controllers' decorators, with the problem schemas and `withStandardResponses`. */
export function buildServiceDocument(app: INestApplication, config: Omit<OpenAPIObject, 'paths'>): OpenAPIObject {
  return withStandardResponses(SwaggerModule.createDocument(app, config, { extraModels: [ProblemDoc, FieldProblemDoc] }));
}

/**
 * Adds what global machinery does to every operation, so the document stays true for routes whose
 * controllers do not say it: the rate limits (429 with Retry-After) on every route; bearer security
 * with 401 and 403 on every route but /health and the public ones; 404 where the path names an object.
 */
export function withStandardResponses(document: OpenAPIObject): OpenAPIObject {
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (op === undefined) continue;
      const problem = (status: ProblemStatus, headers?: typeof RETRY_AFTER) => {
        op.responses[String(status)] ??= { description: MEANING[status], content: PROBLEM_CONTENT, ...(headers ? { headers } : {}) };
      };
      problem(429, RETRY_AFTER);
      Object.assign(op.responses['429'] as object, { headers: RETRY_AFTER });
      if (path === '/health' || Reflect.get(op, PUBLIC_EXTENSION) === true) continue;
      op.security ??= [{ bearer: [] }];
      problem(401);
      problem(403);
      if (/\{\w+\}/.test(path)) problem(404);
    }
  }
  return document;
}

/**
 * Serves a document at /openapi.json and a human page at /docs. Both are registered on the HTTP
 * adapter directly, outside Nest's guards: the API's shape is public, its data is not. The page's
 * scripts and styles come from the swagger-ui-dist package on disk, so it works offline.
 */
export function serveOpenApi(app: INestApplication, title: string, build: (app: INestApplication) => OpenAPIObject): void {
  let document: OpenAPIObject | undefined;
  SwaggerModule.setup(OPENAPI_UI_PATH.slice(1), app, () => (document ??= build(app)), {
    jsonDocumentUrl: OPENAPI_JSON_PATH,
    raw: ['json'],
    customSiteTitle: title,
  });
}
