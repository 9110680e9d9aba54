import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'storesync:public';
/** Opens a route without the bearer token (health only). */
export const Public = () => SetMetadata(IS_PUBLIC, true);
