import { Body, Controller, Delete, HttpCode, Post } from '@nestjs/common';
import type { Request } from 'express';
import { ApiBearerAuth, ApiCreatedResponse, ApiExtension, ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { sha256 } from '@liaison/auth';
import { RateLimit } from '@liaison/ratelimit';
import { PublicRoute } from '../auth/principal';
import { CurrentAuditContext, type AuditContext } from '../audit/audit-context';
import { ApiProblems } from '@liaison/http';
import { PUBLIC_EXTENSION } from '@liaison/http';
import { SessionView, SignInDto } from './sign-in.dto';
import { SignInUseCase } from './sign-in.usecase';
import { SignOutUseCase } from './sign-out.usecase';

@ApiTags('sessions')
@Controller('v1/sessions')
export class SessionsController {
  constructor(
    private readonly signIn: SignInUseCase,
    private readonly signOut: SignOutUseCase,
  ) {}

  @Post()
  @PublicRoute()
  @RateLimit('sign-in', signInEmailKey)
  @ApiExtension(PUBLIC_EXTENSION, true)
  @ApiOperation({ summary: 'Sign in with email and password; returns a short-lived session bearer token' })
  @ApiCreatedResponse({ type: SessionView })
  @ApiProblems(400, 401)
  create(@Body() dto: SignInDto, @CurrentAuditContext() context: AuditContext): Promise<SessionView> {
    return this.signIn.execute(dto, context);
  }

  @Delete('current')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Sign out: revoke the session the request came with' })
  @ApiNoContentResponse()
  @ApiProblems(401, 403, 404)
  remove(@CurrentAuditContext() context: AuditContext): Promise<void> {
    return this.signOut.execute(context);
  }
}

/** Sign-ins are also limited per email address named (its digest: the counter table holds no addresses). */
function signInEmailKey(request: Request): string | undefined {
  const body: unknown = request.body;
  if (typeof body !== 'object' || body === null || !('email' in body) || typeof body.email !== 'string') return undefined;
  return `email:${sha256(body.email.slice(0, 254).trim().toLowerCase()).toString('hex')}`;
}
