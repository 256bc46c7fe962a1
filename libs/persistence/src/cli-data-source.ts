import { createDataSource } from './data-source';

/** For the TypeORM CLI: `typeorm -d dist/libs/persistence/src/cli-data-source.js migration:show`. */
export default createDataSource(process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/liaison', 'liaison-cli');
