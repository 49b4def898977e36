// Fault tests say what they did and the counts, on stderr so jest prints them without a stack.
export function report(test: string, facts: Record<string, unknown>): void {
  const line = Object.entries(facts).map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`).join(' ');
  process.stderr.write(`[fault] ${test}: ${line}\n`);
}
