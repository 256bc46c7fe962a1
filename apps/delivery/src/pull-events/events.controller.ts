import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { AgencyCaller } from '@liaison/auth';
import { EVENT_TYPES } from '@liaison/contracts';
import { AgencyKeyRoute, CurrentCaller, ProblemError } from '@liaison/http';
import { RateLimit } from '@liaison/ratelimit';
import { authorizeConsumer } from '../auth/consumer-auth';
import { decodeCursor } from './cursor';
import { PullEventsUseCase } from './pull-events.usecase';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1_000;

/**
 * The pull API, in the manner of a TAXII 2.1 collection's objects endpoint: the agency's entitled
 * copies, oldest first, `limit` at a time, continued with the opaque `next` cursor.
 */
@Controller('v1/agencies/:agencyId/events')
export class EventsController {
  constructor(private readonly pullEvents: PullEventsUseCase) {}

  @Get()
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
    const afterSeq = cursor === undefined ? '0' : decodeCursor(this.pullEvents.key, cursor);
    if (afterSeq === undefined) problems.push({ pointer: '/cursor', detail: 'cursor is not one this service issued' });
    const limitText = one('limit');
    const limit = limitText === undefined ? DEFAULT_LIMIT : Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT)
      problems.push({ pointer: '/limit', detail: `limit must be an integer from 1 to ${MAX_LIMIT}` });
    const addedAfterText = one('added_after');
    const addedAfter = addedAfterText === undefined ? undefined : new Date(addedAfterText);
    if (addedAfter !== undefined && Number.isNaN(addedAfter.getTime()))
      problems.push({ pointer: '/added_after', detail: 'added_after must be an RFC 3339 time stamp' });
    const rawTypes = query['type'];
    const types = (Array.isArray(rawTypes) ? rawTypes : rawTypes === undefined ? [] : [rawTypes]).flatMap((t) => String(t).split(','));
    for (const t of types)
      if (!(t in EVENT_TYPES)) problems.push({ pointer: '/type', detail: `${t} is not a registered Liaison event type` });
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
