/** The renderers of one revision's AccessReport, in one import. */
export { type AccessReportOptions, renderAccessReportMarkdown } from './accessReportMarkdown.js'
export { renderAccessReportText } from './accessReportText.js'
