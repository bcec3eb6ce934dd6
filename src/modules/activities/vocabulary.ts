// The allowed values of an activity's coded fields, each with the label a coordinator sees.
// API, form and file use the codes; the labels go into help text, templates and messages.

export const ACTIVITY_TYPES = {
  C: 'Course',
  RSS: 'Regularly Scheduled Series',
  IL: 'Internet Live Course',
  EM: 'Enduring Material',
  IEM: 'Internet Activity Enduring Material',
  JN: 'Journal-based CME',
  MR: 'Manuscript Review',
  TIW: 'Test Item Writing',
  CML: 'Committee Learning',
  PI: 'Performance Improvement',
  ISL: 'Internet Searching and Learning',
  LFT: 'Learning from Teaching',
  OTHER: 'Other / blended learning',
} as const;
export type ActivityType = keyof typeof ACTIVITY_TYPES;

/** Types held at a place and time, which therefore need a location when held in person. */
export const LOCATED_ACTIVITY_TYPES: readonly ActivityType[] = ['C', 'RSS'];

export const DELIVERY_METHODS = {
  in_person: 'In person',
  live_streamed: 'Live-streamed',
  online: 'Online',
  print_other: 'Print / other',
} as const;
export type DeliveryMethod = keyof typeof DELIVERY_METHODS;

export const PROVIDERSHIPS = {
  direct: 'Directly provided',
  joint: 'Jointly provided',
} as const;
export type Providership = keyof typeof PROVIDERSHIPS;

/**
 * State-content and topic tags. The codes are the topic codes of the requirement rules, so that an
 * activity tagged `opioid_prescribing` counts toward every board mandate on that topic.
 */
export const TOPICS = {
  opioid_prescribing: 'Opioid prescribing',
  pain_management: 'Pain management',
  pain_management_end_of_life: 'Pain management and end-of-life care',
  controlled_substances: 'Controlled substances',
  substance_use_disorder: 'Substance use disorders (MATE Act 8-hour DEA training)',
  implicit_bias: 'Implicit bias',
  cultural_competency: 'Cultural competency',
  lgbtq_cultural_competency: 'LGBTQ cultural competency',
  health_equity: 'Health equity',
  ethics: 'Ethics',
  professional_boundaries: 'Professional boundaries',
  geriatrics: 'Geriatrics',
  dementia: 'Dementia',
  end_of_life_care: 'End-of-life care',
  child_abuse: 'Child abuse recognition and reporting',
  domestic_violence: 'Domestic violence',
  human_trafficking: 'Human trafficking',
  suicide_prevention: 'Suicide prevention',
  sexual_harassment_prevention: 'Sexual harassment prevention',
  risk_management: 'Risk management',
  medical_errors: 'Prevention of medical errors',
  infection_control: 'Infection control',
  hiv_aids: 'HIV/AIDS',
  medical_marijuana: 'Medical marijuana',
  nutrition_metabolic_health: 'Nutrition and metabolic health',
  electronic_health_records: 'Electronic health records',
  duty_to_report: 'Duty to report',
  board_regulations: 'Medical board laws and regulations',
  collaborative_supervisory_practice: 'Collaborative and supervisory practice',
  public_health_priorities: 'Public health priorities',
} as const;
export type Topic = keyof typeof TOPICS;

export const OUTCOMES = {
  learner_knowledge: 'Learner knowledge',
  learner_competence: 'Learner competence',
  learner_performance: 'Learner performance',
  patient_health: 'Patient health',
  community_health: 'Community / population health',
} as const;
export type Outcome = keyof typeof OUTCOMES;

export const MEASUREMENTS = {
  objective: 'Objective',
  subjective: 'Subjective',
} as const;
export type Measurement = keyof typeof MEASUREMENTS;

export const CATALOG_FEES = {
  yes: 'Yes, there is a fee',
  free: 'No, it is free',
  variable: 'Variable',
} as const;
export type CatalogFee = keyof typeof CATALOG_FEES;

export const CATALOG_REGISTRATIONS = {
  open: 'Open to all',
  limited: 'Limited',
} as const;
export type CatalogRegistration = keyof typeof CATALOG_REGISTRATIONS;

export const REMS_PROGRAMS = {
  opioid_analgesic: 'FDA Opioid Analgesic REMS',
  mycophenolate: 'FDA Mycophenolate REMS',
} as const;
export type RemsProgram = keyof typeof REMS_PROGRAMS;

/** `C (Course), RSS (Regularly Scheduled Series), ...` for messages and help. */
export function listCodes(vocabulary: Record<string, string>, limit = Infinity): string {
  const codes = Object.keys(vocabulary);
  const shown = codes.slice(0, limit).join(', ');
  return codes.length > limit ? `${shown}, ...` : shown;
}
