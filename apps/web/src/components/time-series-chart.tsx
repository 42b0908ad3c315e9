import { useId } from 'react';
import { useElementWidth } from '../hooks/use-element-width.ts';
import { axisTicks, labelIndexes } from '../lib/chart-scale.ts';
import { formatCompact } from '../lib/format.ts';
import './time-series-chart.css';

export interface ChartPoint {
  label: string;
  value: number;
  /** The hover text (an SVG <title>): "Nov 24: 12 replies". */
  tooltip: string;
}

const MARGIN = { top: 12, right: 12, bottom: 28, left: 44 };

/** A bar or line chart over days, drawn as SVG at the container's width, with axes and tooltips. */
export function TimeSeriesChart({
  points,
  kind,
  height = 220,
  label,
}: {
  points: ChartPoint[];
  kind: 'bar' | 'line';
  height?: number;
  label: string;
}) {
  const [ref, width] = useElementWidth<HTMLDivElement>();
  const gradientId = `chart-gradient-${useId().replace(/[^a-zA-Z0-9_-]/g, '')}`;
  const max = Math.max(0, ...points.map((point) => point.value));
  const ticks = axisTicks(max);
  const top = ticks.at(-1) ?? 1;
  const plotWidth = Math.max(1, width - MARGIN.left - MARGIN.right);
  const plotHeight = height - MARGIN.top - MARGIN.bottom;
  const step = plotWidth / Math.max(1, points.length);
  const y = (value: number) => MARGIN.top + plotHeight - (value / top) * plotHeight;
  const xCenter = (index: number) => MARGIN.left + step * index + step / 2;
  const shownLabels = labelIndexes(points.length, Math.max(2, Math.floor(plotWidth / 64)));
  const barWidth = Math.max(2, Math.min(28, step * 0.68));

  const linePath = points
    .map((point, index) => `${index === 0 ? 'M' : 'L'}${xCenter(index)},${y(point.value)}`)
    .join(' ');
  const areaPath =
    points.length > 0 ? `${linePath} L${xCenter(points.length - 1)},${y(0)} L${xCenter(0)},${y(0)} Z` : '';

  return (
    <div ref={ref} className="chart">
      <svg
        width={width}
        height={height}
        role="img"
        aria-label={label}
        className={`chart__svg chart__svg--${kind}`}
      >
        <defs>
          <linearGradient id={gradientId} x1="0" y1="0" x2="0" y2="1">
            <stop offset="0" className="chart__gradient-top" />
            <stop offset="1" className="chart__gradient-bottom" />
          </linearGradient>
        </defs>
        {ticks.map((tick) => (
          <g key={tick}>
            <line
              className="chart__grid"
              x1={MARGIN.left}
              x2={width - MARGIN.right}
              y1={y(tick)}
              y2={y(tick)}
            />
            <text className="chart__axis-label" x={MARGIN.left - 8} y={y(tick)} dy="0.32em" textAnchor="end">
              {formatCompact(tick)}
            </text>
          </g>
        ))}
        {points.map((point, index) =>
          shownLabels.has(index) ? (
            <text
              key={point.label}
              className="chart__axis-label"
              x={xCenter(index)}
              y={height - MARGIN.bottom + 18}
              textAnchor="middle"
            >
              {point.label}
            </text>
          ) : null,
        )}
        {kind === 'bar'
          ? points.map((point, index) => (
              <rect
                key={point.label}
                className="chart__bar"
                x={xCenter(index) - barWidth / 2}
                y={y(point.value)}
                width={barWidth}
                height={Math.max(0, y(0) - y(point.value))}
                rx={Math.min(4, barWidth / 3)}
              >
                <title>{point.tooltip}</title>
              </rect>
            ))
          : null}
        {kind === 'line' && points.length > 0 ? (
          <>
            <path className="chart__area" d={areaPath} fill={`url(#${gradientId})`} />
            <path className="chart__line" d={linePath} />
            {points.map((point, index) => (
              <g key={point.label} className="chart__point">
                <rect
                  x={xCenter(index) - step / 2}
                  y={MARGIN.top}
                  width={step}
                  height={plotHeight}
                  className="chart__hit"
                >
                  <title>{point.tooltip}</title>
                </rect>
                <circle
                  className={point.value === 0 ? 'chart__dot chart__dot--zero' : 'chart__dot'}
                  cx={xCenter(index)}
                  cy={y(point.value)}
                  r={points.length > 45 ? 2.5 : 3.5}
                >
                  <title>{point.tooltip}</title>
                </circle>
              </g>
            ))}
          </>
        ) : null}
        <line className="chart__baseline" x1={MARGIN.left} x2={width - MARGIN.right} y1={y(0)} y2={y(0)} />
      </svg>
    </div>
  );
}
