/**
 * Reporters over the certification record (harness/records/certification-record.ts, version 2; version 1
 * still read) — what `ssf-lab certify` and a scenario run (`ssf-lab run`, `ssf-lab demo`) write: JUnit
 * XML, JSON, Markdown, HTML — the HTML with each scenario module's story (story.ts) and its sequence
 * diagram (sequence.ts). They observe and never decide: a run's verdict is the record's checks. They
 * import only the kernel, the protocol core and the records.
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
export { escapeXml, renderJunit } from './junit.ts';
export { histogramSvg, type LoadFigures, renderLoadHtml, throughputSvg } from './load-html.ts';
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
export { scrubCredentials } from './text.ts';
export {
  expectedSkips,
  notJudgedText,
  OUTCOME_LABEL,
  OUTCOME_SIGN,
  outcomesOf,
  tallyLine,
  verdictWord,
} from './vocabulary.ts';
