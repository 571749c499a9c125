import { useState } from 'react';
import { Link } from 'react-router';
import { compareTraces } from '../../api/analysis';
import type { CompareSide } from '../../api/types';
import { useApi } from '../../api/useApi';
import { ErrorPanel } from '../../components/ErrorPanel';
import { Skeleton } from '../../components/Skeleton';
import { formatCount, formatDuration } from '../../format';
import { useUrlState } from '../shared/urlState';
import { changeCounts, diffRows, normalizeOther, normalizeTraceId } from './diffRows';
import './compare.css';

const changeLabel = { added: 'only right', removed: 'only left', changed: 'changed', same: 'same' } as const;

/** Two traces (or one and the typical trace of its root operation) side by side, with their structural diff. */
export function ComparePage() {
  const { get, patch } = useUrlState();
  const left = normalizeTraceId(get('left'));
  const right = normalizeOther(get('right'));
  const changesOnly = get('all') !== '1';
  const [leftText, setLeftText] = useState(get('left'));
  const [rightText, setRightText] = useState(get('right') || 'typical');
  const [formError, setFormError] = useState('');

  const key = left && right ? `${left}/${right}` : null;
  const diff = useApi(key, (signal) => compareTraces(left ?? '', right ?? '', {}, signal));

  return (
    <section className="compare-page">
      <h1>Compare traces</h1>
      <form
        className="toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          const l = normalizeTraceId(leftText);
          const r = normalizeOther(rightText);
          if (!l) return setFormError(`Left: '${leftText}' is not a trace id (32 hex digits).`);
          if (!r) return setFormError(`Right: '${rightText}' is neither a trace id (32 hex digits) nor the word typical.`);
          setFormError('');
          patch({ left: l, right: r });
        }}
      >
        <label className="field">
          Left trace
          <input className="mono trace-id-input" name="left" value={leftText} onChange={(e) => setLeftText(e.target.value)} placeholder="trace id" />
        </label>
        <label className="field">
          Right trace (or “typical”)
          <input className="mono trace-id-input" name="right" value={rightText} onChange={(e) => setRightText(e.target.value)} placeholder="trace id or typical" />
        </label>
        <button type="submit" className="primary">
          Compare
        </button>
        <label className="checkbox">
          <input type="checkbox" checked={changesOnly} onChange={(e) => patch({ all: e.target.checked ? undefined : '1' })} /> Changes only
        </label>
      </form>
      {formError && (
        <p className="error-text" role="alert">
          {formError}
        </p>
      )}
      {!key && <p className="muted">Enter two trace ids, or one and “typical” to compare it with the usual shape of its root operation.</p>}
      {diff.status === 'loading' && key && <Skeleton rows={8} label="Comparing" />}
      {diff.status === 'error' && <ErrorPanel error={diff.error} onRetry={diff.retry} what="the comparison" />}
      {diff.status === 'ok' && (
        <>
          <div className="compare-sides">
            <SideSummary title="Left" side={diff.data.left} />
            <SideSummary title="Right" side={diff.data.right} />
          </div>
          <Summary counts={changeCounts(diff.data.operations)} />
          <table className="compare-table">
            <thead>
              <tr>
                <th>Operation</th>
                <th>Change</th>
                <th className="num">Left spans</th>
                <th className="num">Left time</th>
                <th className="num">Right spans</th>
                <th className="num">Right time</th>
                <th className="num">Δ time</th>
              </tr>
            </thead>
            <tbody>
              {diffRows(diff.data.operations, changesOnly).map((row) => (
                <tr key={row.key} className={`change-${row.change}`} data-change={row.change}>
                  <td style={{ paddingLeft: 8 + row.depth * 16 }}>
                    <span className="muted">{row.service}: </span>
                    {row.name}
                  </td>
                  <td>
                    <span className={`badge change-badge-${row.change}`}>{changeLabel[row.change]}</span>
                  </td>
                  <td className="num">{row.leftCount}</td>
                  <td className="num">{row.leftCount > 0 ? formatDuration(row.leftDurationNanos) : ''}</td>
                  <td className="num">
                    {row.rightCount} {row.countDelta && <span className="muted">({row.countDelta})</span>}
                  </td>
                  <td className="num">{row.rightCount > 0 ? formatDuration(row.rightDurationNanos) : ''}</td>
                  <td className="num">{row.durationDeltaNanos === 0 ? '' : `${row.durationDeltaNanos > 0 ? '+' : ''}${formatDuration(row.durationDeltaNanos)}`}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

function SideSummary({ title, side }: { title: string; side: CompareSide }) {
  return (
    <div className="compare-side">
      <h2>{title}</h2>
      <p>
        {side.traceId ? (
          <Link className="mono" to={`/trace/${side.traceId}`}>
            {side.traceId}
          </Link>
        ) : (
          <span>typical of {formatCount(side.sampleCount ?? 0)} recent traces</span>
        )}
      </p>
      <p>
        {side.rootService}: {side.rootName}
      </p>
      <p className="muted">
        {formatDuration(side.durationNanos)} · {formatCount(side.spanCount)} spans
      </p>
    </div>
  );
}

function Summary({ counts }: { counts: ReturnType<typeof changeCounts> }) {
  if (counts.added + counts.removed + counts.changed === 0) return <p>Same structure: every operation appears as often and takes about as long.</p>;
  return (
    <p>
      {counts.added} operations only on the right, {counts.removed} only on the left, {counts.changed} changed in count or time by more than 10 %.
    </p>
  );
}
