// A button that asks first, in a modal <dialog> (focus trapped, Esc cancels): for deletes and rotations.
import type { ComponentChildren } from 'preact';
import { useRef } from 'preact/hooks';

/** `text` is the button's visible word; `label` its full name ("Delete ops-hook"), also the dialog's. */
type Props = { text: string; label: string; confirmLabel?: string; disabled?: boolean; children: ComponentChildren; onConfirm: () => void };

export function ConfirmButton({ text, label, confirmLabel = text, disabled, children, onConfirm }: Props) {
  const dialog = useRef<HTMLDialogElement>(null);
  return (
    <>
      <button type="button" disabled={disabled} aria-label={label} onClick={() => dialog.current?.showModal()}>
        {text}
      </button>
      <dialog ref={dialog} aria-label={label}>
        <form
          method="dialog"
          onSubmit={(e) => {
            if ((e.submitter as HTMLButtonElement | null)?.value === 'confirm') onConfirm();
          }}
        >
          {children}
          <p class="buttons">
            <button value="confirm" class="primary">
              {confirmLabel}
            </button>{' '}
            <button value="cancel">Cancel</button>
          </p>
        </form>
      </dialog>
    </>
  );
}
