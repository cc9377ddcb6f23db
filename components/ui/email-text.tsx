import { Fragment } from 'react';
import { cn } from './cn';

/**
 * An email address that wraps where a reader expects it to — before the @ and after a dot — instead of in the
 * middle of a word (break-all did that on phones). Only a part longer than the line is broken inside.
 * `<wbr>` adds the chances without adding characters, so a copied address stays the address.
 */
export function EmailText({ email, className }: { email: string; className?: string }) {
  const parts = email.split(/(?=@)|(?<=\.)/);
  return (
    <span className={cn('[overflow-wrap:anywhere]', className)}>
      {parts.map((part, i) => (
        <Fragment key={i}>
          {i > 0 ? <wbr /> : null}
          {part}
        </Fragment>
      ))}
    </span>
  );
}
