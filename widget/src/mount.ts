// initOpenScript(): the floating widget on any page, attached to an element of its own at the end of <body>.
import { createController } from './controller';
import type { WidgetHandle, WidgetOptions } from './types';

/** The host element's tag: a custom-element name, so the page's `div`/`span` rules never match it. */
export const HOST_TAG = 'copilot-headers-widget';

export function mountFloating(options: WidgetOptions, defaultApiUrl: () => string): WidgetHandle {
  const controller = createController(options, defaultApiUrl);
  const host = document.createElement(HOST_TAG);
  const attach = () => {
    document.body.append(host);
    controller.attach(host, { ownsHost: true });
  };
  // A script in <head> may run before <body> exists.
  if (document.body) attach();
  else document.addEventListener('DOMContentLoaded', attach, { once: true });
  const { update, setHeaders, open, close, reset, destroy } = controller;
  return {
    update,
    setHeaders,
    open,
    close,
    reset,
    destroy() {
      document.removeEventListener('DOMContentLoaded', attach);
      destroy();
      host.remove();
    },
  };
}
