import { useCallback } from 'react';
import { useSearchParams } from 'react-router';
import { readRange, writeRange, type RangeChoice } from './timeRange';

/** The page's time range from the URL, and a setter that writes it back (keeping the other parameters). */
export function useRange(): [RangeChoice, (range: RangeChoice) => void] {
  const [params, setParams] = useSearchParams();
  const range = readRange(params);
  const setRange = useCallback(
    (next: RangeChoice) => setParams((current) => writeRange(new URLSearchParams(current), next)),
    [setParams],
  );
  return [range, setRange];
}
