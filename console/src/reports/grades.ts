import type { Category, Classification, Grade } from '../../../contract/reports';

/** National four-grade scale; I is the gravest. Colours follow the usual red/orange/yellow/blue warning scheme. */
export const GRADES: Grade[] = [1, 2, 3, 4];

export const GRADE_CLASS: Record<Grade, string> = {
  1: 'grade-1',
  2: 'grade-2',
  3: 'grade-3',
  4: 'grade-4',
};

/** GB/T 35561 top categories. */
export const CATEGORIES: Exclude<Category, ''>[] = ['natural_disaster', 'accident', 'public_health', 'social_security'];

/** 密级: 公开, 内部, 秘密, 机密 (秘密 and above: leaders and administrators only). */
export const CLASSIFICATIONS: Classification[] = [0, 1, 2, 3];

/** A report's state as read: a phone report is a call on record (已电话报送), never 已签发 — nobody signs it. */
export function reportStateLabel(t: (key: string) => string, r: { kind: string; state: string }): string {
  return r.kind === 'phone' && r.state === 'sent' ? t('states.phoneSent') : t(`states.${r.state}`);
}
