// widget.js (IIFE): defines window.initOpenScript. The chat endpoint lives on the app that served
// this file, so its origin (from our own <script src>) is the default apiUrl. A script tag with
// data-token="…" mounts the widget with no code (no per-user headers in that form).
import { mountFloating } from './mount';
import type { WidgetHandle, WidgetOptions } from './types';

declare global {
  interface Window {
    initOpenScript?: (options: WidgetOptions) => WidgetHandle;
  }
}

const script = document.currentScript instanceof HTMLScriptElement ? document.currentScript : null;
const servedFrom = script?.src ? new URL(script.src, window.location.href).origin : window.location.origin;

window.initOpenScript = (options) => mountFloating(options, () => servedFrom);

const data = script?.dataset;
if (data?.token) {
  window.initOpenScript({
    token: data.token,
    title: data.title,
    greeting: data.greeting,
    placeholder: data.placeholder,
    theme: { accent: data.accent, position: data.position === 'bottom-left' ? 'bottom-left' : 'bottom-right' },
    open: data.open === 'true',
  });
}
