'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { KeyRound } from 'lucide-react';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import type { z } from 'zod';
import { Card } from '@/components/app-shell/page-header';
import { useActionMutation } from '@/components/forms/use-action-mutation';
import { ConfirmDialog } from '@/components/ui/alert-dialog';
import { Button } from '@/components/ui/button';
import { CodeBlock } from '@/components/ui/code-block';
import { CopyButton } from '@/components/ui/copy-button';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { Select } from '@/components/ui/select';
import { formatUtc } from '@/components/ui/time';
import { endIdentitySecretOverlapAction, rotateIdentitySecretAction, updateIdentityKeysAction } from '@/lib/copilots/identity-actions';
import { identityKeysSchema, type IdentityKeysInput, type IdentitySecretOverlap } from '@/lib/copilots/schema';

/** What the customer's backend runs to sign a user's identity token (HS256 with the identity secret, through jose). */
export function mintIdentitySnippet(audience: string): string {
  return `import { SignJWT } from 'jose';

const secret = new TextEncoder().encode(process.env.COPILOT_IDENTITY_SECRET);
const identityToken = await new SignJWT({ name: user.name, email: user.email })
  .setProtectedHeader({ alg: 'HS256' })
  .setSubject(String(user.id))
  .setAudience('${audience}')
  .setIssuedAt()
  .setExpirationTime('15m')
  .sign(secret);
// → initOpenScript({ token, identityToken })`;
}

const OVERLAP_LABELS: Record<IdentitySecretOverlap, string> = {
  '24h': 'Keeps working for 24 hours',
  none: 'Stops working at once',
};

/**
 * Signed identity: the audience tokens must name, the HS256 identity secret (created or rotated by owners,
 * shown once), the JWKS URL and issuer for RS256/ES256 tokens, and how to sign one.
 */
