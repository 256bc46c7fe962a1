import type { INestApplication } from '@nestjs/common';
import express, { type NextFunction, type Request, type Response } from 'express';
import { problemDocument } from './problem';
import { sendProblem } from './problem.filter';

/** Media types parsed as JSON, and the largest body accepted for them. */
export interface JsonBodyRule {
  limit: string;
  types: string[];
}

/**
 * Installs JSON body parsers with size limits (one per rule) and turns their failures into problem
 * details: malformed JSON → 400, too large → 413. The app must be created with `bodyParser: false`.
 */
export function installJsonBody(app: INestApplication, rules: readonly JsonBodyRule[]): void {
  for (const rule of rules) app.use(express.json({ limit: rule.limit, type: rule.types, strict: true }));
  app.use((error: unknown, request: Request, response: Response, next: NextFunction) => {
    const type = typeof error === 'object' && error !== null && 'type' in error ? error.type : undefined;
    if (type === 'entity.parse.failed') {
      sendProblem(
        response,
        problemDocument('malformed-json', { instance: request.originalUrl, detail: 'the body could not be parsed as JSON' }),
      );
    } else if (type === 'entity.too.large') {
      sendProblem(
        response,
        problemDocument('payload-too-large', { instance: request.originalUrl, detail: `the body exceeds ${limitFor(request, rules)}` }),
      );
    } else if (type === 'encoding.unsupported' || type === 'charset.unsupported') {
      sendProblem(
        response,
        problemDocument('unsupported-media-type', { instance: request.originalUrl, detail: 'only UTF-8 JSON is accepted' }),
      );
    } else if (type === 'request.aborted') {
      // The client went away mid-upload: nobody is left to answer, and it is not a server error.
      request.socket.destroy();
    } else {
      next(error);
    }
  });
}

/** True when the request's Content-Type is one of `types` (parameters such as charset ignored). */
export function hasContentType(request: Request, types: readonly string[]): boolean {
  const value = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return types.includes(value);
}

function limitFor(request: Request, rules: readonly JsonBodyRule[]): string {
  return rules.find((rule) => hasContentType(request, rule.types))?.limit ?? 'the limit';
}
