import { ValidationPipe } from '@nestjs/common';
import { toProblems } from '@liaison/contracts';
import { ProblemError } from './problem';

/** class-validator for request bodies and queries: unknown fields refused, problems as JSON pointers. */
export function problemValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new ProblemError('validation-failed', 'see errors for each field', toProblems(errors, '')),
  });
}
