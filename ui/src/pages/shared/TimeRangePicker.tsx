import { useState } from 'react';
import { relativeChoices, type RangeChoice } from './timeRange';

/** Last 5 min … 7 days, or a custom start and end (Unix ns or RFC 3339, as the API takes them). */
export function TimeRangePicker({ range, onChange }: { range: RangeChoice; onChange: (range: RangeChoice) => void }) {
  const [start, setStart] = useState(range.kind === 'absolute' ? range.start : '');
  const [end, setEnd] = useState(range.kind === 'absolute' ? range.end : '');
  const value = range.kind === 'absolute' ? 'custom' : range.last;
  return (
    <>
      <label className="field">
        Time range
        <select
          value={value}
          aria-label="Time range"
          onChange={(e) => {
            if (e.target.value !== 'custom') onChange({ kind: 'relative', last: e.target.value });
            else if (start && end) onChange({ kind: 'absolute', start, end });
            else onChange({ kind: 'absolute', start: new Date(Date.now() - 3_600_000).toISOString(), end: new Date().toISOString() });
          }}
        >
          {relativeChoices.map((last) => (
            <option key={last} value={last}>
              Last {last}
            </option>
          ))}
          <option value="custom">Custom…</option>
        </select>
      </label>
      {range.kind === 'absolute' && (
        <form
          className="toolbar inline"
          onSubmit={(e) => {
            e.preventDefault();
            onChange({ kind: 'absolute', start, end });
          }}
        >
          <label className="field">
            Start
            <input value={start} onChange={(e) => setStart(e.target.value)} placeholder="2024-05-01T12:00:00Z" />
          </label>
          <label className="field">
            End
            <input value={end} onChange={(e) => setEnd(e.target.value)} placeholder="2024-05-01T13:00:00Z" />
          </label>
          <button type="submit">Apply</button>
        </form>
      )}
    </>
  );
}
