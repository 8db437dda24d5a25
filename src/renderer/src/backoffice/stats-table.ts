// The statistics as one flat table (section, item, value): what the screen lists and exactly what CSV/XLSX export.
import type { Stats } from '../../../common/contract/backoffice';
import { FAILED_RESULTS } from '../../../common/contract/inspection-stats';
import type { Cell, ExportColumn } from './table-file';

type Translate = (key: string, params?: Record<string, unknown>) => string;

export interface StatRow {
  /** Stable id of the row (e2e and exports compare by it). */
  id: string;
  section: string;
  item: string;
  value: number | null;
}

const FIGURES = [
  'scans',
  'confirms',
  'confirmedAmountFen',
  'confirmsAccepted',
  'insuranceWarningsShown',
  'insuranceWarningsOverridden',
  'waybillsUploaded',
  'scanToConfirmMedianS',
  'scanToConfirmCount',
  'outboxPending',
  'outboxConflicts',
] as const;

export function statRows(stats: Stats, t: Translate): StatRow[] {
  const rows: StatRow[] = [];
  const figures = t('backoffice.stats.figures');
  for (const key of FIGURES) rows.push({ id: key, section: figures, item: t(`backoffice.stats.figure.${key}`), value: stats[key] });
  for (const [outcome, count] of Object.entries(stats.outcomes).sort()) {
    rows.push({ id: `outcome.${outcome}`, section: t('backoffice.stats.outcomes'), item: t(`outcome.${outcome}.title`), value: count });
  }
  for (const { label, count } of stats.scansByOperator) {
    rows.push({
      id: `operator.${label}`,
      section: t('backoffice.stats.byOperator'),
      item: label || t('backoffice.audit.system'),
      value: count,
    });
  }
  for (const { label, count } of stats.scansByShop) {
    rows.push({ id: `shop.${label}`, section: t('backoffice.stats.byShop'), item: label, value: count });
  }
  const inspections = t('inspectionStats.section');
  rows.push({ id: 'inspection.total', section: inspections, item: t('inspectionStats.total'), value: stats.inspections.total });
  rows.push({ id: 'inspection.passed', section: inspections, item: t('inspectionStats.passed'), value: stats.inspections.passed });
  rows.push({ id: 'inspection.failed', section: inspections, item: t('inspectionStats.failed'), value: stats.inspections.failed });
  for (const result of FAILED_RESULTS) {
    const reason = t(`inspection.result.${result}`);
    rows.push({
      id: `inspection.${result}`,
      section: inspections,
      item: t('inspectionStats.failedBy', { reason }),
      value: stats.inspections.byResult[result],
    });
  }
  stats.scansByHour.forEach((count, hour) => {
    if (count > 0)
      rows.push({ id: `hour.${hour}`, section: t('backoffice.stats.byHour'), item: `${String(hour).padStart(2, '0')}:00`, value: count });
  });
  return rows;
}

export function statColumns(t: Translate): ExportColumn[] {
  return [
    { key: 'section', header: t('backoffice.stats.section') },
    { key: 'item', header: t('backoffice.stats.item') },
    { key: 'value', header: t('backoffice.stats.value'), numeric: true },
  ];
}

export function statCells(rows: StatRow[]): Record<string, Cell>[] {
  return rows.map((row) => ({ section: row.section, item: row.item, value: row.value }));
}
