import type { ImportReport } from '../../../shared/domain';

function isReport(v: unknown): v is ImportReport {
  return typeof v === 'object' && v !== null && 'imported' in v && 'skipped' in v;
}

export function ImportReportView({ report }: { report: unknown }) {
  if (!isReport(report)) return <pre className="raw">{JSON.stringify(report, null, 2)}</pre>;
  return (
    <div className="import-report" data-testid="import-report">
      <div className="stat-row">
        <div className="stat">
          <span className="stat-value" data-testid="import-imported">
            {report.imported}
          </span>
          <span className="stat-label">imported</span>
        </div>
        <div className="stat">
          <span className="stat-value" data-testid="import-duplicates">
            {report.duplicates}
          </span>
          <span className="stat-label">duplicates (already in project)</span>
        </div>
        <div className="stat">
          <span className="stat-value" data-testid="import-masks">
            {report.masksImported}
          </span>
          <span className="stat-label">masks as ground truth</span>
        </div>
        <div className="stat">
          <span className={`stat-value ${report.skipped.length ? 'warn' : ''}`} data-testid="import-skipped-count">
            {report.skipped.length}
          </span>
          <span className="stat-label">skipped</span>
        </div>
      </div>
      {report.skipped.length > 0 && (
        <>
          <h3>Skipped files</h3>
          <table className="table compact" data-testid="import-skipped">
            <thead>
              <tr>
                <th>File</th>
                <th>Reason</th>
              </tr>
            </thead>
            <tbody>
              {report.skipped.map((s, i) => (
                <tr key={i}>
                  <td className="mono">{s.file}</td>
                  <td>{s.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {report.notes.length > 0 && (
        <>
          <h3>Notes</h3>
          <table className="table compact" data-testid="import-notes">
            <tbody>
              {report.notes.map((n, i) => (
                <tr key={i}>
                  <td className="mono">{n.file}</td>
                  <td>{n.note}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </div>
  );
}
