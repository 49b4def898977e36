// A button that asks first, in a modal <dialog> (focus trapped, Esc cancels): for deletes and rotations.
import type { ComponentChildren } from 'preact';
import { useRef } from 'preact/hooks';
import { IconButton, type IconName } from './IconButton';

/**
 * `text` is the button's visible word, or `icon` is shown in its place (a compact row action);
 * `label` is its full name ("Delete ops-hook"), also the dialog's.
 */
type Props = { text: string; icon?: IconName; label: string; confirmLabel?: string; disabled?: boolean; children: ComponentChildren; onConfirm: () => void };

export function ConfirmButton({ text, icon, label, confirmLabel = text, disabled, children, onConfirm }: Props) {
  const dialog = useRef<HTMLDialogElement>(null);
  const open = () => dialog.current?.showModal();
  return (
    <>
      {icon ? (
        <IconButton icon={icon} label={label} disabled={disabled} onClick={open} />
      ) : (
        <button type="button" disabled={disabled} aria-label={label} onClick={open}>
          {text}
        </button>
      )}
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
