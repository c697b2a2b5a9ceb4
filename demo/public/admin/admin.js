// Shared by the demo's admin pages: the collector URL and the admin key, and an authorised fetch.
// The admin key is a secret: a real store keeps these reads on its own server. The demo fills
// {{adminKey}} when it can; otherwise add #key=<adminKey> to the address, or paste the key
// `npm run demo` prints (kept in localStorage).
export const collector = document.body.dataset.collector;
const keyField = document.getElementById('admin-key');
const filled = keyField.value && !keyField.value.startsWith('{{');
keyField.value = new URLSearchParams(location.hash.slice(1)).get('key') || (filled ? keyField.value : localStorage.getItem('demo-admin-key') || '');
keyField.addEventListener('change', () => localStorage.setItem('demo-admin-key', keyField.value.trim()));

export const adminFetch = async (path, init = {}) => {
  const response = await fetch(`${collector}${path}`, {
    ...init,
    headers: { ...init.headers, Authorization: `Bearer ${keyField.value.trim()}` },
  });
  if (!response.ok) {
    const text = await response.text();
    let message = text;
    try { message = JSON.parse(text).error || text; } catch {}
    throw new Error(`${response.status}: ${message}`);
  }
  return response;
};
