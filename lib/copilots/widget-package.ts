import 'server-only';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';

// What `npm run build` packed into public/widget (scripts/build-widget.mjs): the General tab shows the install
// command with this version and integrity, which npm records in the installing app's package-lock.json.
const manifestSchema = z.object({
  name: z.string(),
  version: z.string(),
  integrity: z.string().regex(/^sha512-[A-Za-z0-9+/]+=*$/),
  tarball: z.string().startsWith('/widget/'),
  versionedTarball: z.string().startsWith('/widget/'),
});

export type WidgetPackage = z.infer<typeof manifestSchema>;

export const WIDGET_PACKAGE_MANIFEST = path.join('public', 'widget', 'copilot-headers-widget.json');

/** The packed widget package, or null when this server has none (`npm run dev` builds widget.js only). */
export async function readWidgetPackage(root = process.cwd()): Promise<WidgetPackage | null> {
  let text: string;
  try {
    text = await readFile(path.join(root, WIDGET_PACKAGE_MANIFEST), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  return manifestSchema.parse(JSON.parse(text));
}
