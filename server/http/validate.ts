import type { z } from 'zod';
import { errors } from './errors.ts';

/** Parses input with a zod schema; bad input becomes a 400 VALIDATION error listing every problem. */
export function parse<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const r = schema.safeParse(input);
  if (!r.success) throw errors.validation(r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
  return r.data;
}
