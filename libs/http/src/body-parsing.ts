import { Logger, type INestApplication } from '@nestjs/common';
import express, { type NextFunction, type Request, type Response } from 'express';
import { isUtf8 } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import { jsonInputProblems } from '@liaison/contracts';
import { problemDocument, type ProblemCode } from './problem';
import { codeForStatus, sendProblem } from './problem.filter';

/** Media types parsed as JSON, and the largest body accepted for them. */
export interface JsonBodyRule {
  limit: string;
  types: string[];
  /**
   * The handler screens each element of the body itself with the same rule (a batch of events, each
   * accepted or refused on its own); the body as a whole is only checked for its nesting depth.
   */
  elementsScreenedByHandler?: boolean;
}

/** Content-Encodings a body may arrive in; the size limit applies to the decoded body. */
export const CONTENT_ENCODINGS: readonly string[] = ['identity', 'gzip', 'deflate', 'br'];

const logger = new Logger('BodyParsing');
const INVALID_UTF8 = 'encoding.invalid';

/**
 * Refuses a (decoded) body that is not UTF-8: the decoder would otherwise put U+FFFD in place of
 * each bad byte and the request would go on with text its sender never wrote.
 */
function requireUtf8(_request: Request, _response: Response, body: Buffer): void {
  if (!isUtf8(body)) throw Object.assign(new Error('the body is not valid UTF-8'), { status: 400, type: INVALID_UTF8 });
}

/**
 * Installs JSON body parsing for every request of the app, in this order:
 * 1. a path segment that decodes to control characters or unpaired surrogates → 404; a body in a
 *    media type no rule names, or in an unsupported Content-Encoding → 415;
 * 2. JSON parsing with each rule's size limit (on the decoded body), of UTF-8 only;
 * 3. the body and the query screened by `jsonInputProblems` (libs/contracts: control characters,
 *    unpaired surrogates, nesting depth, inexact numbers, Object.prototype names) → 400 naming each member;
 * 4. every parsing failure as a problem document: malformed JSON, invalid UTF-8 or an undecodable Content-Encoding
 *    → 400, too large → 413; anything unforeseen → 500 with a logged error id.
 * The app must be created with `bodyParser: false`.
 */
export function installJsonBody(app: INestApplication, rules: readonly JsonBodyRule[]): void {
  const types = rules.flatMap((rule) => rule.types);
  app.use((request: Request, response: Response, next: NextFunction) => {
    // A path segment holding what no member may hold (e.g. %00) names no resource, and must reach no query.
    if (!pathIsScreenable(request.path)) return refuse(response, request, 'not-found', undefined);
    if (!hasBody(request)) return next();
    const encoding = (request.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
    if (!CONTENT_ENCODINGS.includes(encoding)) {
      return refuse(response, request, 'unsupported-media-type', `Content-Encoding must be one of ${CONTENT_ENCODINGS.join(', ')}`);
    }
    if (!hasContentType(request, types)) {
      return refuse(response, request, 'unsupported-media-type', `a request body must be one of ${types.join(', ')}`);
    }
    next();
  });
  for (const rule of rules) app.use(express.json({ limit: rule.limit, type: rule.types, strict: true, verify: requireUtf8 }));
  app.use((request: Request, response: Response, next: NextFunction) => {
    const rule = rules.find((r) => hasContentType(request, r.types));
    const problems = [
      ...(hasBody(request) && rule !== undefined
        ? jsonInputProblems(request.body, { depthOnly: rule.elementsScreenedByHandler === true })
        : []),
      ...jsonInputProblems(request.query),
    ];
    if (problems.length === 0) return next();
    sendProblem(
      response,
      problemDocument('validation-failed', {
        instance: request.originalUrl,
        detail: 'the request holds values Liaison does not accept in any member (see errors)',
        errors: problems,
      }),
    );
  });
  app.use((error: unknown, request: Request, response: Response, next: NextFunction) => {
    if (response.headersSent) return next(error);
    const type = memberOf(error, 'type');
    const status = memberOf(error, 'status');
    if (type === 'entity.parse.failed') {
      refuse(response, request, 'malformed-json', 'the body could not be parsed as JSON');
    } else if (type === INVALID_UTF8) {
      refuse(response, request, 'malformed-json', 'the body is not valid UTF-8');
    } else if (type === 'entity.too.large') {
      refuse(response, request, 'payload-too-large', `the body exceeds ${limitFor(request, rules)}`);
    } else if (type === 'encoding.unsupported' || type === 'charset.unsupported') {
      refuse(response, request, 'unsupported-media-type', 'only UTF-8 JSON is accepted');
    } else if (typeof status === 'number' && status >= 400 && status < 500) {
      // A body that does not decode as its Content-Encoding says, or one cut short by its sender.
      refuse(
        response,
        request,
        codeForStatus(status) ?? 'validation-failed',
        status === 400 ? 'the body could not be read or decoded as its Content-Encoding says' : undefined,
      );
    } else if (type === 'request.aborted') {
      // The client went away mid-upload: nobody is left to answer, and it is not a server error.
      request.socket.destroy();
    } else {
      const errorId = randomUUID();
      logger.error(`error ${errorId} reading the body of ${request.method} ${request.originalUrl}: ${String(error)}`);
      sendProblem(response, problemDocument('internal', { instance: request.originalUrl, errorId }));
    }
  });
}

/** True when the request's Content-Type is one of `types` (parameters such as charset ignored). */
export function hasContentType(request: Request, types: readonly string[]): boolean {
  const value = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return types.includes(value);
}

/** True when every segment of the path decodes, and to text that `jsonInputProblems` accepts. */
function pathIsScreenable(path: string): boolean {
  try {
    return jsonInputProblems(path.split('/').map((segment) => decodeURIComponent(segment))).length === 0;
  } catch {
    return false;
  }
}

/** True when the request carries a body (RFC 9112 §6.3: a Transfer-Encoding or a non-zero Content-Length). */
function hasBody(request: Request): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

function refuse(response: Response, request: Request, code: ProblemCode, detail: string | undefined): void {
  sendProblem(response, problemDocument(code, { instance: request.originalUrl, detail }));
}

function memberOf(error: unknown, name: string): unknown {
  return typeof error === 'object' && error !== null && name in error ? (error as Record<string, unknown>)[name] : undefined;
}

function limitFor(request: Request, rules: readonly JsonBodyRule[]): string {
  return rules.find((rule) => hasContentType(request, rule.types))?.limit ?? 'the limit';
}
