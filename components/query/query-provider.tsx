'use client';

import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';

// One client for the whole browser tab, shared by every provider below (their caches are one), created
// the first time a part that fetches is shown. On the server, one per render: never shared between requests.
let browserClient: QueryClient | undefined;

function queryClient(): QueryClient {
  if (typeof window === 'undefined') return new QueryClient();
  return (browserClient ??= new QueryClient());
}

/**
 * React Query for the parts that fetch and refresh data (the audit explorer's live pages, a header's
 * history): wrapped around them only, so pages that just show server-rendered data and submit forms
 * don't download it.
 */
export function QueryProvider({ children }: { children: ReactNode }) {
  const [client] = useState(queryClient);
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}
