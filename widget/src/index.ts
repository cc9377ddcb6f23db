// The script API as an ES module, for pages that bundle the widget instead of loading widget.js.
// Bundled, the widget can't see where it was served from: `apiUrl` defaults to the page's own origin.
import { mountFloating } from './mount';
import type { WidgetHandle, WidgetOptions } from './types';

export type { WidgetHandle, WidgetHeaders, WidgetHeadersOption, WidgetOptions, WidgetTheme, WidgetUser } from './types';

export function initOpenScript(options: WidgetOptions): WidgetHandle {
  return mountFloating(options, () => window.location.origin);
}
