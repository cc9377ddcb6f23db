import { clsx, type ClassValue } from 'clsx';

/**
 * Joins class names, dropping falsy ones. No merging is needed: the primitives' own look is in the CSS
 * components layer (app/globals.css), so a utility a caller passes in `className` overrides it.
 */
export function cn(...inputs: ClassValue[]) {
  return clsx(inputs);
}
