// Chunks built next to shoptrail.js (dist/shoptrail-<name>.js), loaded after start-up so the
// script tag's own bundle stays small. A chunk sets `window.shoptrail_<name>`.
// Read while this script runs: later, document.currentScript is gone.
const script = typeof document != 'undefined' ? (document.currentScript as HTMLScriptElement | null) : null;
const loading: Record<string, Promise<any>> = {};

export const loadChunk = (name: string): Promise<any> =>
  (loading[name] ||= new Promise((resolve, reject) => {
    const chunk = document.createElement('script');
    chunk.src = script!.src.replace(/[^/]*$/, `shoptrail-${name}.js`);
    chunk.nonce = script!.nonce; // a strict CSP let our tag run; let the chunk run too
    chunk.onload = () => resolve((window as any)['shoptrail_' + name]);
    chunk.onerror = (error) => {
      delete loading[name]; // a later call tries again
      chunk.remove();
      reject(error);
    };
    document.head.append(chunk);
  }));
