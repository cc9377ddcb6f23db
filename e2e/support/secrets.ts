/** Every secret value the e2e suite types into the dashboard. The leak checks search for all of them. */
export const SECRETS = {
  apiKey: 'e2e-apikey-Q7v2N9xW4pL8zR3t',
  apiKeyRotated: 'e2e-apikey-rotated-H5kM1sD8fJ2q',
  bearer: 'e2e-bearer-eyJhbGciOiJIUzI1NiJ9xK3m',
  basicUser: 'svc-partner',
  basicPassword: 'e2e-basic-pw-T6yU8iO0pA2s',
  custom: 'e2e-custom-tenant-Z9xC7vB5nM3l',
  crudKey: 'e2e-crud-key-Vb7Nq2Lx9Pw4Zt6R',
  crudBearer: 'e2e-crud-bearer-token-123456',
  crudBasicPassword: 'e2e-crud-basic-pw',
  /** Pasted into the Bulk add dialog (e2e/audit). */
  bulkKey: 'e2e-bulk-key-Rt5Yh8Kj2Mn4Bv7C',
  bulkBearer: 'e2e-bulk-bearer-Wq3Ez6Xc9Vb1',
  runtimeKey: 'e2e-runtime-system-key-4b7d1f9a',
  /** Passwords people choose through invitation and password-reset links: never stored or logged in clear either. */
  invitedPassword: 'e2e-invited-password-Jq4Wm8Zr',
  resetPassword: 'e2e-reset-password-Pv6Nx2Ks',
  /** The proxy spec rotates a header to this value while engines keep calling. */
  proxyKeyRotated: 'e2e-proxy-rotated-key-6f1c9e3b',
  /** Echoed back by the redaction spec's API in every encoding; the characters are ones encoders escape. */
  redactionKey: "e2e-redact/Key+9!x'(y)*~z",
  /** Sent by the "widget" through the relay: must never be stored or logged either. */
  widgetUserToken: 'e2e-widget-user-token-8c2e5a7f',
  /** The chat engine's turn: dashboard key, the widget user's token, and the model provider's key. */
  engineSystemKey: 'e2e-engine-system-key-R4t8Yu2Io6Pa',
  engineUserToken: 'e2e-engine-user-token-Mn3Bv7Cx1Za9',
  modelApiKey: 'e2e-model-api-key-Lk5Jh9Gf3Ds1',
  /** The real-widget spec: the dashboard key, the host page's user token before and after setHeaders, the React page's JWTs. */
  widgetE2eSystemKey: 'e2e-widget-e2e-system-key-Wd4Rt7Yh2Jk9',
  widgetE2eUserToken: 'e2e-widget-e2e-user-token-Qa8Sd3Fg6Hj1',
  widgetE2eRefreshedToken: 'e2e-widget-e2e-refreshed-token-Zx2Cv5Bn8Mm4',
  widgetE2eReactJwt: 'e2e-widget-e2e-react-jwt-Pl9Ok6Ij3Uh7',
  widgetE2eReactFreshJwt: 'e2e-widget-e2e-react-fresh-jwt-Yg5Tf2Rd8Es1',
  /** Typed into the Preview tab's test user headers: kept in the browser only. */
  previewUserToken: 'e2e-preview-user-token-Nb6Vc3Xz9Lk2',
  /** The widget package in fresh Vite and Next.js apps (npm run check:widget-package): the dashboard key, each app's user token. */
  packageSystemKey: 'e2e-package-system-key-Hn4Jm7Kq2Lw5',
  packageViteUserToken: 'e2e-package-vite-user-token-Rb8Tc3Vd6Wf1',
  packageNextUserToken: 'e2e-package-next-user-token-Xg2Yh5Zj9Ak4',
  /** The rotation spec: the value in use, the one staged, promoted, then rolled back from. */
  rotationOld: 'e2e-rotation-old-key-Wq3Er5Ty7Ui9',
  rotationNew: 'e2e-rotation-new-key-As2Df4Gh6Jk8',
  /** Staged (pending) in the leak flow, and a candidate pasted into Verify. */
  leakPending: 'e2e-leak-pending-key-Zx1Cv3Bn5Mq7',
  /** The admin API spec: the value a pipeline stages and promotes with an API token. */
  adminApiOld: 'e2e-admin-api-old-key-Pl4Ok8Ij2Uh6',
  adminApiNew: 'e2e-admin-api-new-key-Yg5Tf1Rd3Es7',
  /** The sealed-session spec: the shop backend's user token (sealed, never in the page) and the dashboard key. */
  sealedSessionUserToken: 'e2e-sealed-session-user-token-Hq7Lw2Ne5Rb8',
  sealedSessionSystemKey: 'e2e-sealed-session-system-key-Tc4Vm9Kd1Xp6',
} as const;

/** The forms a value could take on the wire: exact, Base64 (standard and URL-safe), URL-encoded. */
export function secretForms(): string[] {
  const values = [
    ...Object.entries(SECRETS)
      .filter(([key]) => key !== 'basicUser')
      .map(([, value]) => value),
    `${SECRETS.basicUser}:${SECRETS.basicPassword}`,
    `svc:${SECRETS.crudBasicPassword}`,
  ];
  const forms = new Set<string>();
  for (const v of values) {
    forms.add(v);
    forms.add(encodeURIComponent(v));
    forms.add(Buffer.from(v).toString('base64').replace(/=+$/, ''));
    forms.add(Buffer.from(v).toString('base64url'));
  }
  return [...forms];
}
