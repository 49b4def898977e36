// A compact button showing an icon, named for screen readers (and in its tooltip) by `label`: the
// console's row actions, so a row stays one line high.

const PATHS = {
  play: 'M4 2.5v11l9-5.5z',
  power: 'M8 1.5v6M4.5 4a5 5 0 1 0 7 0',
  key: 'M10 2a4 4 0 0 0-3.8 5.2L1.5 12v2.5H4V13h1.5v-1.5H7l1-1A4 4 0 1 0 10 2zm1 2.2a.9.9 0 1 1 0 1.8.9.9 0 0 1 0-1.8z',
  redo: 'M13 3v4H9M12.6 7A5 5 0 1 0 13 10',
  trash: 'M2.5 4h11M6 4V2.5h4V4M4 4l.7 9.5h6.6L12 4',
} as const;
export type IconName = keyof typeof PATHS;

export function Icon({ name }: { name: IconName }) {
  const filled = name === 'play' || name === 'key';
  return (
    <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">
      <path d={PATHS[name]} fill={filled ? 'currentColor' : 'none'} stroke={filled ? 'none' : 'currentColor'} stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round" />
    </svg>
  );
}

export function IconButton({ icon, label, disabled, onClick }: { icon: IconName; label: string; disabled?: boolean; onClick: () => unknown }) {
  return (
    <button type="button" class="icon-button" aria-label={label} title={label} disabled={disabled} onClick={() => void onClick()}>
      <Icon name={icon} />
    </button>
  );
}
