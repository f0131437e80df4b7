/** A per-browser list of string keys in localStorage (handled alerts, acknowledged alarms): bad or missing data reads as none. */
export function readKeys(storageKey: string | null): string[] {
  if (storageKey === null) return [];
  try {
    const v = JSON.parse(localStorage.getItem(storageKey) ?? '[]') as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

/** Stores the list; storage full or disabled only means it may be forgotten after a reload. */
export function writeKeys(storageKey: string | null, keys: string[]): void {
  if (storageKey === null) return;
  try {
    localStorage.setItem(storageKey, JSON.stringify(keys));
  } catch {
    // Storage full or disabled: nothing worse than forgetting.
  }
}

/** A per-browser on/off preference (e.g. the side menu collapsed); bad or missing data reads as off. */
export function readFlag(storageKey: string): boolean {
  try {
    return localStorage.getItem(storageKey) === '1';
  } catch {
    return false;
  }
}

export function writeFlag(storageKey: string, on: boolean): void {
  try {
    localStorage.setItem(storageKey, on ? '1' : '0');
  } catch {
    // Storage full or disabled: the preference lasts until the reload.
  }
}
