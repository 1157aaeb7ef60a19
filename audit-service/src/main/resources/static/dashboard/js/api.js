// Calls from the dashboard: the query API (/v1/audit/**) and the dashboard's own endpoints
// (/dashboard/api/**). The session is an HttpOnly cookie this script never sees; every call carries
// X-Signet-Dashboard: 1, which the server requires (a cross-site page cannot add it).

export class ApiError extends Error {
  constructor(status, code, message, title) {
    super(message);
    this.status = status;
    this.code = code;
    this.title = title;
  }
}

let onUnauthorized = () => {};

export function whenUnauthorized(callback) {
  onUnauthorized = callback;
}

async function call(method, path, params, body) {
  const url = new URL(path, window.location.origin);
  for (const [key, value] of Object.entries(params || {})) {
    if (value !== undefined && value !== null && value !== '') url.searchParams.set(key, value);
  }
  const init = {
    method,
    credentials: 'same-origin',
    headers: { Accept: 'application/json', 'X-Signet-Dashboard': '1' },
  };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(url, init);
  } catch (e) {
    throw new ApiError(0, 'network_error', 'audit-service could not be reached. Is it running?', 'Connection failed');
  }
  const text = await response.text();
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch (e) {
      data = null;
    }
  }
  if (!response.ok) {
    const code = data && data.error ? String(data.error) : 'http_' + response.status;
    const message = data && data.errorDescription ? String(data.errorDescription) : response.statusText || 'Request failed';
    const error = new ApiError(response.status, code, message, titleFor(response.status, path));
    if (response.status === 401 && !path.endsWith('/login')) onUnauthorized(error);
    throw error;
  }
  return data;
}

function titleFor(status, path) {
  if (status === 400) return 'The request was refused';
  if (status === 401) return 'Not signed in';
  if (status === 404) return 'Not found';
  if (status === 409) return path.includes('/webhooks') ? 'Not possible right now' : 'Already decided';
  if (status >= 500) return 'The server could not answer';
  return 'Request failed';
}

const Q = '/v1/audit';

export const api = {
  session: () => call('GET', '/dashboard/api/session'),
  signInOptions: () => call('GET', '/dashboard/api/login'),
  login: (username, password) => call('POST', '/dashboard/api/login', null, { username, password }),
  logout: () => call('POST', '/dashboard/api/logout'),

  activities: (params) => call('GET', Q + '/activities', params),
  timeline: (userId, params) => call('GET', Q + '/users/' + encodeURIComponent(userId) + '/timeline', params),
  challenges: (params) => call('GET', Q + '/challenges', params),
  challenge: (id) => call('GET', Q + '/challenges/' + encodeURIComponent(id)),
  actions: (params) => call('GET', Q + '/actions', params),
  action: (userId, code, key) =>
    call('GET', Q + '/users/' + [userId, 'actions', code, key].map(encodeURIComponent).join('/')),
  aggregates: (params) => call('GET', Q + '/aggregates', params),
  lag: () => call('GET', Q + '/lag'),

  reviews: (params) => call('GET', '/dashboard/api/reviews', params),
  decide: (userId, code, key, state, note) =>
    call('POST', '/dashboard/api/reviews/' + [userId, code, key].map(encodeURIComponent).join('/'), null, { state, note }),

  verificationLocks: (params) => call('GET', '/dashboard/api/verification-locks', params),
  verificationLockResets: (params) => call('GET', '/dashboard/api/verification-locks/resets', params),
  resetVerificationLock: (body) => call('POST', '/dashboard/api/verification-locks/reset', null, body),

  routing: () => call('GET', '/dashboard/api/routing'),
  replaceRouting: (body) => call('PUT', '/dashboard/api/routing', null, body),
  routeHealth: () => call('GET', '/dashboard/api/routes/health'),

  webhooks: () => call('GET', Q + '/webhooks'),
  webhookDeliveries: (params) => call('GET', Q + '/webhooks/deliveries', params),
  registerWebhook: (body) => call('POST', '/dashboard/api/webhooks', null, body),
  updateWebhook: (id, body) => call('PATCH', '/dashboard/api/webhooks/' + encodeURIComponent(id), null, body),
  deleteWebhook: (id) => call('DELETE', '/dashboard/api/webhooks/' + encodeURIComponent(id)),
  redeliverWebhook: (id) => call('POST', '/dashboard/api/webhooks/deliveries/' + encodeURIComponent(id) + '/redeliver'),
};
