'use client';

import { useEffect, useState, type ComponentType } from 'react';
import type { ExternalToast, ToasterProps } from 'sonner';

// sonner is fetched on the page's first pointer, key or focus (a toast only ever follows something the
// user did), or by the first toast at the latest: pages that are only looked at never download it.
type Sonner = typeof import('sonner');
let sonner: Promise<Sonner> | null = null;
let showToaster: ((module: Sonner) => void) | null = null;

function loadSonner(): Promise<Sonner> {
  if (!sonner) {
    sonner = import('sonner');
    sonner.then(
      (module) => showToaster?.(module),
      () => {
        sonner = null; // a failed download (offline): the next toast tries again
      },
    );
  }
  return sonner;
}

type Message = Parameters<Sonner['toast']['success']>[0];

function show(kind: 'success' | 'error' | 'info', message: Message, options?: ExternalToast): void {
  // sonner keeps a toast raised before its Toaster mounted and shows it once it has.
  loadSonner().then(
    (module) => module.toast[kind](message, options),
    () => undefined,
  );
}

export const toast = {
  success: (message: Message, options?: ExternalToast) => show('success', message, options),
  error: (message: Message, options?: ExternalToast) => show('error', message, options),
  info: (message: Message, options?: ExternalToast) => show('info', message, options),
};

const FIRST_USE = ['pointerdown', 'keydown', 'focusin'] as const;

/** The page's toast region (sonner's Toaster), mounted as soon as sonner is loaded. */
export function Toaster() {
  const [Region, setRegion] = useState<ComponentType<ToasterProps> | null>(null);
  useEffect(() => {
    showToaster = (module) => setRegion(() => module.Toaster);
    if (sonner) sonner.then((module) => showToaster?.(module), () => undefined);
    const start = () => void loadSonner();
    for (const type of FIRST_USE) window.addEventListener(type, start, { once: true, capture: true, passive: true });
    return () => {
      showToaster = null;
      for (const type of FIRST_USE) window.removeEventListener(type, start, { capture: true });
    };
  }, []);
  return Region ? <Region position="bottom-right" richColors closeButton duration={4000} /> : null;
}
