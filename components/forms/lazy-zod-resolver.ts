'use client';

import type { FieldValues, Resolver } from 'react-hook-form';
import type { z } from 'zod';

/**
 * zodResolver(schema), with zod, the resolver and the schema fetched on the first validation (the first
 * submit) instead of with the page: a form that is on screen at load keeps zod out of the first load.
 */
export function lazyZodResolver<T extends FieldValues, O = T>(load: () => Promise<z.ZodType>): Resolver<T, unknown, O> {
  let ready: Promise<Resolver<T, unknown, O>> | null = null;
  return async (values, context, options) => {
    ready ??= Promise.all([import('@hookform/resolvers/zod'), load()]).then(([{ zodResolver }, schema]) => zodResolver(schema as never) as unknown as Resolver<T, unknown, O>);
    return (await ready)(values, context, options);
  };
}
