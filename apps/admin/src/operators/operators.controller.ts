import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ProblemError } from '@liaison/http';
import { OperatorAccountRepository } from '@liaison/persistence';
import { CurrentAuditContext, type AuditContext } from '../audit/audit-context';
import { CurrentPrincipal, type Principal } from '../auth/principal';
import { UuidParamPipe } from '../auth/uuid-param.pipe';
import { ApiProblems } from '@liaison/http';
import { CreateOperatorDto, ListOperatorsQuery } from './create-operator.dto';
import { CreateOperatorUseCase } from './create-operator.usecase';
import { canSeeAccount, DisableOperatorUseCase } from './disable-operator.usecase';
import { OperatorPage, operatorView, OperatorView } from './operator.view';

/** People who run Liaison. An agency's administrators see and manage only their own agency's. */
@ApiTags('operators')
@ApiBearerAuth()
@Controller('v1/operators')
export class OperatorsController {
  constructor(
    private readonly createOperator: CreateOperatorUseCase,
    private readonly disableOperator: DisableOperatorUseCase,
    private readonly accounts: OperatorAccountRepository,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Create an operator account (agency administrators: for their own agency only)' })
  @ApiCreatedResponse({ type: OperatorView })
  @ApiProblems(400, 401, 403, 409)
  create(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: CreateOperatorDto,
    @CurrentAuditContext() context: AuditContext,
  ): Promise<OperatorView> {
    return this.createOperator.execute(principal, dto, context);
  }

  @Get()
  @ApiOperation({ summary: 'List operator accounts, keyset-paginated by id' })
  @ApiOkResponse({ type: OperatorPage })
  @ApiProblems(400, 401, 403)
  async list(@CurrentPrincipal() principal: Principal, @Query() query: ListOperatorsQuery): Promise<OperatorPage> {
    const limit = Number(query.limit);
    const agencyId = principal.kind === 'agency' ? principal.agencyId : undefined;
    const rows = await this.accounts.list({ agencyId }, limit + 1, query.after?.toLowerCase());
    const items = rows.slice(0, limit).map(operatorView);
    return { items, next: rows.length > limit ? (items[items.length - 1]?.id ?? null) : null };
  }

  @Get(':accountId')
  @ApiOperation({ summary: 'One operator account' })
  @ApiOkResponse({ type: OperatorView })
  @ApiProblems(401, 403, 404)
  async get(@CurrentPrincipal() principal: Principal, @Param('accountId', UuidParamPipe) accountId: string): Promise<OperatorView> {
    const account = await this.accounts.findById(accountId);
    if (account === null || !canSeeAccount(principal, account)) throw new ProblemError('not-found');
    return operatorView(account);
  }

  @Post(':accountId/disable')
  @HttpCode(200)
  @ApiOperation({ summary: 'Disable an account and revoke its sessions' })
  @ApiOkResponse({ type: OperatorView })
  @ApiProblems(401, 403, 404)
  disable(
    @CurrentPrincipal() principal: Principal,
    @Param('accountId', UuidParamPipe) accountId: string,
    @CurrentAuditContext() context: AuditContext,
  ): Promise<OperatorView> {
    return this.disableOperator.execute(principal, accountId, context);
  }
}
