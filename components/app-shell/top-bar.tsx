import Link from 'next/link';
import { SignOutButton } from './sign-out-button';

export function TopBar({ user }: { user: { name: string; email: string } }) {
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex h-14 max-w-6xl items-center justify-between px-4 sm:px-6">
        <Link href="/copilots" className="flex items-center gap-2 font-semibold text-slate-900">
          <span className="grid h-7 w-7 place-items-center rounded-md bg-indigo-600 font-mono text-xs font-bold text-white" aria-hidden>
            {'{}'}
          </span>
          Copilot Headers
        </Link>
        <div className="flex items-center gap-3">
          <div className="hidden text-right sm:block">
            <p className="text-sm font-medium text-slate-900" data-testid="current-user">
              {user.name}
            </p>
            <p className="text-xs text-slate-500">{user.email}</p>
          </div>
          <SignOutButton />
        </div>
      </div>
    </header>
  );
}
