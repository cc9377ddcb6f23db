// Everything lives in the shadow root, so none of it reaches the host page. The host page's rules
// still match the host element itself: `all: initial !important` on :host wins against them (inside a
// shadow tree, !important beats the outer page's !important) and cuts off inherited fonts and colours.
// Sizes are px, never rem: rem would follow the host page's root font size.
export const STYLES: string = `
:host { all: initial !important; display: contents !important; }
:host([data-inline]) { display: block !important; position: relative !important; width: 100% !important; height: 100% !important; min-height: 420px !important; }
.root, .root * { box-sizing: border-box; }
[hidden] { display: none !important; }
.root {
  --accent: #4f46e5; --on-accent: #fff; --ink: #0f172a; --muted: #64748b; --line: #e2e8f0; --bubble: #f1f5f9;
  font: 400 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: var(--ink); -webkit-font-smoothing: antialiased; text-align: left; letter-spacing: normal;
}
.sr-only { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
button { font: inherit; color: inherit; background: none; border: 0; margin: 0; padding: 0; cursor: pointer; }
button:focus-visible, .log:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
svg { display: block; width: 20px; height: 20px; fill: none; stroke: currentColor; stroke-width: 2; stroke-linecap: round; stroke-linejoin: round; }
.launcher {
  position: fixed; z-index: 2147483000; bottom: 20px; right: 20px; width: 56px; height: 56px; border-radius: 50%;
  display: grid; place-items: center; background: var(--accent); color: var(--on-accent);
  box-shadow: 0 6px 20px rgba(15, 23, 42, .25), 0 2px 6px rgba(15, 23, 42, .15); transition: transform .15s ease;
}
.launcher:hover { transform: scale(1.05); }
.launcher svg { width: 26px; height: 26px; }
.root[data-position="bottom-left"] .launcher { right: auto; left: 20px; }
.panel {
  position: fixed; z-index: 2147483000; bottom: 88px; right: 20px; width: 380px; height: min(620px, calc(100vh - 112px));
  display: flex; flex-direction: column; overflow: hidden; background: #fff; border-radius: 16px;
  border: 1px solid rgba(15, 23, 42, .08); box-shadow: 0 18px 50px rgba(15, 23, 42, .22), 0 4px 12px rgba(15, 23, 42, .08);
  animation: rise .18s ease-out;
}
.root[data-position="bottom-left"] .panel { right: auto; left: 20px; }
.root[data-inline] .panel { position: absolute; inset: 0; width: auto; height: auto; border-radius: 12px; box-shadow: none; border-color: var(--line); animation: none; }
@keyframes rise { from { opacity: 0; transform: translateY(8px); } to { opacity: 1; transform: none; } }
@media (prefers-reduced-motion: reduce) { .panel, .launcher, .typing i { animation: none !important; transition: none !important; } }
.header { display: flex; align-items: center; gap: 10px; padding: 14px 12px 14px 16px; background: var(--accent); color: var(--on-accent); }
.avatar { width: 34px; height: 34px; border-radius: 50%; display: grid; place-items: center; background: rgba(255, 255, 255, .2); flex: none; }
.titles { flex: 1; min-width: 0; }
.title { margin: 0; font-size: 15px; font-weight: 600; line-height: 1.3; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.subtitle { margin: 0; font-size: 12px; opacity: .85; }
.icon { width: 34px; height: 34px; border-radius: 8px; display: grid; place-items: center; flex: none; }
.icon:hover { background: rgba(255, 255, 255, .15); }
.icon:focus-visible { outline-color: var(--on-accent); outline-offset: -3px; }
.log { flex: 1; overflow-y: auto; padding: 16px; display: flex; flex-direction: column; gap: 12px; overscroll-behavior: contain; background: #fff; }
.turn { display: flex; flex-direction: column; gap: 8px; }
.msg { max-width: 85%; padding: 9px 13px; border-radius: 14px; white-space: pre-wrap; overflow-wrap: anywhere; }
.user { align-self: flex-end; background: var(--accent); color: var(--on-accent); border-bottom-right-radius: 4px; }
.assistant { align-self: flex-start; background: var(--bubble); border-bottom-left-radius: 4px; }
.note { font-size: 12px; color: var(--muted); }
.chips { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 6px; align-self: flex-start; max-width: 100%; }
.chip {
  display: inline-flex; align-items: center; gap: 6px; max-width: 100%; padding: 3px 10px; border-radius: 999px;
  font: 500 12px/1.5 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: #fff; border: 1px solid var(--line); color: #334155;
}
.chip span { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.chip::before { content: ""; width: 7px; height: 7px; border-radius: 50%; background: #94a3b8; flex: none; }
.chip[data-state="ok"]::before { background: #16a34a; }
.chip[data-state="failed"] { border-color: #fecaca; color: #991b1b; background: #fef2f2; }
.chip[data-state="failed"]::before { background: #dc2626; }
.chip[data-state="pending"]::before { animation: blink 1s infinite; }
.typing { display: inline-flex; gap: 4px; padding: 12px 14px; border-radius: 14px; background: var(--bubble); align-self: flex-start; }
.typing i { width: 6px; height: 6px; border-radius: 50%; background: #94a3b8; animation: blink 1.2s infinite; }
.typing i:nth-child(3) { animation-delay: .2s; }
.typing i:nth-child(4) { animation-delay: .4s; }
@keyframes blink { 0%, 80%, 100% { opacity: .3; } 40% { opacity: 1; } }
.error {
  align-self: stretch; display: flex; align-items: flex-start; gap: 10px; padding: 10px 12px; border-radius: 10px;
  background: #fef2f2; border: 1px solid #fecaca; color: #991b1b; font-size: 13px;
}
.error p { margin: 0; flex: 1; }
.retry { flex: none; font-weight: 600; text-decoration: underline; text-underline-offset: 2px; }
.approval { align-self: stretch; display: flex; flex-direction: column; gap: 8px; padding: 12px; border-radius: 12px; border: 1px solid #fcd34d; background: #fffbeb; min-width: 0; }
.approval p { margin: 0; }
.approval-title { font-weight: 600; }
.approval-call { display: flex; flex-wrap: wrap; align-items: baseline; gap: 4px 8px; min-width: 0; }
.approval-call code, .approval-params { font: 500 12px/1.5 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; overflow-wrap: anywhere; }
.approval-op { font-size: 12px; color: #57534e; }
.approval-params { display: grid; grid-template-columns: minmax(0, max-content) minmax(0, 1fr); gap: 2px 10px; margin: 0; padding: 8px 10px; border-radius: 8px; background: #fff; border: 1px solid #fde68a; }
.approval-params dt { color: #57534e; overflow-wrap: anywhere; }
.approval-params dd { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; }
.approval-actions { display: flex; flex-wrap: wrap; gap: 8px; }
.approval-actions button { padding: 7px 16px; border-radius: 8px; font-weight: 600; }
.approve { background: var(--accent); color: var(--on-accent); }
.deny { border: 1px solid #cbd5e1; background: #fff; }
.approval-status { font-size: 13px; color: #57534e; }
.confirm { display: flex; flex-wrap: wrap; align-items: center; gap: 8px; padding: 10px 12px; border-top: 1px solid var(--line); background: #f8fafc; font-size: 13px; }
.confirm p { margin: 0; flex: 1 1 180px; }
.confirm button { padding: 6px 12px; border-radius: 8px; font-weight: 600; }
.confirm-yes { background: #dc2626; color: #fff; }
.confirm-no { border: 1px solid #cbd5e1; background: #fff; }
.composer { display: flex; align-items: flex-end; gap: 8px; margin: 0; padding: 12px; border-top: 1px solid var(--line); background: #fff; }
textarea {
  flex: 1; min-height: 40px; max-height: 132px; resize: none; margin: 0; padding: 9px 12px; border: 1px solid #cbd5e1; border-radius: 10px;
  font: inherit; color: var(--ink); background: #fff; outline: none;
}
textarea::placeholder { color: #94a3b8; }
textarea:focus { border-color: var(--accent); box-shadow: 0 0 0 1px var(--accent); }
.send { width: 40px; height: 40px; border-radius: 10px; display: grid; place-items: center; flex: none; background: var(--accent); color: var(--on-accent); }
.send:disabled { opacity: .45; cursor: default; }
@media (max-width: 480px) {
  .root:not([data-inline]) .panel { inset: 0; width: 100%; height: 100%; border-radius: 0; border: 0; }
  .root:not([data-inline])[data-open] .launcher { display: none; }
  .msg { max-width: 90%; }
  textarea { font-size: 16px; } /* smaller text makes mobile Safari zoom the page on focus */
}
`;
