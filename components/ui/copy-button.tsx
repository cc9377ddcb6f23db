'use client';

import { Check, Copy } from 'lucide-react';
import { useState } from 'react';
import { Button } from './button';
import { toast } from './toast';

/** Copies `value` to the clipboard; `label` names what is copied for screen readers and the toast. */
export function CopyButton({ value, label, className }: { value: string; label: string; className?: string }) {
  const [copied, setCopied] = useState(false);
  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setCopied(true);
      toast.success(`${label} copied`);
      setTimeout(() => setCopied(false), 1500);
    } catch {
      toast.error(`Couldn't copy ${label.toLowerCase()} — select it and copy by hand`);
    }
  }
  return (
    <Button type="button" variant="secondary" size="sm" onClick={copy} aria-label={`Copy ${label.toLowerCase()}`} className={className}>
      {copied ? <Check className="h-4 w-4 text-emerald-600" aria-hidden /> : <Copy className="h-4 w-4" aria-hidden />}
      {copied ? 'Copied' : 'Copy'}
    </Button>
  );
}
