// class-transformer ships the metadata storage that @Type() writes to, but types it only under types/.
declare module 'class-transformer/cjs/storage' {
  export { defaultMetadataStorage } from 'class-transformer/types/storage';
}
