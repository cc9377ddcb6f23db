import Link from 'next/link';
import { NavLinks } from './nav-links';
import { SignOutButton } from './sign-out-button';

export function TopBar({ user }: { user: { name: string; email: string; instanceAdmin: boolean } }) {
  const links = [
    { href: '/copilots', label: 'Copilots' },
    ...(user.instanceAdmin
      ? [
          { href: '/admin/users', label: 'Users' },
          { href: '/admin/settings', label: 'Instance settings' },
        ]
      : []),
  ];
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-x-6 gap-y-2 px-4 py-2 sm:px-6">
        <div className="flex min-h-10 flex-wrap items-center gap-x-6 gap-y-1">
          <Link href="/copilots" className="flex items-center gap-2 font-semibold text-slate-900">
            <span className="grid h-7 w-7 place-items-center rounded-md bg-indigo-600 font-mono text-xs font-bold text-white" aria-hidden>
              {'{}'}
            </span>
            Copilot Headers
          </Link>
          <NavLinks links={links} />
        </div>
        <div className="flex items-center gap-2">
          <Link href="/account" className="rounded-md px-2 py-1 text-right hover:bg-slate-100">
            {/* The visible words are the accessible name too (WCAG 2.5.3), with "Account:" for screen readers. */}
            <span className="sr-only">Account: </span>
            <span className="block text-sm font-medium text-slate-900" data-testid="current-user">
              {user.name}
            </span>
            <span className="hidden text-xs text-slate-500 sm:block">{user.email}</span>
          </Link>
          <SignOutButton />
        </div>
      </div>
    </header>
  );
}
