// A uPlot chart's life in a React component: uPlot is loaded (on first use, so the app's first load
// does not carry it) and drawn only where a canvas can draw (not in jsdom); the chart is made anew
// when its shape changes (`shapeKey`: its series, their names, a fixed scale) and otherwise only
// given new data; it follows its box's width (a window resized, a layout changed). The floor's
// trends and the analysis' weekly trend draw with it.
import { useEffect, useRef, useState, type RefObject } from 'react';
import type uPlotType from 'uplot';

/** True where a 2D canvas exists (browsers, Electron); false in jsdom, which has neither canvas nor matchMedia. */
export function canvasAvailable(): boolean {
  if (typeof window === 'undefined' || typeof window.matchMedia !== 'function' || /jsdom/i.test(navigator.userAgent)) return false;
  try {
    return document.createElement('canvas').getContext('2d') !== null;
  } catch {
    return false;
  }
}

/**
 * Draws `data` into `box` with the options `options` makes (given uPlot and the box, for its width
 * and uPlot's helpers). Returns whether the chart is drawn. `data` should keep its identity while its
 * figures do not change (memoise it): each new one is handed to the chart.
 */
export function useUPlot(
  box: RefObject<HTMLDivElement | null>,
  options: (UPlot: typeof uPlotType, target: HTMLDivElement) => uPlotType.Options,
  data: uPlotType.AlignedData,
  shapeKey: string,
): boolean {
  const plot = useRef<uPlotType | null>(null);
  const [drawn, setDrawn] = useState(false);
  const latest = useRef({ options, data });
  latest.current = { options, data };

  useEffect(() => {
    if (!canvasAvailable() || !box.current) return;
    let cancelled = false;
    let resized: ResizeObserver | null = null;
    const target = box.current;
    void import('uplot').then(({ default: UPlot }) => {
      if (cancelled) return;
      plot.current?.destroy();
      plot.current = new UPlot(latest.current.options(UPlot, target), latest.current.data, target);
      setDrawn(true);
      if (typeof ResizeObserver === 'function') {
        resized = new ResizeObserver(() => {
          const { width, height } = latest.current.options(UPlot, target);
          if (plot.current && width !== plot.current.width) plot.current.setSize({ width, height });
        });
        resized.observe(target);
      }
    });
    return () => {
      cancelled = true;
      resized?.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
  }, [box, shapeKey]);

  useEffect(() => {
    plot.current?.setData(data);
  }, [data]);

  return drawn;
}
