import { Module } from '@nestjs/common';
import { AuditRecorder } from './audit-recorder';

/**
 * The audit trail's writer, for every feature module of the admin service: import this module and
 * inject AuditRecorder; `change` for a change and its row in one transaction, `record` for an
 * event that changes nothing.
 */
@Module({
  providers: [AuditRecorder],
  exports: [AuditRecorder],
})
export class AuditModule {}
