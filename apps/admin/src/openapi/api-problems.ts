import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiPropertyOptional, ApiResponse, getSchemaPath } from '@nestjs/swagger';

export class FieldProblemDoc {
  @ApiProperty({ description: 'JSON pointer to the field', example: '/email' })
  pointer!: string;

  @ApiProperty()
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

const MEANING: Record<number, string> = {
  400: 'invalid input; `errors` names each field',
  401: 'missing, invalid, expired or revoked credentials',
  403: 'the credentials do not allow this action (independent of which object was asked for)',
  404: 'no such object, or it belongs to another tenant',
  409: 'conflicts with the current state',
};

/** Documents the problem+json error responses a route can give. */
export function ApiProblems(...statuses: (400 | 401 | 403 | 404 | 409)[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(ProblemDoc, FieldProblemDoc),
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: MEANING[status],
        content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemDoc) } } },
      }),
    ),
  );
}
