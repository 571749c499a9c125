import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { getCriticalPath, getTraceHealth } from '../api/analysis';
import { useApi } from '../api/useApi';
import { ErrorPanel } from '../components/ErrorPanel';
import { Skeleton } from '../components/Skeleton';
import { serviceColor } from '../colors';
import { formatCount, formatDuration, formatTimestamp } from '../format';
import { markCriticalPath } from '../trace/criticalPath';
import { findSpans } from '../trace/find';
import { FlameGraph } from '../trace/FlameGraph';
import { HealthPanel } from '../trace/HealthPanel';
import { expandTo, rowOf, visibleRows } from '../trace/layout';
import { Minimap } from '../trace/Minimap';
import { nameOf, serviceOf, StatusError } from '../trace/model';
import { SpanDetail } from '../trace/SpanDetail';
import { StatsTable } from '../trace/StatsTable';
import { useTraceOutline } from '../trace/useTraceOutline';
import { useWidth } from '../trace/useWidth';
import { NameColumnWidth, Waterfall } from '../trace/Waterfall';
import { MaxCollapsedInUrl, parseTraceState, traceStateToParams, type TraceViewState } from '../url/traceState';

/** One trace: header, health, and the waterfall, flame graph or statistics; every choice is in the URL. */
export function TracePage() {
  const traceId = (useParams().traceId ?? '').toLowerCase();
  // A new trace (a followed link) starts from a clean page: collapsed spans and find are per trace.
  return <TraceView key={traceId} traceId={traceId} />;
}

