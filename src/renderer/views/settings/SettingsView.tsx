// Project settings: calibration, probability threshold, border band for IoU_b.
import { useEffect, useState } from 'react';
import type { ProjectSettings } from '../../../shared/domain';
import { DEFAULT_SETTINGS } from '../../../shared/domain';
import { api, errorText } from '../../state/api';
import { useTransient } from '../../state/transient';
import { refreshProject, useProjectState } from '../../state/project';
import { DisplaySettings } from './DisplaySettings';

export function SettingsView() {
  const { project, app } = useProjectState();
  const [form, setForm] = useState<ProjectSettings | null>(null);
  const [status, setStatus] = useTransient<{ ok: boolean; text: string }>(8000);

  useEffect(() => {
    api.call('settings.get').then(setForm, (e: unknown) => setStatus({ ok: false, text: errorText(e) }));
  }, []);
  if (!form) return <div className="center muted">{status?.text ?? 'Loading settings…'}</div>;

  const set = (patch: Partial<ProjectSettings>): void => {
    setForm({ ...form, ...patch });
    setStatus(null);
  };
  const valid = form.pixelsPerMicrometre > 0 && form.threshold > 0 && form.threshold < 1 && form.borderPer128 >= 0 && form.reviewThreshold > 0 && form.reviewThreshold <= 1;
  const save = async (): Promise<void> => {
    try {
      // Only this form's fields: the display settings save themselves.
      const { pixelsPerMicrometre, threshold, borderPer128, reviewThreshold } = form;
      setForm(await api.call('settings.set', { pixelsPerMicrometre, threshold, borderPer128, reviewThreshold }));
      setStatus({ ok: true, text: 'Saved.' });
      void refreshProject();
    } catch (e) {
      setStatus({ ok: false, text: errorText(e) });
    }
  };
  const side = 480;
  return (
    <div className="page" data-testid="settings-view">
      <div className="page-cols">
        <section className="card">
          <h2>Project settings</h2>
          <label className="field">
            <span>Calibration: pixels per micrometre</span>
            <input type="number" step={0.1} min={0.01} value={form.pixelsPerMicrometre} onChange={(e) => set({ pixelsPerMicrometre: Number(e.target.value) })} data-testid="settings-ppum" />
          </label>
          <p className="muted small">
            {form.pixelsPerMicrometre > 0 ? `1 px = ${(1 / form.pixelsPerMicrometre).toFixed(4)} µm; 1 px² = ${(1 / form.pixelsPerMicrometre ** 2).toFixed(5)} µm². ` : ''}
            CellaVision images: 10.2 px/µm.
          </p>
          <label className="field">
            <span>Probability threshold</span>
            <input type="number" step={0.05} min={0.05} max={0.95} value={form.threshold} onChange={(e) => set({ threshold: Number(e.target.value) })} data-testid="settings-threshold" />
          </label>
          <label className="field">
            <span>Border band for IoU_b (pixels per 128 px of image side)</span>
            <input type="number" step={0.5} min={0} value={form.borderPer128} onChange={(e) => set({ borderPer128: Number(e.target.value) })} data-testid="settings-border" />
          </label>
          <p className="muted small">
            = {((form.borderPer128 * side) / 128).toFixed(1)} px at {side}×{side}, {form.borderPer128.toFixed(1)} px at 128×128.
          </p>
          <label className="field">
            <span>Needs review below confidence</span>
            <input type="number" step={0.05} min={0.05} max={1} value={form.reviewThreshold} onChange={(e) => set({ reviewThreshold: Number(e.target.value) })} data-testid="settings-review-threshold" />
          </label>
          <p className="muted small">Images or cells whose prediction confidence is lower go to the gallery's “Needs review” bucket and are flagged in the CNR report.</p>
          {status && <div className={`banner ${status.ok ? 'ok' : 'error'}`}>{status.text}</div>}
          <div className="row end">
            <button className="btn" onClick={() => set({ pixelsPerMicrometre: DEFAULT_SETTINGS.pixelsPerMicrometre, threshold: DEFAULT_SETTINGS.threshold, borderPer128: DEFAULT_SETTINGS.borderPer128, reviewThreshold: DEFAULT_SETTINGS.reviewThreshold })} data-testid="settings-defaults">
              Defaults
            </button>
            <button className="btn primary" disabled={!valid} onClick={() => void save()} data-testid="settings-save">
              Save settings
            </button>
          </div>
        </section>
        <DisplaySettings />
        <section className="card">
          <h2>About this workstation</h2>
          <table className="table compact">
            <tbody>
              <tr>
                <td>Project file</td>
                <td className="mono">{project?.path}</td>
              </tr>
              <tr>
                <td>Images</td>
                <td>{project?.counts.images}</td>
              </tr>
              <tr>
                <td>Masks</td>
                <td>
                  {project ? `${project.counts.masksByKind['ground-truth']} ground truth · ${project.counts.masksByKind.prediction} predictions · ${project.counts.masksByKind.baseline} baseline` : ''}
                </td>
              </tr>
              <tr>
                <td>Interface</td>
                <td>{app ? `${app.shell === 'web' ? 'browser (web host)' : 'desktop'} · version ${app.version}` : ''}</td>
              </tr>
              <tr>
                <td>ML backend</td>
                <td data-testid="settings-backend">{app?.backend ?? 'not started'}{app?.backendDetail ? ` · ${app.backendDetail}` : ''}</td>
              </tr>
            </tbody>
          </table>
        </section>
      </div>
    </div>
  );
}
