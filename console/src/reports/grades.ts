import type { Grade } from '../shared/types';

/** National four-grade scale; I is the gravest. Colours follow the usual red/orange/yellow/blue warning scheme. */
export const GRADES: Grade[] = [1, 2, 3, 4];

export const GRADE_CLASS: Record<Grade, string> = {
  1: 'grade-1',
  2: 'grade-2',
  3: 'grade-3',
  4: 'grade-4',
};
