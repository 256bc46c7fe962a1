import type { Publisher } from '../auth/publisher';

/** Publish events, as received over HTTP (untrusted), on behalf of `publisher`. */
export class PublishEventsCommand {
  constructor(
    readonly publisher: Publisher,
    readonly bodies: readonly unknown[],
  ) {}
}
