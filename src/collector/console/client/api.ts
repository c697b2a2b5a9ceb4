// The console's calls: same origin, the session cookie, JSON. An answer other than 2xx is an
// error carrying the API's own message; a 401 sends the user back to sign-in.
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

let onSignedOut = () => {};
export const whenSignedOut = (fn: () => void) => (onSignedOut = fn);

export const call = async <T>(path: string, init: RequestInit = {}): Promise<T> => {
  const response = await fetch(path.startsWith('/admin/') ? path : `/admin/api${path}`, {
    ...init,
    credentials: 'same-origin',
    headers: init.body ? { 'content-type': 'application/json' } : {},
  });
  if (response.status === 204) return undefined as T;
  const body = await response.json().catch(() => ({ error: `${response.status} ${response.statusText}` }));
  if (!response.ok) {
    if (response.status === 401 && path !== '/admin/session') onSignedOut();
    throw new ApiError((body as { error?: string }).error ?? `HTTP ${response.status}`, response.status);
  }
  return body as T;
};

export const get = <T>(path: string) => call<T>(path);
export const send = <T>(path: string, method: 'POST' | 'DELETE', body?: unknown) =>
  call<T>(path, { method, body: body === undefined ? undefined : JSON.stringify(body) });

export interface Session {
  signedIn: true;
  entity: string;
  allowance: number;
  timeZone: string;
  expiresAt: string;
  types: Array<{ type: string; billable: boolean }>;
}

export interface Envelope {
  id: string;
  type: string;
  entity: string;
  anonymousId: string;
  customerId?: string;
  createdAt: string;
  context?: { page?: { path?: string } };
  body: Record<string, unknown>;
}
