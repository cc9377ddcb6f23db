// The embed snippets of the General tab: script tag, package install and React. With a header schema they
// show exactly the headers it declares, so what a developer copies is what the copilot accepts.
import type { WidgetPackage } from './widget-package';

/** The React entry of the widget package (widget/package.json). */
const WIDGET_REACT_IMPORT = '@copilot-headers/widget/react';

/** The `headers` line: the schema's names with placeholders, or (no schema) an example. */
function headersLine(headerNames: readonly string[]): string {
  if (headerNames.length === 0) return "headers: { Authorization: 'Bearer ' + userJwt },";
  return `headers: { ${headerNames.map((name) => `'${name.replace(/['\\]/g, '\\$&')}': '<…>'`).join(', ')} },`;
}

/** Script-tag form: widget.js finds the app from its own absolute src. */
export function scriptSnippet(appOrigin: string, token: string, headerNames: readonly string[] = []): string {
  return `<script src="${appOrigin}/widget.js"></script>
<script>
  initOpenScript({
    token: '${token}',
    // Per-user headers: sent with this user's requests only, never stored.
    ${headersLine(headerNames)}
  });
</script>`;
}

/** The app serves its own build of the package; npm installs straight from a tarball URL. */
export function installCommand(appOrigin: string, widgetPackage: Pick<WidgetPackage, 'tarball'>): string {
  return `npm install ${appOrigin}${widgetPackage.tarball}`;
}

/** React form: a bundled component can't see where it came from, so it names the app (apiUrl). */
export function reactSnippet(appOrigin: string, token: string, headerNames: readonly string[] = []): string {
  return `import { WidgetRoot, Widget } from '${WIDGET_REACT_IMPORT}';

const options = {
  token: '${token}',
  apiUrl: '${appOrigin}',
  // Per-user headers: sent with this user's requests only, never stored.
  ${headersLine(headerNames)}
};

<WidgetRoot options={options}><Widget /></WidgetRoot>`;
}
