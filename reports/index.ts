/**
 * Reporters over the certification record (harness/protocol/certification-record.ts, version 2; version 1
 * still read): JUnit XML, JSON, Markdown, HTML — the HTML with each scenario module's story (story.ts).
 * And, until they are retired, over the run record (harness/protocol/run-record.ts): HTML, Markdown and
 * JSON. They observe and never decide: a run's verdict is the record's checks. They import only the
 * protocol core.
 * @module
 */

export { MAX_EXCHANGES_PER_MODULE, renderCertificationHtml } from './certification-html.ts';
export {
  CERTIFICATION_RECORD_JSON_SCHEMA,
  CERTIFICATION_RECORD_SCHEMA_ID,
  CERTIFICATION_RECORD_V1_JSON_SCHEMA,
  CERTIFICATION_RECORD_V1_SCHEMA_ID,
  parseCertificationRecord,
  redactCertificationRecord,
  serializeCertificationRecord,
  validateCertificationRecord,
} from './certification-json.ts';
export { MAX_MARKDOWN_STEPS, renderCertificationMarkdown } from './certification-markdown.ts';
export { type WrittenCertificationReports, writeCertificationReports } from './certification-write.ts';
export { type HtmlReportOptions, renderHtmlReport } from './html.ts';
export {
  createRunRecordAjv,
  parseRunRecord,
  parseRunRecords,
  RUN_RECORD_JSON_SCHEMA,
  RUN_RECORD_SCHEMA_ID,
  RUN_RECORDS_DOCUMENT,
  RUN_RECORDS_JSON_SCHEMA,
  RUN_RECORDS_SCHEMA_ID,
  type RunRecordsDocument,
  serializeRunRecords,
  validateRunRecord,
} from './json.ts';
export { escapeXml, renderJunit } from './junit.ts';
export { renderMarkdownSummary } from './markdown.ts';
export { DEFAULT_MAX_ARROWS, planSequence, type SequencePlan } from './sequence.ts';
export {
  hasStory,
  MAX_LOG_ROWS,
  MAX_SETS,
  OKTA_SYSTEM_LOG_STEPS,
  renderStory,
  STORY_CSS,
  type StoryInput,
  type StoryOptions,
  systemLogStepOf,
} from './story.ts';
export { type WrittenReports, writeReports } from './write.ts';
