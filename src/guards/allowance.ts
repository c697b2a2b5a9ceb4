// Allowance-aware shedding from the collector's account figures: as the remaining allowance
// falls below a reserve, shed `low` events first, then `normal`; `essential` never.
import type { AccountUsage } from '../protocol';
import type { Guard } from '../plugin';

export const allowance =
  (account: () => AccountUsage | null | undefined, reserve: { low?: number; normal?: number } = {}): Guard =>
  (_event, entry) => {
    const u = account();
    if (!u || !(u.allowance > 0) || !entry.billable || entry.priority == 'essential') return;
    const share = (u.allowance - u.used) / u.allowance;
    // (a conditional, not a table: no object per event)
    if (share < (entry.priority == 'low' ? (reserve.low ?? 0.1) : (reserve.normal ?? 0.02))) return 'allowance';
  };
