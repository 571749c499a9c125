import { useState } from 'react';
import { Link } from 'react-router';
import { getTriage } from '../../api/analysis';
import { getOperations, getServices } from '../../api/native';
import { useApi } from '../../api/useApi';
import { ErrorPanel } from '../../components/ErrorPanel';
import { Skeleton } from '../../components/Skeleton';
import { formatCount } from '../../format';
import { rangeKey, toApiRange } from '../shared/timeRange';
import { TimeRangePicker } from '../shared/TimeRangePicker';
import { useRange } from '../shared/useRange';
import { useUrlState } from '../shared/urlState';
import { parseSelection, selectionParam, triageRows, type SelectionMode } from './triageRows';
import './triage.css';

const defaults = { baseline: 'rest' };

/** Which attribute values set a selection of spans (errors, slow ones, a TraceQL filter) apart from the baseline. */
export function TriagePage() {
  const { get, patch } = useUrlState(defaults);
  const [range, setRange] = useRange();
  const service = get('service');
  const operation = get('operation');
  const baseline = get('baseline') === 'previous' ? 'previous' : 'rest';
  const selection = get('selection');

  const [form, setForm] = useState(() => parseSelection(selection));
  const [problem, setProblem] = useState('');
  const services = useApi('services', (signal) => getServices(signal));
  const operations = useApi(service ? `operations:${service}` : null, (signal) => getOperations(service, signal));

  const key = selection ? `${selection}|${service}|${operation}|${baseline}|${rangeKey(range)}` : null;
  const triage = useApi(key, (signal) =>
    getTriage({ selection, service: service || undefined, operation: operation || undefined, baseline, ...toApiRange(range, Date.now()) }, signal),
  );

  const run = (mode: SelectionMode, text: string) => {
    const param = selectionParam({ mode, text });
    if ('problem' in param) {
      setProblem(param.problem);
      return;
    }
    setProblem('');
    patch({ selection: param.value });
  };

  return (
    <section className="triage-page">
      <h1>Triage</h1>
      <form
        className="toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          run(form.mode, form.text);
        }}
      >
        <label className="field">
          Service
          <select value={service} onChange={(e) => patch({ service: e.target.value, operation: undefined })} aria-label="Service">
            <option value="">any service</option>
            {services.status === 'ok' && services.data.services.map((name) => <option key={name} value={name}>{name}</option>)}
          </select>
        </label>
        <label className="field">
          Operation
          <select value={operation} onChange={(e) => patch({ operation: e.target.value })} disabled={!service} aria-label="Operation">
            <option value="">any operation</option>
            {operations.status === 'ok' &&
              [...new Set(operations.data.operations.map((op) => op.name))].map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
          </select>
        </label>
        <label className="field">
          Selection
          <select value={form.mode} onChange={(e) => setForm({ mode: e.target.value as SelectionMode, text: e.target.value === 'slow' ? '500ms' : '' })} aria-label="Selection">
            <option value="error">error spans</option>
            <option value="slow">slow spans</option>
            <option value="traceql">TraceQL filter</option>
          </select>
        </label>
        {form.mode !== 'error' && (
          <label className="field">
            {form.mode === 'slow' ? 'At least' : 'Spanset filter'}
            <input
              className={form.mode === 'traceql' ? 'mono traceql-input' : 'mono'}
              value={form.text}
              onChange={(e) => setForm({ ...form, text: e.target.value })}
              placeholder={form.mode === 'slow' ? '500ms' : '{ span.http.response.status_code >= 500 }'}
              aria-label={form.mode === 'slow' ? 'Minimum duration' : 'TraceQL filter'}
            />
          </label>
        )}
        <label className="field">
          Baseline
          <select value={baseline} onChange={(e) => patch({ baseline: e.target.value })} aria-label="Baseline">
            <option value="rest">the other spans</option>
            <option value="previous">the same, just before</option>
          </select>
        </label>
        <TimeRangePicker range={range} onChange={setRange} />
        <button type="submit" className="primary">
          Triage
        </button>
      </form>
      {problem && (
        <p className="error-text" role="alert">
          {problem}
        </p>
      )}
      {!key && <p className="muted">Choose what to explain (error spans, slow spans or a TraceQL filter) and press Triage.</p>}
      {triage.status === 'loading' && key && <Skeleton rows={8} label="Ranking attribute values" />}
      {triage.status === 'error' && <ErrorPanel error={triage.error} onRetry={triage.retry} what="the triage" />}
      {triage.status === 'ok' && (
        <>
          <p>
            <strong>Selection:</strong> {triage.data.selection.description} ({formatCount(triage.data.selection.spanCount)} spans).{' '}
            <strong>Baseline:</strong> {triage.data.baseline.description} ({formatCount(triage.data.baseline.spanCount)} spans).
          </p>
          {triage.data.attributes.length === 0 ? (
            <p className="muted">No attribute value sets the selection apart.</p>
          ) : (
            <table className="triage-table">
              <thead>
                <tr>
                  <th>Attribute value</th>
                  <th>In the selection</th>
                  <th>In the baseline</th>
                </tr>
              </thead>
              <tbody>
                {triageRows(triage.data.attributes).map((row) => (
                  <tr key={row.key} data-attribute={row.attribute}>
                    <td>
                      <Link to={row.searchHref} className="mono" title="Search for traces with this value">
                        {row.label}
                      </Link>
                    </td>
                    <td>
                      <Bar percent={row.selectionPercent} text={row.selectionText} kind="selection" />
                    </td>
                    <td>
                      <Bar percent={row.baselinePercent} text={row.baselineText} kind="baseline" />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}

function Bar({ percent, text, kind }: { percent: number; text: string; kind: 'selection' | 'baseline' }) {
  return (
    <div className="triage-bar">
      <div className={`triage-bar-fill ${kind}`} style={{ width: `${percent}%` }} />
      <span>{text}</span>
    </div>
  );
}
