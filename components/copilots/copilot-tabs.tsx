'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useEffect, useRef } from 'react';
import { cn } from '@/components/ui/cn';

const TABS = [
  { segment: '', label: 'General' },
  { segment: '/headers', label: 'Global variables/headers' },
  { segment: '/actions', label: 'Actions' },
  { segment: '/model', label: 'Model' },
  { segment: '/preview', label: 'Preview' },
  { segment: '/runtime', label: 'Runtime API' },
  { segment: '/members', label: 'Members' },
  { segment: '/audit', label: 'Audit' },
] as const;

/** Settings tabs as links, so each tab has its own URL and the back button works. */
export function CopilotTabs({ copilotId }: { copilotId: string }) {
  const pathname = usePathname();
  const base = `/copilots/${copilotId}`;
  const nav = useRef<HTMLElement>(null);
  // Scrolls only the tab strip (never the page) so the active tab is in view on a narrow screen.
  useEffect(() => {
    const strip = nav.current;
    const active = strip?.querySelector<HTMLElement>('[aria-current="page"]');
    if (!strip || !active) return;
    if (active.offsetLeft + active.offsetWidth > strip.scrollLeft + strip.clientWidth || active.offsetLeft < strip.scrollLeft) {
      strip.scrollLeft = active.offsetLeft - 16;
    }
  }, [pathname]);
  return (
    // On a phone the tabs scroll sideways inside their own strip (never the page), the active one scrolled into view.
    <nav ref={nav} aria-label="Copilot settings" className="-mx-4 overflow-x-auto border-b border-slate-200 px-4 [scrollbar-width:thin] sm:mx-0 sm:px-0">
      <ul className="-mb-px flex gap-6 whitespace-nowrap">
        {TABS.map((tab) => {
          const href = base + tab.segment;
          const active = pathname === href;
          return (
            <li key={tab.label}>
              <Link
                href={href}
                aria-current={active ? 'page' : undefined}
                className={cn(
                  'inline-block border-b-2 pb-3 pt-1 text-sm font-medium',
                  active ? 'border-indigo-600 text-indigo-700' : 'border-transparent text-slate-600 hover:border-slate-300 hover:text-slate-900',
                )}
              >
                {tab.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
