import { Foundation1764050000000 } from './1764050000000-foundation';
import { DeliveryChannels1764120000000 } from './1764120000000-delivery-channels';

/** Every migration, in order. Listed explicitly so compiled and source trees behave the same. */
export const MIGRATIONS = [Foundation1764050000000, DeliveryChannels1764120000000];
