import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useRef } from 'react';
import { serviceColor } from '../colors';
import { formatDuration } from '../format';
import type { CriticalPathMarks } from './criticalPath';
import { MissingParentFlag, nameOf, serviceOf, StatusError, type TraceModel } from './model';
import { TimeRuler } from './TimeRuler';
import type { TraceTree } from './tree';
import { useWidth } from './useWidth';

export const NameColumnWidth = 380;
const RowHeight = 24;
const IndentPx = 14;
// Past this depth rows stop moving right (a chain a thousand deep would leave the screen) and show their depth.
const MaxIndentDepth = 24;

export interface WaterfallProps {
  model: TraceModel;
  tree: TraceTree;
  version: number;
  rows: Int32Array;
  collapsed: ReadonlySet<number>;
  selected: number;
  window: { from: number; to: number };
  critical: CriticalPathMarks | null;
  matches: Uint8Array | null;
  skew: ReadonlyMap<number, string>;
  /** Row to bring into view (changes when keyboard or find moves the selection). */
  scrollTo: { row: number; nonce: number } | null;
  onSelect: (span: number) => void;
  onToggle: (span: number) => void;
  onKey: (event: React.KeyboardEvent) => void;
}

/** The virtualized waterfall: only the rows on screen are in the DOM, so a million rows scroll like ten. */
export function Waterfall(props: WaterfallProps) {
  const { rows, window: zoom, scrollTo } = props;
  const scroller = useRef<HTMLDivElement>(null);
  const [frame, width] = useWidth<HTMLDivElement>();
  const timelineWidth = Math.max(100, width - NameColumnWidth - 16);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => RowHeight,
    overscan: 12,
  });

  useEffect(() => {
    if (scrollTo && scrollTo.row >= 0) virtualizer.scrollToIndex(scrollTo.row, { align: 'auto' });
  }, [scrollTo, virtualizer]);

  return (
    <div className="waterfall" ref={frame}>
      <div className="waterfall-header">
        <div className="name-column muted" style={{ width: NameColumnWidth }}>
          Service and operation
        </div>
        <TimeRuler from={zoom.from} to={zoom.to} width={timelineWidth} />
      </div>
      <div
        className="waterfall-body"
        ref={scroller}
        tabIndex={0}
        role="tree"
        aria-label="Spans"
        onKeyDown={props.onKey}
      >
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => (
            <Row key={item.key} {...props} span={rows[item.index]!} top={item.start} timelineWidth={timelineWidth} />
          ))}
        </div>
      </div>
    </div>
  );
}

type RowProps = WaterfallProps & { span: number; top: number; timelineWidth: number };

const Row = memo(function Row({ model, tree, span, top, timelineWidth, collapsed, selected, window: zoom, critical, matches, skew, onSelect, onToggle }: RowProps) {
  const depth = tree.depth[span]!;
  const service = serviceOf(model, span);
  const name = nameOf(model, span);
  const start = model.starts[span]!;
  const duration = model.durations[span]!;
  const range = Math.max(1, zoom.to - zoom.from);
  const left = ((start - zoom.from) / range) * timelineWidth;
  const barWidth = Math.max(1, (duration / range) * timelineWidth);
  const error = model.statuses[span] === StatusError;
  const onPath = critical?.onPath[span] === 1;
  const skewMessage = skew.get(span);
  const missingParent = (model.flags[span]! & MissingParentFlag) !== 0;
  const children = tree.childCount[span]!;
  const isCollapsed = collapsed.has(span);
  const className = ['wf-row', span === selected ? 'selected' : '', matches?.[span] ? 'match' : '', error ? 'error' : ''].join(' ');
  const indent = Math.min(depth, MaxIndentDepth) * IndentPx;
  const labelPlace = left + barWidth + 70 < timelineWidth ? 'after' : barWidth > 80 ? 'inside' : 'before';

  return (
    <div
      className={className}
      style={{ top, height: RowHeight }}
      role="treeitem"
      aria-selected={span === selected}
      aria-expanded={children > 0 ? !isCollapsed : undefined}
      aria-level={depth + 1}
      onClick={() => onSelect(span)}
    >
      <div className="name-column" style={{ width: NameColumnWidth, paddingLeft: indent + 4 }}>
        {children > 0 ? (
          <button
            type="button"
            className="toggle"
            aria-label={isCollapsed ? `Expand ${children} children` : 'Collapse'}
            onClick={(event) => {
              event.stopPropagation();
              onToggle(span);
            }}
          >
            {isCollapsed ? '▸' : '▾'}
          </button>
        ) : (
          <span className="toggle-spacer" />
        )}
        {depth > MaxIndentDepth && <span className="depth-badge">{depth}</span>}
        <span className="swatch" style={{ background: serviceColor(service) }} />
        <span className="service">{service}</span> <span className="span-name">{name}</span>
        {isCollapsed && <span className="muted"> (+{tree.size[span]! - 1})</span>}
        {error && <span className="flag error-text" title="Status: error"> ●</span>}
        {missingParent && <span className="flag warning" title="Its parent span never arrived"> ⚠</span>}
        {skewMessage && <span className="flag warning" title={skewMessage}> ⇄</span>}
      </div>
      <div className="timeline" style={{ width: timelineWidth }}>
        {left + barWidth >= 0 && left <= timelineWidth && (
          <div
            className={onPath ? 'bar critical' : 'bar'}
            style={{ left, width: barWidth, background: error ? 'var(--error)' : serviceColor(service) }}
          >
            {onPath &&
              critical?.slices.get(span)?.map(([from, to], k) => (
                <span key={k} className="critical-slice" style={{ left: ((from - start) / range) * timelineWidth, width: Math.max(1, ((to - from) / range) * timelineWidth) }} />
              ))}
          </div>
        )}
        <span className={labelPlace === 'inside' ? 'bar-label inside' : 'bar-label'} style={labelStyle(labelPlace, left, barWidth, timelineWidth)}>
          {formatDuration(duration)}
        </span>
      </div>
    </div>
  );
});

/** The duration label goes after the bar, or inside its right end, or before it, whichever fits. */
function labelStyle(place: 'after' | 'inside' | 'before', left: number, barWidth: number, timelineWidth: number): React.CSSProperties {
  if (place === 'after') return { left: Math.max(0, left + barWidth + 4) };
  if (place === 'inside') return { right: Math.max(4, timelineWidth - (left + barWidth) + 4) };
  return { right: Math.min(timelineWidth - 60, timelineWidth - left + 4) };
}
