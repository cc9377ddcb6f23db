// A tiny element builder. Text always goes in as text nodes: nothing from the model, the server or
// the page is ever parsed as HTML (model output can be steered by the APIs it reads).
type Child = Node | string | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string | boolean | undefined> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === false || value === undefined) continue;
    el.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children) if (child) el.append(child);
  return el;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** A 24×24 stroke icon from path data; decorative (the button around it carries the name). */
function icon(...paths: string[]): () => SVGSVGElement {
  return () => {
    const svg = document.createElementNS(SVG_NS, 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('focusable', 'false');
    for (const d of paths) {
      const path = document.createElementNS(SVG_NS, 'path');
      path.setAttribute('d', d);
      svg.append(path);
    }
    return svg;
  };
}

export const icons = {
  chat: icon('M21 12a8 8 0 0 1-11.6 7.1L4 20.5l1.4-5A8 8 0 1 1 21 12z', 'M8.5 12h.01M12 12h.01M15.5 12h.01'),
  close: icon('M6 6l12 12M18 6L6 18'),
  chevronDown: icon('M6 9l6 6 6-6'),
  send: icon('M5 12h14M13 6l6 6-6 6'),
  stop: icon('M8 8h8v8H8z'),
  restart: icon('M3 12a9 9 0 1 0 3-6.7L3 8', 'M3 3v5h5'),
  spark: icon('M12 3l1.9 5.1L19 10l-5.1 1.9L12 17l-1.9-5.1L5 10l5.1-1.9z', 'M19 16l.8 2.2L22 19l-2.2.8L19 22l-.8-2.2L16 19l2.2-.8z'),
};
