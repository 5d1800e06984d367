export function ProgressBar(props: { value: number | null; label?: string; testId?: string; tone?: 'normal' | 'ok' | 'error' }) {
  const pct = props.value === null ? null : Math.round(props.value * 1000) / 10;
  return (
    <div className={`progress ${props.tone ?? 'normal'}`} data-testid={props.testId} role="progressbar" aria-valuenow={pct ?? undefined} aria-valuemin={0} aria-valuemax={100}>
      <div className={`progress-fill ${pct === null ? 'indeterminate' : ''}`} style={pct === null ? undefined : { width: `${pct}%` }} />
      {props.label && <span className="progress-label">{props.label}</span>}
    </div>
  );
}
