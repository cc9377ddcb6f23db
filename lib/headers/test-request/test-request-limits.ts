// The test request's limits, without zod: the panel renders them on first load; the schema enforces them.
import { HTTP_METHODS } from '@/core/http/fields';

export const TEST_REQUEST_METHODS = HTTP_METHODS;
export const MAX_TEST_BODY_CHARS = 64 * 1024;
/** The response body shown in the dashboard is cut here (after redaction); the UI says so. */
export const MAX_TEST_DISPLAY_BYTES = 64 * 1024;
/** Widget headers the panel may add to one test request. */
export const MAX_TEST_WIDGET_HEADERS = 20;
