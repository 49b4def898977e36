// A signing secret shown once, right after it was made: the API never shows it in a list again.
export function SecretNotice({ secret, note }: { secret: string; note: string }) {
  return (
    <div role="status" class="panel secret">
      <p>{note}</p>
      <p>
        <label>
          Signing secret <input readOnly value={secret} size={60} onFocus={(e) => e.currentTarget.select()} />
        </label>
      </p>
    </div>
  );
}
