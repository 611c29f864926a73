// Public surface of the data layer.
export { DataError, isDataError, type DataErrorCode } from './errors';
export { loadDataset, loadDatasetSync, detectFormat, type DataFormat, type LoadedData, type LoadOptions } from './load';
export { parseCsv, type CsvOptions, type Separator } from './csv';
export { readDta, type DtaMeta } from './dta';
export { writeDta, encodeDta, type DtaWriteOptions } from './dta-write';
export type { DtaVersion } from './dta-format';
export { readXlsx } from './xlsx';
export { writeXlsx, encodeXlsx } from './xlsx-write';
export { readParquet } from './parquet';
export { fixNames, isValidName, toStataName, type Renamed } from './names';
export { buildCatalog, panelShape, profileColumn, type Catalog, type ColumnProfile, type NumericProfile, type StringProfile, type PanelShape, type Histogram } from './catalog';
export { fmtNum, panelSummary, profileDetail, profileMarkdown, sparkline } from './catalog-format';
export { DatasetCache, type CacheEntry, type Loader } from './dataset-cache';
