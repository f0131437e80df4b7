/// <reference types="vite/client" />
import { describe, expect, it } from 'vitest';
import zhCN from '../../console/src/shared/i18n/zh-CN.ts';
import en from '../../console/src/shared/i18n/en.ts';

// The same discovery as console/src/shared/i18n/index.ts: every domain's messages beside its code.
type Messages = Record<string, unknown>;
const found = import.meta.glob<{ 'zh-CN': Messages; en: Messages }>(['../../console/src/**/i18n*.ts', '../../console/src/**/*-i18n.ts', '!../../console/src/shared/i18n/**'], {
  eager: true,
  import: 'default',
});

/** Every leaf key path of a message tree ("a.b.c"). */
function paths(m: unknown, prefix = ''): string[] {
  if (typeof m !== 'object' || m === null) return [prefix];
  return Object.entries(m).flatMap(([k, v]) => paths(v, prefix ? `${prefix}.${k}` : k));
}

describe('console messages', () => {
  it('discovers the domains beside their code', () => {
    const files = Object.keys(found).map((f) => f.replace('../../console/src/', ''));
    expect(files).toEqual(expect.arrayContaining(['duty/i18n.ts', 'reports/i18n.ts', 'audit/i18n.ts', 'information/i18nOffice.ts', 'information/duplicates-i18n.ts']));
  });

  it.each(Object.keys(found).map((f) => [f.replace('../../console/src/', '')]))('%s has every message in Chinese and in English', (file) => {
    const d = found[`../../console/src/${file}`]!;
    expect(paths(d.en).sort()).toEqual(paths(d['zh-CN']).sort());
  });

  it('shared messages exist in both languages', () => {
    expect(paths(en).sort()).toEqual(paths(zhCN).sort());
  });

  it('no two domains (nor shared) claim the same top-level key, so none silently replaces another', () => {
    const owner = new Map<string, string>(Object.keys(zhCN).map((k) => [k, 'shared']));
    const clashes: string[] = [];
    for (const [file, d] of Object.entries(found)) {
      for (const k of Object.keys(d['zh-CN'])) {
        if (owner.has(k)) clashes.push(`${k}: ${owner.get(k)} and ${file}`);
        owner.set(k, file);
      }
    }
    expect(clashes).toEqual([]);
  });
});
