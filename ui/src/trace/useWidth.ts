import { useCallback, useEffect, useState } from 'react';

/**
 * The content width of an element, kept current as it resizes. Returns a callback ref, so the
 * width follows an element that mounts later (after loading) or is replaced.
 */
export function useWidth<T extends HTMLElement>(): [(element: T | null) => void, number] {
  const [element, setElement] = useState<T | null>(null);
  const [width, setWidth] = useState(0);
  useEffect(() => {
    if (!element) return;
    setWidth(element.clientWidth);
    const observer = new ResizeObserver(() => setWidth(element.clientWidth));
    observer.observe(element);
    return () => observer.disconnect();
  }, [element]);
  return [useCallback((e: T | null) => setElement(e), []), width];
}
