// The collector's logs: JSON lines through pino, one per request plus start, stop and errors,
// so any log pipeline can parse them. `log: false` silences them (tests); a pino logger may be
// passed in to send them elsewhere.
import { pino, type Logger } from 'pino';

export type { Logger };

export type LogOption = boolean | Logger | undefined;

export const createLogger = (option: LogOption): Logger => {
  if (option && typeof option === 'object') return option;
  return pino({
    enabled: option !== false,
    base: { service: 'shoptrail-collector' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  });
};
