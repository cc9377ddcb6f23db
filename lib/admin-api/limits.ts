/** Largest JSON body the admin API reads: a header value is far smaller. */
export const MAX_ADMIN_API_BODY_BYTES = 16 * 1024;
export const ADMIN_API_REQUESTS_PER_MINUTE = 120;
