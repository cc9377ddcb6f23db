// A customer's React app embedding the widget through the package's React entry. Bundled by
// esbuild in the React spec (against widget/dist, as a customer's bundler would) and served by the host site.
import { StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { useWidget, Widget, WidgetRoot, type WidgetOptions } from '@copilot-headers/widget/react';

type HostConfig = { token: string; apiUrl: string; jwt: string; freshJwt: string; inline: boolean };
const config = (window as unknown as { E2E: HostConfig }).E2E;

function SignOutButton() {
  const widget = useWidget();
  return (
    <button type="button" onClick={() => widget.reset()}>
      Sign out
    </button>
  );
}

function App() {
  const [jwt, setJwt] = useState(config.jwt);
  const [renders, setRenders] = useState(0);
  const options: WidgetOptions = { token: config.token, apiUrl: config.apiUrl, title: 'Acme help', headers: { Authorization: `Bearer ${jwt}` } };
  return (
    <WidgetRoot options={options}>
      <h1>Acme Outfitters</h1>
      <button type="button" onClick={() => setJwt(config.freshJwt)}>
        Refresh token
      </button>
      <button type="button" onClick={() => setRenders((n) => n + 1)}>
        Re-render ({renders})
      </button>
      <SignOutButton />
      {config.inline ? (
        <section aria-label="Help" style={{ width: 420, height: 540, marginTop: 16 }}>
          <Widget inline />
        </section>
      ) : (
        <Widget />
      )}
    </WidgetRoot>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
