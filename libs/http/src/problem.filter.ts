import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { isTransientFailure } from '@liaison/messaging';
import { AuthError } from '@liaison/auth';
import { authProblem } from './auth-problems';
import { problemDocument, ProblemError, type ProblemCode, type ProblemDocument } from './problem';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/**
 * Retry-After (seconds) on every 503: about how long a database or broker restart, or a leader
 * election, takes to pass; the services reconnect on their own meanwhile.
 */
export const RETRY_AFTER_SECONDS = 5;

/** Renders every error as RFC 9457 problem details; a 500 gets an error id that is also logged. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const problem = exception instanceof AuthError ? authProblem(exception) : exception;
    if (problem instanceof ProblemError && problem.retryAfterSeconds !== undefined) {
      response.setHeader('retry-after', String(problem.retryAfterSeconds));
    }
    sendProblem(response, this.toDocument(problem, request.originalUrl));
  }

  private toDocument(exception: unknown, instance: string): ProblemDocument {
    if (exception instanceof ProblemError) return exception.toDocument(instance);
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const code = codeForStatus(status) ?? (status >= 400 && status < 500 ? 'validation-failed' : undefined);
      if (code !== undefined) return problemDocument(code, { instance });
    }
    if (isTransientFailure(exception)) {
      // The database or Kafka is unreachable: nothing was done, and the same request will succeed
      // once it is back. Not a server error, and the client can act on it (ADR 0032).
      this.logger.warn(
        `unavailable on ${instance}: ${exception instanceof Error ? `${exception.name}: ${exception.message}` : String(exception)}`,
      );
      return problemDocument('unavailable', {
        instance,
        detail: 'a system Liaison depends on is unreachable; nothing was changed, retry later',
      });
    }
    const errorId = randomUUID();
    this.logger.error(`error ${errorId} on ${instance}: ${exception instanceof Error ? exception.stack : String(exception)}`);
    return problemDocument('internal', { instance, errorId });
  }
}

export function sendProblem(response: Response, doc: ProblemDocument): void {
  if (doc.status === 503) response.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
  response.status(doc.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(doc));
}

/** The problem code of an HTTP status other layers (Nest, body-parser) raise, if Liaison has one. */
export function codeForStatus(status: number): ProblemCode | undefined {
  switch (status) {
    case 400:
      return 'validation-failed';
    case 401:
      return 'unauthenticated';
    case 403:
      return 'forbidden';
    case 404:
      return 'not-found';
    case 405:
      return 'not-found';
    case 409:
      return 'conflict';
    case 413:
      return 'payload-too-large';
    case 415:
      return 'unsupported-media-type';
    case 422:
      return 'unprocessable';
    case 429:
      return 'rate-limited';
    case 503:
      return 'unavailable';
    default:
      return undefined;
  }
}
