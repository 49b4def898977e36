// A string field that must say something: trimmed, then at least one character. The pattern makes
// /openapi.json say so too (a trim does not show there), so a blank value is not documented as valid.
import { z } from 'zod';

export function nonBlank(max: number, emptyMessage?: string) {
  return z.string().trim().min(1, emptyMessage).max(max).meta({ pattern: '\\S' });
}
