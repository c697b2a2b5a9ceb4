// Chunks built next to shoptrail.js (dist/shoptrail-<name>.js), loaded after start-up so the
// script tag's own bundle stays small. A chunk sets `window.shoptrail_<name>`; asking again
// after a failure is src/lazy.ts's to decide. A store serving everything first party under
// names of its own (docs/integrations.md) gives the pattern: `data-chunk-path="c-{name}.js"`,
// resolved against the script's own URL like the default.
// Read while this script runs: later, document.currentScript is gone.
const script = typeof document != 'undefined' ? (document.currentScript as HTMLScriptElement | null) : null;

export const loadChunk = (name: string): Promise<any> =>
  new Promise((resolve, reject) => {
    const chunk = document.createElement('script');
    chunk.src = new URL((script!.dataset.chunkPath || 'shoptrail-{name}.js').replace('{name}', name), script!.src).href;
    chunk.nonce = script!.nonce; // a strict CSP let our tag run; let the chunk run too
    chunk.onload = () => resolve((window as any)[`shoptrail_${name}`]);
    chunk.onerror = (error) => {
      chunk.remove();
      reject(error);
    };
    document.head.append(chunk);
  });
