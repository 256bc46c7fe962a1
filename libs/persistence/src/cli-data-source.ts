import { createDataSource } from './data-source';
import { databaseNameOf, ownerRoleName } from './database-roles';

const url = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/liaison';

/**
 * For the TypeORM CLI: `typeorm -d dist/libs/persistence/src/cli-data-source.js migration:show`. It
 * acts as the database's owner, like `migrate()`; provisioning (roles, database) is `npm run migrate`'s.
 */
export default createDataSource(url, 'liaison-cli', { role: ownerRoleName(databaseNameOf(url)) });
