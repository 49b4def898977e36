// Progress for an operation that may take a while (a test send waits up to the destination's timeout).
export function Busy({ label }: { label: string }) {
  return (
    <p role="status" class="busy">
      <progress aria-label={label} /> {label}
    </p>
  );
}
