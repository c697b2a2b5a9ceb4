// gzip with the browser's own CompressionStream (no bundled deflate code). Where it is
// missing, callers send the body as it is.
export const canGzip = (): boolean => typeof CompressionStream === 'function';

export const gzip = (text: string): Promise<ArrayBuffer> => new Response(new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer();
