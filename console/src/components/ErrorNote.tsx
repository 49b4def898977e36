// An error from the API (or the network) in words, announced to screen readers.
export function ErrorNote({ error }: { error?: Error }) {
  if (!error) return null;
  return (
    <p role="alert" class="error-note">
      {error.message}
    </p>
  );
}
