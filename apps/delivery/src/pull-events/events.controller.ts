import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { AgencyCaller } from '@liaison/auth';
import { EVENT_TYPES, isExistingTimestamp } from '@liaison/contracts';
import { AgencyKeyRoute, ApiProblems, CurrentCaller, ProblemError } from '@liaison/http';
import { RateLimit } from '@liaison/ratelimit';
import { authorizeConsumer } from '../auth/consumer-auth';
import { decodeCursor } from './cursor';
import { PullEventsUseCase } from './pull-events.usecase';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1_000;
const MAX_CURSOR = 512;
const MAX_TIMESTAMP = 40;
const MAX_TYPES = Object.keys(EVENT_TYPES).length;

/**
 * The pull API, in the manner of a TAXII 2.1 collection's objects endpoint: the agency's entitled
 * copies, oldest first, `limit` at a time, continued with the opaque `next` cursor.
 */
@ApiTags('pull')
@ApiBearerAuth()
@Controller('v1/agencies/:agencyId/events')
export class EventsController {
  constructor(private readonly pullEvents: PullEventsUseCase) {}

  @Get()
  @ApiOperation({ summary: 'A page of the agency’s entitled copies, oldest first; continue with `next` while `more` is true' })
  @ApiParam({ name: 'agencyId', schema: { type: 'string', format: 'uuid', maxLength: 36 } })
  @ApiQuery({
    name: 'cursor',
    required: false,
    schema: { type: 'string', maxLength: MAX_CURSOR },
    description: 'the `next` of the previous page',
  })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT } })
  @ApiQuery({
    name: 'added_after',
    required: false,
    schema: { type: 'string', format: 'date-time', maxLength: MAX_TIMESTAMP },
    description: 'only copies received after this time',
  })
  @ApiQuery({
    name: 'type',
    required: false,
    style: 'form',
    explode: true,
    schema: { type: 'array', maxItems: MAX_TYPES, items: { type: 'string', enum: Object.keys(EVENT_TYPES) } },
    description: 'only these event types (repeat the parameter, or separate with commas)',
  })
  @ApiOkResponse({
    description: 'a page; `X-TAXII-Date-Added-First`/`-Last` give the receipt times of its first and last copy',
    headers: {
      'X-TAXII-Date-Added-First': { schema: { type: 'string', format: 'date-time' } },
      'X-TAXII-Date-Added-Last': { schema: { type: 'string', format: 'date-time' } },
    },
    schema: {
      type: 'object',
      required: ['more', 'next', 'objects'],
      properties: {
        more: { type: 'boolean', description: 'whether more copies are waiting' },
        next: { type: 'string', maxLength: MAX_CURSOR, description: 'cursor for the next page' },
        objects: { type: 'array', maxItems: MAX_LIMIT, items: { $ref: '#/components/schemas/CloudEvent' } },
      },
    },
  })
  @ApiProblems(400)
  @AgencyKeyRoute()
  @RateLimit('pull')
  async pull(
    @Param('agencyId') agencyId: string,
    @CurrentCaller() caller: AgencyCaller,
    @Query() query: Record<string, unknown>,
    @Res() response: Response,
  ): Promise<void> {
    if (!UUID.test(agencyId)) throw new ProblemError('not-found');
    authorizeConsumer(caller, agencyId);
    const problems: { pointer: string; detail: string }[] = [];
    const one = (name: string): string | undefined => {
      const value = query[name];
      if (value === undefined) return undefined;
      if (typeof value !== 'string') {
        problems.push({ pointer: `/${name}`, detail: `${name} must be given once` });
        return undefined;
      }
      return value;
    };
    const cursor = one('cursor');
    const afterSeq = cursor === undefined ? '0' : cursor.length > MAX_CURSOR ? undefined : decodeCursor(this.pullEvents.key, cursor);
    if (afterSeq === undefined) problems.push({ pointer: '/cursor', detail: 'cursor is not one this service issued' });
    const limitText = one('limit');
    const limit = limitText === undefined ? DEFAULT_LIMIT : Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT)
      problems.push({ pointer: '/limit', detail: `limit must be an integer from 1 to ${MAX_LIMIT}` });
    const addedAfterText = one('added_after');
    const addedAfter = addedAfterText === undefined ? undefined : new Date(addedAfterText);
    if (addedAfterText !== undefined && (addedAfterText.length > MAX_TIMESTAMP || !isExistingTimestamp(addedAfterText)))
      problems.push({
        pointer: '/added_after',
        detail: 'added_after must be an RFC 3339 time stamp with a zone, of a day and time that exist',
      });
    const rawTypes = query['type'];
    const types = (Array.isArray(rawTypes) ? rawTypes : rawTypes === undefined ? [] : [rawTypes]).flatMap((t) => String(t).split(','));
    if (types.length > MAX_TYPES) problems.push({ pointer: '/type', detail: `at most ${MAX_TYPES} types` });
    else
      for (const t of types)
        if (!Object.prototype.hasOwnProperty.call(EVENT_TYPES, t))
          problems.push({ pointer: '/type', detail: `${t.slice(0, 100)} is not a registered Liaison event type` });
    for (const name of Object.keys(query)) {
      if (!['cursor', 'limit', 'added_after', 'type'].includes(name))
        problems.push({ pointer: `/${name}`, detail: `unknown parameter ${name}` });
    }
    if (problems.length > 0 || afterSeq === undefined)
      throw new ProblemError('validation-failed', 'see errors for each parameter', problems);
    const page = await this.pullEvents.execute({ agencyId: agencyId.toLowerCase(), afterSeq, limit, types, addedAfter });
    if (page.firstAddedAt !== undefined) response.setHeader('X-TAXII-Date-Added-First', page.firstAddedAt.toISOString());
    if (page.lastAddedAt !== undefined) response.setHeader('X-TAXII-Date-Added-Last', page.lastAddedAt.toISOString());
    response.status(200).json({ more: page.more, next: page.next, objects: page.objects });
  }
}
