import { redirect } from 'next/navigation';
import { needsFirstAdmin } from '@/lib/auth/queries';
import { getSessionUser } from '@/lib/auth/session';

export default async function Home() {
  if (await needsFirstAdmin()) redirect('/setup');
  redirect((await getSessionUser()) ? '/copilots' : '/sign-in');
}
