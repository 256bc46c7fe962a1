import { Controller, Get, Query } from '@nestjs/common';
import { ConfigTopicReader, type AppliedKey } from './config-topic-reader';

/**
 * `GET /config/status[?key=policy:<id>]`: whether the router has read its configuration and what
 * it holds for one object (its version and when it took effect) — ids and versions only, no content.
 */
@Controller('config/status')
export class ConfigStatusController {
  constructor(private readonly reader: ConfigTopicReader) {}

  @Get()
  get(@Query('key') key?: string): { caughtUp: boolean; objects: number; key?: AppliedKey | null } {
    return this.reader.status(typeof key === 'string' ? key : undefined);
  }
}
