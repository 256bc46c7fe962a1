import { Controller, Get } from '@nestjs/common';

/** Liveness for orchestrators and the stack launcher. */
@Controller('health')
export class HealthController {
  @Get()
  health(): { status: 'ok' } {
    return { status: 'ok' };
  }
}
