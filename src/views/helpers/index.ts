import { t } from './t.js';
import { loc, locText } from './loc.js';
import { formatDate } from './format-date.js';
import { formatNumber } from './format-number.js';
import { formatPercent } from './format-percent.js';
import { eq, ne, and, or, not } from './logic.js';
import { json } from './json.js';
import { selected, checked } from './selected.js';
import { urlWith } from './url-with.js';
import { pagination } from './pagination.js';
import { chartHelper } from '../charts/index.js';
import { concat } from './concat.js';
import { navCurrent } from './nav-current.js';

/** Every Handlebars helper, registered once by app.ts. Add new helpers here (one file each). */
export const helpers = {
  t,
  loc,
  locText,
  formatDate,
  formatNumber,
  formatPercent,
  eq,
  ne,
  and,
  or,
  not,
  json,
  selected,
  checked,
  urlWith,
  pagination,
  concat,
  navCurrent,
  chart: chartHelper,
};
