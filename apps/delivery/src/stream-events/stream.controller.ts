import { Controller, Get, Headers, Inject, Param, Query, Req, Res, type BeforeApplicationShutdown } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { AgencyCaller } from '@liaison/auth';
import { AgencyKeyRoute, ApiProblems, CurrentCaller, ProblemError } from '@liaison/http';
import { InboxRepository, LedgerRepository } from '@liaison/persistence';
import { RateLimit } from '@liaison/ratelimit';
import { authorizeConsumer } from '../auth/consumer-auth';
import { DeliveryConfig } from '../delivery.config';
import { InboxNotifications } from './inbox-notifications';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PAGE = 500;

/**
 * The live stream (Server-Sent Events) for dashboards: each copy is one event whose `id` is its
 * inbox seq and whose `data` is the CloudEvent. Reconnecting with `Last-Event-ID` resumes right
 * after the last event seen; without it, the stream starts with what arrives from now on.
 */
const EVENT_ID = { type: 'string', pattern: '^\\d{1,19}$', maxLength: 19 } as const;

@ApiTags('stream')
@ApiBearerAuth()
@Controller('v1/agencies/:agencyId/stream')
export class StreamController implements BeforeApplicationShutdown {
  private readonly open = new Set<Response>();

  constructor(
    private readonly inbox: InboxRepository,
    private readonly ledger: LedgerRepository,
    private readonly notifications: InboxNotifications,
    @Inject(DeliveryConfig) private readonly config: DeliveryConfig,
  ) {}

  /** Open streams would keep the HTTP server from closing; end them so clients reconnect elsewhere. */
  beforeApplicationShutdown(): void {
    for (const response of this.open) response.end();
  }

  @Get()
  @ApiOperation({
    summary: 'Live stream (Server-Sent Events) of the agency’s copies as they arrive',
    description: 'Each SSE event has `id` (its sequence; send it back as `Last-Event-ID` to resume) and `data` (the CloudEvent as JSON).',
  })
  @ApiParam({ name: 'agencyId', schema: { type: 'string', format: 'uuid', maxLength: 36 } })
  @ApiHeader({ name: 'Last-Event-ID', required: false, schema: EVENT_ID, description: 'resume right after this event' })
  @ApiQuery({ name: 'last_event_id', required: false, schema: EVENT_ID, description: 'the same, for clients that cannot set headers' })
  @ApiOkResponse({
    description: 'an endless `text/event-stream`; idle streams get a comment line every SSE_HEARTBEAT_MS',
    content: {
      'text/event-stream': {
        schema: {
          type: 'string',
          description: 'SSE frames: `id: <seq>` and `data: <CloudEvent JSON>` (schema CloudEvent), separated by blank lines',
        },
      },
    },
  })
  @ApiProblems(400)
  @AgencyKeyRoute()
  @RateLimit('stream')
  async stream(
    @Param('agencyId') agencyIdParam: string,
    @CurrentCaller() caller: AgencyCaller,
    @Headers('last-event-id') lastEventIdHeader: string | undefined,
    @Query('last_event_id') lastEventIdQuery: string | undefined,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    if (!UUID.test(agencyIdParam)) throw new ProblemError('not-found');
    authorizeConsumer(caller, agencyIdParam);
    const agencyId = agencyIdParam.toLowerCase();
    const resumeFrom = lastEventIdHeader ?? lastEventIdQuery;
    if (resumeFrom !== undefined && !/^\d{1,19}$/.test(resumeFrom)) {
      throw new ProblemError('validation-failed', 'see errors', [
        { pointer: '/Last-Event-ID', detail: 'Last-Event-ID must be an event id of this stream' },
      ]);
    }
    let after = resumeFrom ?? (await this.inbox.latestSeq(agencyId));

    response.status(200);
    response.setHeader('content-type', 'text/event-stream; charset=utf-8');
    response.setHeader('cache-control', 'no-store');
    response.setHeader('x-accel-buffering', 'no');
    response.flushHeaders();
    response.write(`retry: 2000\n\n`);
    this.open.add(response);

    let closed = false;
    let pumping: Promise<void> | undefined;
    let again = false;
    const write = async (chunk: string): Promise<void> => {
      if (!response.write(chunk)) await new Promise<void>((resolve) => response.once('drain', resolve));
    };
    const pump = async (): Promise<void> => {
      while (!closed) {
        const rows = await this.inbox.page({ recipientAgencyId: agencyId, afterSeq: after, limit: PAGE });
        for (const row of rows) {
          if (closed) return;
          await write(`id: ${row.seq}\ndata: ${JSON.stringify(row.event)}\n\n`);
          after = row.seq;
        }
        await this.ledger.recordDeliveries(
          rows.map((r) => ({
            ownerAgencyId: r.ownerAgencyId,
            eventId: r.eventId,
            recipientAgencyId: agencyId,
            channel: 'sse' as const,
            outcome: 'delivered' as const,
            detail: `inbox seq ${r.seq}`,
          })),
        );
        if (rows.length < PAGE) return;
      }
    };
    // One pump at a time per stream; a wake-up during a pump causes one more.
    const wake = (): void => {
      if (closed) return;
      if (pumping !== undefined) {
        again = true;
        return;
      }
      pumping = (async () => {
        do {
          again = false;
          await pump();
        } while (again && !closed);
      })()
        .catch(() => {
          // A failed read ends the stream; the client reconnects with Last-Event-ID and loses nothing.
          response.end();
        })
        .finally(() => {
          pumping = undefined;
        });
    };
    const unsubscribe = this.notifications.subscribe(agencyId, wake);
    const heartbeat = setInterval(() => {
      if (!closed) response.write(`: heartbeat\n\n`);
      wake();
    }, this.config.SSE_HEARTBEAT_MS);
    const finish = (): void => {
      closed = true;
      clearInterval(heartbeat);
      unsubscribe();
      this.open.delete(response);
    };
    request.on('close', finish);
    response.on('close', finish);
    wake();
  }
}
