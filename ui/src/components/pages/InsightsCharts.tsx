import { GroupedVerticalBarChart, VerticalBarChart } from '@fluentui/react-charts';
import { tokens } from '@fluentui/react-components';

/**
 * The insights' charts (@fluentui/react-charts: Fluent UI v9 charts on React 17, built on d3
 * modules). This module is imported only by the insights page, in its own chunk.
 */
export interface Series {
  label: string;
  values: { key: string; legend: string; value: number }[];
}

const palette = [tokens.colorBrandBackground, tokens.colorPaletteMarigoldBackground3, tokens.colorPaletteGreenBackground3, tokens.colorPaletteBerryBackground3];

/** Several values per group (e.g. audience, viewed, acknowledged per department). */
export function GroupedBars({ title, groups, height = 260 }: { title: string; groups: Series[]; height?: number }) {
  const legends = [...new Set(groups.flatMap((g) => g.values.map((v) => v.legend)))];
  return (
    <GroupedVerticalBarChart
      chartTitle={title}
      height={height}
      data={groups.map((g) => ({
        name: g.label,
        series: g.values.map((v) => ({ key: v.key, data: v.value, legend: v.legend, color: palette[legends.indexOf(v.legend) % palette.length] })),
      }))}
    />
  );
}

/** One value per bar (e.g. interactions per pair of departments). */
export function Bars({ title, bars, height = 240 }: { title: string; bars: { label: string; value: number }[]; height?: number }) {
  return (
    <VerticalBarChart
      chartTitle={title}
      height={height}
      hideLegend
      data={bars.map((b) => ({ x: b.label, y: b.value, legend: b.label, color: palette[0] }))}
    />
  );
}
