import type { Publisher } from '../auth/publisher';

/** Publish one event, as received over HTTP (untrusted), on behalf of `publisher`. */
export class PublishEventCommand {
  constructor(
    readonly publisher: Publisher,
    readonly body: unknown,
  ) {}
}
