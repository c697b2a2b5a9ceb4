// Run `fn` when the page is hidden or unloaded: `visibilitychange` to hidden is the last event
// mobile browsers reliably fire (tab switch, app switch), `pagehide` covers desktop unloads
// and bfcache. Both may fire for one unload; callers make `fn` idempotent.
export const onHidden = (fn: () => void): (() => void) => {
  const onVisibility = () => {
    if (document.visibilityState === 'hidden') fn();
  };
  document.addEventListener('visibilitychange', onVisibility, true);
  addEventListener('pagehide', fn, true);
  return () => {
    document.removeEventListener('visibilitychange', onVisibility, true);
    removeEventListener('pagehide', fn, true);
  };
};
