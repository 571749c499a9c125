import type { OtlpAnyValue, OtlpExportRequest, OtlpKeyValue, OtlpSpan } from '../api/types';

/** An OTLP value as plain text (rendered as text, never as HTML). */
export function anyValueText(value: OtlpAnyValue | undefined): string {
  if (!value) return '';
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.intValue !== undefined) return String(value.intValue);
  if (value.doubleValue !== undefined) return String(value.doubleValue);
  if (value.boolValue !== undefined) return String(value.boolValue);
  if (value.bytesValue !== undefined) return `base64:${value.bytesValue}`;
  if (value.arrayValue) return `[${(value.arrayValue.values ?? []).map(anyValueText).join(', ')}]`;
  if (value.kvlistValue) return `{${(value.kvlistValue.values ?? []).map((kv) => `${kv.key}: ${anyValueText(kv.value)}`).join(', ')}}`;
  return '';
}

export interface SpanDetailData {
  span: OtlpSpan;
  resource: OtlpKeyValue[];
  scope: { name?: string; version?: string };
}

/** Every span in an export request with its resource and scope (a duplicated id gives several). */
export function spansOf(request: OtlpExportRequest): SpanDetailData[] {
  const out: SpanDetailData[] = [];
  for (const rs of request.resourceSpans ?? []) {
    for (const ss of rs.scopeSpans ?? []) {
      for (const span of ss.spans ?? []) out.push({ span, resource: rs.resource?.attributes ?? [], scope: ss.scope ?? {} });
    }
  }
  return out;
}

const kinds = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];
const statuses = ['unset', 'ok', 'error'];

/** OTLP/JSON writes enums as numbers or as proto names (`SPAN_KIND_SERVER`); both read as the short name. */
export function kindName(kind: number | string | undefined): string {
  if (typeof kind === 'number') return kinds[kind] ?? String(kind);
  return (kind ?? 'unspecified').replace(/^SPAN_KIND_/, '').toLowerCase();
}

export function statusName(code: number | string | undefined): string {
  if (typeof code === 'number') return statuses[code] ?? String(code);
  return (code ?? 'unset').replace(/^STATUS_CODE_/, '').toLowerCase();
}

export const kindNames = kinds;
