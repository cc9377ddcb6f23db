'use client';
// The React entry: <WidgetRoot options={options}> owns one widget controller; <Widget/> renders it
// where it is placed — the floating launcher by default, or the chat panel in place with `inline`.
// New `options` (e.g. fresh headers after a token refresh) apply on re-render: same DOM node, same transcript.
import { createContext, createElement, useContext, useEffect, useState, type CSSProperties, type ReactNode } from 'react';
import { createController, type WidgetController } from './controller';
import { HOST_TAG } from './mount';
import type { WidgetHandle, WidgetOptions } from './types';

export type { WidgetHandle, WidgetHeaders, WidgetHeadersOption, WidgetOptions, WidgetTheme, WidgetUser } from './types';

const WidgetContext = createContext<WidgetController | null>(null);

export type WidgetRootProps = { options: WidgetOptions; children?: ReactNode };

export function WidgetRoot({ options, children }: WidgetRootProps) {
  // Creating a controller touches neither the DOM nor the network; <Widget/> attaches it in an effect.
  const [controller] = useState(() => createController(options, () => window.location.origin));
  useEffect(() => controller.setOptions(options), [controller, options]);
  // Unmounting stops a running answer and drops the transcript; nothing else refers to the controller.
  useEffect(() => () => controller.reset(), [controller]);
  return createElement(WidgetContext.Provider, { value: controller }, children);
}

export type WidgetProps = {
  /** Render the chat panel in place (filling the parent) instead of the floating launcher. */
  inline?: boolean;
  className?: string;
  style?: CSSProperties;
};

export function Widget({ inline = false, className, style }: WidgetProps) {
  const controller = useWidgetController();
  const [host, setHost] = useState<HTMLElement | null>(null);
  useEffect(() => (host ? controller.attach(host, { inline }) : undefined), [controller, host, inline]);
  return createElement(HOST_TAG, { ref: setHost, className, style });
}

/** The widget's handle (open, close, reset on sign-out, setHeaders, update) for components inside <WidgetRoot>. */
export function useWidget(): Omit<WidgetHandle, 'destroy'> {
  const { update, setHeaders, open, close, reset } = useWidgetController();
  return { update, setHeaders, open, close, reset };
}

function useWidgetController(): WidgetController {
  const controller = useContext(WidgetContext);
  if (!controller) throw new Error('Copilot widget: <Widget/> and useWidget() must be used inside <WidgetRoot options={…}>.');
  return controller;
}