export function IdentityCard({
  copilotId,
  audience,
  hasSecret,
  previousSecretUntil,
  jwksUrl,
  issuer,
  canEdit,
}: {
  copilotId: string;
  audience: string;
  hasSecret: boolean;
  previousSecretUntil: Date | null;
  jwksUrl: string | null;
  issuer: string | null;
  canEdit: boolean;
}) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [overlap, setOverlap] = useState<IdentitySecretOverlap>('24h');
  const [shown, setShown] = useState<string | null>(null);
  const rotate = useActionMutation(rotateIdentitySecretAction, {
    success: (data) => (data.previousValidUntil ? `New identity secret created — the old one works until ${formatUtc(new Date(data.previousValidUntil))}` : 'New identity secret created'),
    onSuccess: (data) => {
      setOpen(false);
      setShown(data.secret);
      router.refresh();
    },
  });
  const endOverlap = useActionMutation(endIdentitySecretOverlapAction, { success: 'The old identity secret no longer works', onSuccess: () => router.refresh() });
  const form = useForm<IdentityKeysInput, unknown, z.output<typeof identityKeysSchema>>({
    resolver: zodResolver(identityKeysSchema),
    criteriaMode: 'all',
    defaultValues: { copilotId, jwksUrl: jwksUrl ?? '', issuer: issuer ?? '' },
  });
  const saveKeys = useActionMutation(updateIdentityKeysAction, {
    form,
    success: 'Identity keys saved',
    onSuccess: () => {
      form.reset(form.getValues());
      router.refresh();
    },
  });
  const action = hasSecret ? 'Rotate identity secret' : 'Create identity secret';
  return (
    <Card
      id="signed-identity"
      title="Signed identity"
      description="Your backend signs a short-lived token (a JWT) for the signed-in user; the widget sends it and the user it names fills {{user.id}} templates. Only owners change these settings."
    >
      <div>
        <p className="text-sm font-medium text-slate-800">Audience (the token&apos;s aud)</p>
        <div className="mt-1 flex items-center gap-2">
          <code data-testid="identity-audience" className="min-w-0 flex-1 truncate rounded-md bg-slate-100 px-3 py-2 font-mono text-xs text-slate-800">
            {audience}
          </code>
          <CopyButton value={audience} label="Audience" />
        </div>
      </div>

      <p data-testid="identity-secret-state" className="mt-4 text-sm text-slate-700">
        {hasSecret ? 'An identity secret is set for HS256 tokens. It is stored encrypted and never shown again.' : 'No identity secret yet: create one to sign HS256 tokens.'}
      </p>
      {shown ? (
        <div role="status" className="mt-3 rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm text-amber-950">
          <p className="flex items-center gap-2 font-semibold">
            <KeyRound className="h-4 w-4" aria-hidden />
            Copy the identity secret now — it is shown only once
          </p>
          <p className="mt-1">Keep it on your backend only: whoever holds it can sign in any user of this assistant.</p>
          <div className="mt-3 flex flex-wrap items-center gap-2">
            <code data-testid="identity-secret" className="w-full min-w-0 break-all rounded-md bg-white px-3 py-2 font-mono text-xs text-slate-800 ring-1 ring-amber-200 sm:w-auto sm:flex-1">
              {shown}
            </code>
            <CopyButton value={shown} label="Identity secret" />
            <Button variant="ghost" size="sm" onClick={() => setShown(null)}>
              Done
            </Button>
          </div>
        </div>
      ) : null}
      {previousSecretUntil ? (
        <div data-testid="previous-identity-secret" className="mt-3 flex flex-wrap items-center gap-2 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">
          <span className="min-w-0 flex-1">The previous identity secret keeps working until {formatUtc(previousSecretUntil)}. Switch your backend to the new one before then.</span>
          {canEdit ? (
            <ConfirmDialog
              trigger={<Button variant="secondary" size="sm">Stop the old one now</Button>}
              title="Stop accepting the previous identity secret?"
              description="Tokens signed with the previous secret are refused from the next message on."
              confirmLabel="Stop the old one now"
              pending={endOverlap.isPending}
              onConfirm={() => endOverlap.mutate({ copilotId })}
            />
          ) : null}
        </div>
      ) : null}
      {canEdit ? (
        <div className="mt-3">
          {hasSecret ? (
            <ConfirmDialog
              open={open}
              onOpenChange={setOpen}
              trigger={<Button variant="secondary" size="sm">{action}</Button>}
              title="Rotate the identity secret?"
              description="Your backend must sign with the new secret. Choose how long tokens signed with the current one keep working meanwhile."
              confirmLabel="Rotate"
              pending={rotate.isPending}
              onConfirm={() => rotate.mutate({ copilotId, overlap })}
            >
              <Label htmlFor="identity-secret-overlap">The current secret</Label>
              <Select id="identity-secret-overlap" className="mt-1" value={overlap} onChange={(event) => setOverlap(event.target.value as IdentitySecretOverlap)}>
                {(Object.keys(OVERLAP_LABELS) as IdentitySecretOverlap[]).map((o) => (
                  <option key={o} value={o}>
                    {OVERLAP_LABELS[o]}
                  </option>
                ))}
              </Select>
            </ConfirmDialog>
          ) : (
            <Button variant="secondary" size="sm" pending={rotate.isPending} onClick={() => rotate.mutate({ copilotId, overlap: 'none' })}>
              {action}
            </Button>
          )}
        </div>
      ) : null}

      {canEdit ? (
        <form method="post" onSubmit={form.handleSubmit(() => saveKeys.mutate(form.getValues()))} className="mt-5 space-y-4 border-t border-slate-100 pt-4" noValidate>
          <Field label="JWKS URL (RS256 / ES256 tokens)" hint="Where your backend publishes its public keys, e.g. https://shop.example.com/.well-known/jwks.json. Leave empty for none." error={form.formState.errors.jwksUrl}>
            <Input inputMode="url" autoComplete="off" spellCheck={false} {...form.register('jwksUrl')} />
          </Field>
          <Field label="Issuer (optional)" hint="When set, a token's iss must be exactly this." error={form.formState.errors.issuer}>
            <Input autoComplete="off" spellCheck={false} {...form.register('issuer')} />
          </Field>
          <div className="flex justify-end">
            <Button type="submit" variant="secondary" pending={saveKeys.isPending}>
              Save identity keys
            </Button>
          </div>
        </form>
      ) : (
        <p className="mt-4 break-all text-sm text-slate-700">
          {jwksUrl ? `JWKS URL: ${jwksUrl}` : 'No JWKS URL.'} {issuer ? `Issuer: ${issuer}` : ''}
        </p>
      )}
      <div className="mt-5">
        <CodeBlock label="Sign an identity token (your backend, Node)" code={mintIdentitySnippet(audience)} testId="mint-identity-snippet" />
      </div>
    </Card>
  );
}