function TraceView({ traceId }: { traceId: string }) {
  const [params, setParams] = useSearchParams();
  const urlState = useMemo(() => parseTraceState(params), [params]);
  const outline = useTraceOutline(traceId);
  const { model, tree, version } = outline;
  const loaded = outline.done;

  const health = useApi(loaded ? `health/${traceId}` : null, (signal) => getTraceHealth(traceId, signal));
  const criticalPath = useApi(loaded ? `critical/${traceId}` : null, (signal) => getCriticalPath(traceId, signal));

  // Span id → outline index for the ids the analyses name (found in one pass once the outline is
  // in: a Map of a million ids would cost more than the page), plus every span the page selected.
  const knownIndex = useRef(new Map<string, number>());
  const fromUrl = useRef([...urlState.collapsed, ...(urlState.span ? [urlState.span] : [])]);
  const spanIndex = useMemo(() => {
    if (!model || !loaded) return null;
    const wanted = new Set<string>(fromUrl.current);
    if (criticalPath.status === 'ok') for (const s of criticalPath.data.segments) wanted.add(s.spanId);
    if (criticalPath.status === 'ok') for (const s of criticalPath.data.spans) wanted.add(s.spanId);
    if (health.status === 'ok') {
      for (const s of health.data.skewAdjustments) wanted.add(s.spanId);
      for (const f of health.data.findings) for (const id of f.spanIds) wanted.add(id);
    }
    const map = new Map<string, number>();
    if (wanted.size > 0) {
      for (let i = 0; i < model.count; i++) {
        const id = model.spanIds[i]!;
        if (wanted.has(id) && !map.has(id)) map.set(id, i);
      }
    }
    return map;
  }, [model, loaded, criticalPath, health]);
  const indexOfSpan = useCallback(
    (id: string | undefined) => {
      if (!id || !model) return -1;
      const known = knownIndex.current.get(id) ?? spanIndex?.get(id);
      if (known !== undefined) return known;
      const found = model.spanIds.indexOf(id);
      if (found >= 0) knownIndex.current.set(id, found);
      return found;
    },
    [model, spanIndex],
  );
  const rememberIndex = (id: string, index: number) => {
    if (knownIndex.current.size > 10_000) knownIndex.current.clear();
    knownIndex.current.set(id, index);
  };

  const critical = useMemo(
    () => (criticalPath.status === 'ok' && spanIndex && model ? markCriticalPath(criticalPath.data, spanIndex, model.count, model.startTimeUnixNano) : null),
    [criticalPath, spanIndex, model],
  );
  const skew = useMemo(() => {
    const map = new Map<number, string>();
    if (health.status === 'ok' && spanIndex) for (const s of health.data.skewAdjustments) if (spanIndex.has(s.spanId)) map.set(spanIndex.get(s.spanId)!, s.message);
    return map;
  }, [health, spanIndex]);

  // Collapsed spans are kept by index here and by span id in the URL.
  const [collapsed, setCollapsed] = useState<ReadonlySet<number>>(new Set());
  const collapsedFromUrl = useRef(false);
  useEffect(() => {
    if (collapsedFromUrl.current || !loaded || !model) return;
    collapsedFromUrl.current = true;
    const set = new Set<number>();
    for (const id of urlState.collapsed) {
      const i = indexOfSpan(id);
      if (i >= 0) set.add(i);
    }
    if (set.size > 0) setCollapsed(set);
  }, [loaded, model, urlState.collapsed, indexOfSpan]);

  // Changes merge into the URL as it is when they apply, so quick successive changes do not undo each other.
  // (react-router hands a function form the params of the last render, so the latest are kept here.)
  const latestParams = useRef(params);
  useEffect(() => {
    latestParams.current = params;
  }, [params]);
  const update = useCallback(
    (change: Partial<TraceViewState>) => {
      const next = traceStateToParams({ ...parseTraceState(latestParams.current), ...change });
      latestParams.current = next;
      setParams(next, { replace: true });
    },
    [setParams],
  );

  const rows = useMemo(() => (tree ? visibleRows(tree, collapsed) : new Int32Array(0)), [tree, collapsed, version]);
  // The selection is kept here and written to the URL: a held arrow key moves faster than the URL updates.
  const [selectedId, setSelectedId] = useState(urlState.span);
  useEffect(() => setSelectedId(urlState.span), [urlState.span]);
  const selected = indexOfSpan(selectedId);
  const selectId = useCallback(
    (id: string | undefined) => {
      setSelectedId(id);
      update({ span: id });
    },
    [update],
  );
  const [detailOpen, setDetailOpen] = useState(true);
  const [scrollTo, setScrollTo] = useState<{ row: number; nonce: number } | null>(null);
  const zoom = urlState.window ?? { from: 0, to: Math.max(1, model?.durationNanos ?? 1) };

  const setCollapsedAndUrl = useCallback(
    (next: ReadonlySet<number>) => {
      setCollapsed(next);
      if (model) update({ collapsed: next.size <= MaxCollapsedInUrl ? [...next].map((i) => model.spanIds[i]!) : [] });
    },
    [model, update],
  );

  const select = useCallback(
    (span: number, scroll = false) => {
      if (!model || !tree || span < 0) return;
      const revealed = expandTo(tree, collapsed, span);
      if (revealed !== collapsed) setCollapsedAndUrl(revealed);
      rememberIndex(model.spanIds[span]!, span);
      selectId(model.spanIds[span]);
      if (scroll) {
        const visible = revealed === collapsed ? rows : visibleRows(tree, revealed);
        setScrollTo({ row: rowOf(tree, visible, span), nonce: Date.now() });
      }
    },
    [model, tree, collapsed, rows, selectId, setCollapsedAndUrl],
  );

  const toggle = useCallback(
    (span: number) => {
      const next = new Set(collapsed);
      if (!next.delete(span)) next.add(span);
      setCollapsedAndUrl(next);
    },
    [collapsed, setCollapsedAndUrl],
  );

  // Find within the trace.
  const findInput = useRef<HTMLInputElement>(null);
  const [findText, setFindText] = useState(urlState.find ?? '');
  const matches = useMemo(() => (model && tree && urlState.find ? findSpans(model, tree, urlState.find) : null), [model, tree, urlState.find, version]);
  const matchMarks = useMemo(() => {
    if (!matches || !model) return null;
    const marks = new Uint8Array(model.total);
    for (const i of matches) marks[i] = 1;
    return marks;
  }, [matches, model]);
  const step = (direction: 1 | -1) => {
    if (!matches || matches.length === 0 || !tree) return;
    const current = selected >= 0 ? tree.position[selected]! : -1;
    let k = direction > 0 ? matches.findIndex((i) => tree.position[i]! > current) : findLastIndex(matches, (i) => tree.position[i]! < current);
    if (k < 0) k = direction > 0 ? 0 : matches.length - 1;
    select(matches[k]!, true);
  };
  const matchNumber = matches && selected >= 0 ? matches.indexOf(selected) + 1 : 0;

  const onKey = (event: React.KeyboardEvent) => {
    if (!tree || !model || rows.length === 0) return;
    const row = selected >= 0 ? rowOf(tree, rows, selected) : -1;
    const moveTo = (r: number) => {
      const clamped = Math.max(0, Math.min(rows.length - 1, r));
      const span = rows[clamped]!;
      rememberIndex(model.spanIds[span]!, span);
      selectId(model.spanIds[span]);
      setScrollTo({ row: clamped, nonce: Date.now() });
    };
    switch (event.key) {
      case 'ArrowDown':
        moveTo(row + 1);
        break;
      case 'ArrowUp':
        moveTo(row < 0 ? 0 : row - 1);
        break;
      case 'ArrowLeft':
        if (selected < 0) return;
        if (tree.childCount[selected]! > 0 && !collapsed.has(selected)) toggle(selected);
        else if (tree.parent[selected]! >= 0) select(tree.parent[selected]!, true);
        break;
      case 'ArrowRight':
        if (selected < 0) return;
        if (collapsed.has(selected)) toggle(selected);
        else if (tree.childCount[selected]! > 0) moveTo(row + 1);
        break;
      case 'Enter':
        setDetailOpen((open) => !open);
        break;
      case 'PageDown':
        moveTo(row + 20);
        break;
      case 'PageUp':
        moveTo(row - 20);
        break;
      case 'Home':
        moveTo(0);
        break;
      case 'End':
        moveTo(rows.length - 1);
        break;
      default:
        return;
    }
    event.preventDefault();
  };

  useEffect(() => {
    const onSlash = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      if (event.key === '/' && !(target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement)) {
        event.preventDefault();
        findInput.current?.focus();
      }
    };
    window.addEventListener('keydown', onSlash);
    return () => window.removeEventListener('keydown', onSlash);
  }, []);

  const header = useMemo(() => {
    if (!model || !tree) return null;
    let errors = 0;
    const perService = new Int32Array(model.services.length);
    for (let i = 0; i < tree.count; i++) {
      if (model.statuses[i] === StatusError) errors++;
      perService[model.serviceIndexes[i]!]!++;
    }
    const services = model.services.map((name, k) => [name, perService[k]!] as const).filter(([, n]) => n > 0);
    const root = tree.count > 0 ? tree.order[0]! : -1;
    return { errors, services: services.sort((a, b) => b[1] - a[1]), root };
  }, [model, tree, version]);

  const [minimapFrame, minimapFrameWidth] = useWidth<HTMLDivElement>();
  const minimapWidth = Math.max(100, minimapFrameWidth - NameColumnWidth - 16);

  if (outline.error) return <ErrorPanel error={outline.error} onRetry={outline.retry} what={`trace ${traceId}`} />;
  if (!model || !tree || !header) {
    return (
      <section>
        <h1 className="mono">Trace {traceId}</h1>
        <Skeleton rows={12} label="Loading trace" />
      </section>
    );
  }

  return (
    <section className="trace-page">
      <header className="trace-header">
        <h1>
          {header.root >= 0 && (
            <>
              <span className="swatch" style={{ background: serviceColor(serviceOf(model, header.root)) }} />
              {serviceOf(model, header.root)}: {nameOf(model, header.root)}
            </>
          )}
        </h1>
        <dl className="facts">
          <div>
            <dt>Trace</dt>
            <dd className="mono">{traceId}</dd>
          </div>
          <div>
            <dt>Start</dt>
            <dd>{formatTimestamp(model.startTimeUnixNano)}</dd>
          </div>
          <div>
            <dt>Duration</dt>
            <dd>{formatDuration(model.durationNanos)}</dd>
          </div>
          <div>
            <dt>Spans</dt>
            <dd>
              {formatCount(tree.count)}
              {!loaded && ` of ${formatCount(model.total)} (loading…)`}
            </dd>
          </div>
          <div>
            <dt>Errors</dt>
            <dd className={header.errors ? 'error-text' : undefined}>{formatCount(header.errors)}</dd>
          </div>
          <div>
            <dt>Depth</dt>
            <dd>{tree.maxDepth + 1}</dd>
          </div>
          <div>
            <dt>Services</dt>
            <dd>
              {header.services.slice(0, 12).map(([service, count]) => (
                <span key={service} className="service-chip" title={`${count} spans`}>
                  <span className="swatch" style={{ background: serviceColor(service) }} />
                  {service} <span className="muted">{formatCount(count)}</span>
                </span>
              ))}
              {header.services.length > 12 && <span className="muted"> +{header.services.length - 12} more</span>}
            </dd>
          </div>
        </dl>
        <p className="muted">
          <Link to={`/compare?left=${traceId}&right=typical`}>Compare with the typical trace</Link>
        </p>
      </header>

      <HealthPanel health={health} onShowSpan={(id) => select(indexOfSpan(id), true)} />
      {criticalPath.status === 'error' && criticalPath.error.status !== 404 && <p className="muted">Critical path unavailable: {criticalPath.error.message}</p>}

      <div className="trace-toolbar">
        <div className="tabs" role="tablist">
          {(['waterfall', 'flame', 'stats'] as const).map((view) => (
            <button key={view} type="button" role="tab" aria-selected={urlState.view === view} onClick={() => update({ view })}>
              {view === 'waterfall' ? 'Waterfall' : view === 'flame' ? 'Flame graph' : 'Operations'}
            </button>
          ))}
        </div>
        <form
          className="find"
          onSubmit={(event) => {
            event.preventDefault();
            if (findText !== (urlState.find ?? '')) update({ find: findText || undefined });
            else step(1);
          }}
        >
          <input
            ref={findInput}
            type="search"
            placeholder="Find span (name, service, id)  /"
            aria-label="Find in trace"
            value={findText}
            onChange={(event) => setFindText(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === 'Enter' && event.shiftKey) {
                event.preventDefault();
                step(-1);
              }
            }}
          />
          {matches && (
            <span className="muted">
              {matchNumber > 0 ? `${matchNumber} of ` : ''}
              {formatCount(matches.length)} found
            </span>
          )}
          <button type="button" onClick={() => step(-1)} disabled={!matches?.length} aria-label="Previous match">
            ↑
          </button>
          <button type="button" onClick={() => step(1)} disabled={!matches?.length} aria-label="Next match">
            ↓
          </button>
        </form>
        {urlState.window && (
          <button type="button" onClick={() => update({ window: undefined })}>
            Reset zoom
          </button>
        )}
      </div>

      <div className="trace-main">
        <div className="trace-views">
          {urlState.view !== 'stats' && (
            <div className="minimap-row" ref={minimapFrame}>
              <div style={{ width: NameColumnWidth }} className="muted small">
                {critical ? <span className="legend critical">critical path</span> : null}
              </div>
              <Minimap model={model} tree={tree} version={version} width={minimapWidth} window={zoom} onZoom={(window) => update({ window })} />
            </div>
          )}
          {urlState.view === 'waterfall' && (
            <Waterfall
              model={model}
              tree={tree}
              version={version}
              rows={rows}
              collapsed={collapsed}
              selected={selected}
              window={zoom}
              critical={critical}
              matches={matchMarks}
              skew={skew}
              scrollTo={scrollTo}
              onSelect={(span) => {
                select(span);
                setDetailOpen(true);
              }}
              onToggle={toggle}
              onKey={onKey}
            />
          )}
          {urlState.view === 'flame' && <FlameGraph model={model} tree={tree} version={version} window={zoom} selected={selected} onSelect={(span) => select(span)} />}
          {urlState.view === 'stats' && (
            <StatsTable
              model={model}
              tree={tree}
              version={version}
              onFind={(text) => {
                setFindText(text);
                update({ find: text, view: 'waterfall' });
              }}
            />
          )}
        </div>
        {selected >= 0 && detailOpen && (
          <SpanDetail
            traceId={traceId}
            spanId={model.spanIds[selected]!}
            criticalNanos={critical?.criticalNanos.get(selected)}
            skewMessage={skew.get(selected)}
            onClose={() => setDetailOpen(false)}
          />
        )}
      </div>
    </section>
  );
}

function findLastIndex(items: Int32Array, predicate: (item: number) => boolean): number {
  for (let k = items.length - 1; k >= 0; k--) if (predicate(items[k]!)) return k;
  return -1;
}
