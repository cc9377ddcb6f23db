'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
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
  return (
    <nav aria-label="Copilot settings" className="border-b border-slate-200">
      <ul className="-mb-px flex flex-wrap gap-x-6 gap-y-1">
        {TABS.map((tab) => {
          const href = base + tab.segment;
          const active = pathname === href;
          return (
            <li key={tab.label}>
              <Link
                href={href}
                aria-current={active ? 'page' : undefined}
                className={cn(
                  'inline-block border-b-2 pb-3 text-sm font-medium',
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
