import Link from 'next/link';
import { cn } from '@/components/ui/cn';
import { ENVIRONMENT_PARAM } from '@/lib/environments/schema';

type SwitcherEnvironment = { id: string; name: string; slug: string; isProduction: boolean };

/** Where a page shows one environment: Production is the page itself, the others carry `?env=<slug>` (shareable). */
export function environmentHref(basePath: string, environment: SwitcherEnvironment): string {
  return environment.isProduction ? basePath : `${basePath}?${ENVIRONMENT_PARAM}=${encodeURIComponent(environment.slug)}`;
}

/**
 * The environment a copilot page shows, as links (no script needed): the URL carries the choice, so a link
 * to Staging's headers opens Staging's headers. Hidden while Production is the only environment.
 */
export function EnvironmentSwitcher({
  environments,
  current,
  basePath,
  compareHref,
}: {
  environments: readonly SwitcherEnvironment[];
  current: SwitcherEnvironment;
  basePath: string;
  /** Where "Compare" leads (the Headers tab's compare page), when the page offers it. */
  compareHref?: string;
}) {
  if (environments.length < 2) return null;
  return (
    <nav aria-label="Environment" className="flex flex-wrap items-center gap-2 text-sm" data-testid="environment-switcher">
      <span className="text-slate-600">Environment</span>
      {environments.map((environment) => {
        const active = environment.id === current.id;
        return (
          <Link
            key={environment.id}
            href={environmentHref(basePath, environment)}
            aria-current={active ? 'page' : undefined}
            className={cn(
              'max-w-[14rem] truncate rounded-full border px-3 py-1 font-medium transition-colors focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600',
              active ? 'border-indigo-600 bg-indigo-600 text-white' : 'border-slate-300 bg-white text-slate-700 hover:bg-slate-50',
            )}
          >
            {environment.name}
          </Link>
        );
      })}
      {compareHref ? (
        <Link href={compareHref} className="ml-1 text-sm font-medium text-indigo-700 underline underline-offset-2 hover:text-indigo-900">
          Compare environments
        </Link>
      ) : null}
    </nav>
  );
}
