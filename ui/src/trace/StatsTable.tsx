import { useMemo, useState } from 'react';
import { serviceColor } from '../colors';
import { formatCount, formatDuration } from '../format';
import type { TraceModel } from './model';
import { operationStats, type OperationStats } from './stats';
import type { TraceTree } from './tree';

type SortKey = 'totalNanos' | 'selfNanos' | 'count' | 'errors' | 'maxNanos';

/** Per operation (service and span name): count, errors, total, self time, average, min and max. */
export function StatsTable({ model, tree, version, onFind }: { model: TraceModel; tree: TraceTree; version: number; onFind: (text: string) => void }) {
  const [sort, setSort] = useState<SortKey>('totalNanos');
  const stats = useMemo(() => operationStats(model, tree), [model, tree, version]);
  const sorted = useMemo(() => [...stats].sort((a, b) => b[sort] - a[sort]), [stats, sort]);
  const header = (key: SortKey, label: string) => (
    <th className="num">
      <button type="button" className="link-button" onClick={() => setSort(key)} aria-pressed={sort === key}>
        {label}
        {sort === key ? ' ↓' : ''}
      </button>
    </th>
  );
  return (
    <table className="stats">
      <thead>
        <tr>
          <th>Service</th>
          <th>Operation</th>
          {header('count', 'Count')}
          {header('errors', 'Errors')}
          {header('totalNanos', 'Total')}
          {header('selfNanos', 'Self')}
          <th className="num">Average</th>
          <th className="num">Min</th>
          {header('maxNanos', 'Max')}
        </tr>
      </thead>
      <tbody>
        {sorted.map((s: OperationStats) => (
          <tr key={`${s.service}\u0000${s.name}`}>
            <td>
              <span className="swatch" style={{ background: serviceColor(s.service) }} />
              {s.service}
            </td>
            <td>
              <button type="button" className="link-button" onClick={() => onFind(s.name)} title="Find these spans in the waterfall">
                {s.name}
              </button>
            </td>
            <td className="num">{formatCount(s.count)}</td>
            <td className={s.errors ? 'num error-text' : 'num'}>{formatCount(s.errors)}</td>
            <td className="num">{formatDuration(s.totalNanos)}</td>
            <td className="num">{formatDuration(s.selfNanos)}</td>
            <td className="num">{formatDuration(Math.round(s.totalNanos / s.count))}</td>
            <td className="num">{formatDuration(s.minNanos)}</td>
            <td className="num">{formatDuration(s.maxNanos)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
