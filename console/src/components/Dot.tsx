// A coloured dot with its meaning in text beside it (colour alone is not enough).
export function Dot({ tone, label }: { tone: 'on' | 'off' | 'ok' | 'bad' | 'wait'; label: string }) {
  return (
    <span class="state">
      <span class={`dot ${tone}`} aria-hidden="true" /> {label}
    </span>
  );
}

/** A delivery state's tone: delivered is good, failed bad, anything else still moving. */
export const stateTone = (state?: string) =>
  state === 'delivered' ? 'ok' : state === 'failed' ? 'bad' : state === 'filtered' || state === 'superseded' || state === 'muted' || !state ? 'off' : 'wait';
