import { toast } from '@/components/ui/toast';
import { signOutAction } from '@/lib/auth/account-actions';

/**
 * Ends this browser's session, then loads `to` (the sign-in page by default) as a full page load: the
 * client-side router cache, and with it every page seen while signed in, is dropped. False when the
 * server could not be reached (a toast says so; the page stays).
 */
export async function signOutAndLeave(to = '/sign-in'): Promise<boolean> {
  try {
    await signOutAction();
  } catch {
    toast.error("Signing out didn't work: check the connection and try again.");
    return false;
  }
  window.location.assign(to);
  return true;
}
